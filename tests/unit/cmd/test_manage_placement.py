"""nova-manage placement: argument handling, exit codes and messages (the healing and
the audit themselves: test_manage_heal.py, test_manage_placement_audit.py).

Placement itself is an in-memory stand-in here (the functional tests use the
real one); the databases are SQLite files written by ``nova-manage``.
"""

import sqlite3
import uuid

import pytest

from nova.scheduler.client import report
from tests.unit.cmd.fake_placement import FakePlacement, MISSING


@pytest.fixture
def placement(monkeypatch):
    fake = FakePlacement()
    monkeypatch.setattr(report, 'SchedulerReportClient', lambda: fake)
    return fake


# --- heal_allocations: the command line -------------------------------------------------

@pytest.mark.parametrize('argv, message', [
    (['--instance', MISSING, '--cell', MISSING],
     'The --cell and --instance options are mutually exclusive.'),
    (['--force'], 'The --instance flag is required when using --force flag.'),
    (['--max-count', '0'], 'Must supply a positive integer for --max-count.'),
    (['--max-count', '-2'], 'Must supply a positive integer for --max-count.'),
    (['--max-count', 'ten'], 'Must supply a positive integer for --max-count.'),
])
def test_heal_allocations_invalid_input_is_127(deployment, argv, message):
    assert deployment.run('placement', 'heal_allocations', *argv) == (127, message + '\n')


def test_heal_allocations_unknown_instance_or_cell_is_127(deployment, placement):
    deployment.run('api_db', 'sync')
    code, out = deployment.run('placement', 'heal_allocations', '--instance', MISSING)
    assert code == 127
    assert out.startswith('Unable to find cell for instance %s, is it mapped?' % MISSING)
    assert deployment.run('placement', 'heal_allocations', '--cell', MISSING) == (
        127, 'Cell with uuid %s was not found.\n' % MISSING)


def test_heal_allocations_with_nothing_to_heal_is_4(deployment, placement):
    deployment.run('api_db', 'sync')
    assert deployment.run('placement', 'heal_allocations', '--verbose') == (
        4, 'Running batches of 50 until complete\n'
           'Port allocations are not healed: this deployment has no Neutron integration.\n'
           'No cells to process.\n')
    cell1 = deployment.setup_cells()
    code, out = deployment.run('placement', 'heal_allocations', '--verbose',
                               '--skip-port-allocations')
    assert code == 4
    assert 'Looking for instances in cell: %s(cell1)' % cell1 in out
    assert '00000000-0000-0000-0000-000000000000' not in out  # cell0 is skipped
    assert out.endswith('Processed 0 instances.\n')
    assert 'Port allocations' not in out
    assert placement.puts == []


# --- audit ---------------------------------------------------------------------------------

def test_audit_command_rejects_unknown_providers(deployment, placement):
    deployment.run('api_db', 'sync')
    for value in (MISSING, 'not-a-uuid'):
        assert deployment.run('placement', 'audit', '--resource_provider', value) == (
            127, 'Resource provider with UUID %s does not exist.\n' % value)
    assert deployment.run('placement', 'audit', '--verbose') == (0, '')


# --- sync_aggregates -----------------------------------------------------------------------

def _aggregate(deployment, name, hosts):
    agg_uuid = str(uuid.uuid4())
    with sqlite3.connect(deployment.api_db) as db:
        cursor = db.execute("INSERT INTO aggregates (uuid, name, created_at) VALUES"
                            " (?, ?, '2024-01-01 00:00:00')", (agg_uuid, name))
        for host in hosts:
            db.execute("INSERT INTO aggregate_hosts (host, aggregate_id, created_at) VALUES"
                       " (?, ?, '2024-01-01 00:00:00')", (host, cursor.lastrowid))
    return agg_uuid


def _node_uuid(deployment, host):
    with sqlite3.connect(deployment.main_db) as db:
        return db.execute('SELECT uuid FROM compute_nodes WHERE host = ?', (host,)).fetchone()[0]


def test_sync_aggregates_adds_providers_and_reports_what_it_cannot(deployment, placement):
    deployment.setup_cells()
    deployment.add_compute_node('host1')
    deployment.add_compute_node('host2')
    assert deployment.run('cell_v2', 'discover_hosts')[0] == 0
    node1 = _node_uuid(deployment, 'host1')
    placement.aggregates[node1] = set()
    agg = _aggregate(deployment, 'agg1', ['host1'])
    code, out = deployment.run('placement', 'sync_aggregates', '--verbose')
    assert code == 0
    assert out == ('Filling in missing placement aggregates\n'
                   'Processing aggregate: agg1\nProcessing host: host1\n'
                   'Successfully added host (host1) and provider (%s) to aggregate (%s).\n'
                   % (node1, agg))
    assert placement.aggregates[node1] == {agg}

    # host2's provider is missing in Placement: 6, host1 still done.
    placement.aggregates[node1] = set()
    agg2 = _aggregate(deployment, 'agg2', ['host2', 'host1'])
    code, out = deployment.run('placement', 'sync_aggregates')
    assert code == 6
    assert out == ('Unable to find matching resource provider record in placement with uuid '
                   'for the following hosts: (host2=%s). Try restarting the nova-compute '
                   'service on each host and then retry.\n' % _node_uuid(deployment, 'host2'))
    assert placement.aggregates[node1] == {agg, agg2}

    # Unmapped host: 4; mapped host without compute node: 5 (the last one printed wins).
    with sqlite3.connect(deployment.api_db) as db:
        db.execute("INSERT INTO host_mappings (cell_id, host, created_at) SELECT id,"
                   " 'host3', '2024-01-01 00:00:00' FROM cell_mappings WHERE name = 'cell1'")
    _aggregate(deployment, 'agg3', ['ghost'])
    placement.aggregates[_node_uuid(deployment, 'host2')] = set()
    code, out = deployment.run('placement', 'sync_aggregates')
    assert (code, out.count('\n')) == (4, 1)
    assert 'no host mappings were found in the nova API DB' in out and 'Missing: ghost' in out
    _aggregate(deployment, 'agg4', ['host3'])
    code, out = deployment.run('placement', 'sync_aggregates')
    assert code == 5
    assert out.splitlines()[1].endswith('Missing: host3')


def test_sync_aggregates_host_with_two_nodes_is_1(deployment, placement):
    deployment.setup_cells()
    deployment.add_compute_node('host1')
    with sqlite3.connect(deployment.main_db) as db:
        db.execute("UPDATE compute_nodes SET hypervisor_hostname = 'node-a'")
    deployment.add_compute_node('host1')
    assert deployment.run('cell_v2', 'discover_hosts')[0] == 0
    _aggregate(deployment, 'agg1', ['host1'])
    assert deployment.run('placement', 'sync_aggregates') == (
        1, 'Unexpected number of compute node records (2) found for host host1. There '
           'should only be a one-to-one mapping.\n')
