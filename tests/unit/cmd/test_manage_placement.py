"""nova-manage placement: argument handling, exit codes and messages.

Placement itself is an in-memory stand-in here (the functional tests use the
real one); the databases are SQLite files written by ``nova-manage``.
"""

import contextlib
import sqlite3
import uuid

import pytest

from nova.cmd import manage_heal
from nova.cmd import manage_placement_audit
from nova import context
from nova import exception
from nova import objects
from nova.scheduler.client import report

MISSING = '11111111-2222-3333-4444-555555555555'
RP1 = 'aaaaaaaa-0000-4000-8000-000000000001'


class FakePlacement:
    """Allocations by consumer and aggregates by provider, kept in dicts."""

    def __init__(self):
        self.allocations = {}  # consumer -> GET /allocations/{consumer} body
        self.aggregates = {}  # provider -> set of aggregate uuids
        self.puts = []
        self.put_result = True
        self.delete_result = True
        self.broken_providers = set()

    def add(self, consumer, provider, resources, project='project', user='user'):
        body = self.allocations.setdefault(consumer, {
            'allocations': {}, 'project_id': project, 'user_id': user,
            'consumer_generation': 1, 'consumer_type': 'INSTANCE'})
        body['allocations'][provider] = {'resources': resources, 'generation': 3}

    def get_allocs_for_consumer(self, ctxt, consumer):
        return self.allocations.get(consumer, {'allocations': {}})

    def put_allocations(self, ctxt, consumer, body):
        self.puts.append((consumer, body))
        if self.put_result:
            self.allocations[consumer] = body
        return self.put_result

    def delete_allocation_for_instance(self, ctxt, consumer, consumer_type='instance'):
        if self.delete_result:
            self.allocations.pop(consumer, None)
        return self.delete_result

    def get_allocations_for_resource_provider(self, ctxt, provider):
        if provider in self.broken_providers:
            raise exception.ResourceProviderAllocationRetrievalFailed(rp_uuid=provider,
                                                                      error='boom')
        return {consumer: {'resources': body['allocations'][provider]['resources']}
                for consumer, body in self.allocations.items()
                if provider in body['allocations']}

    def get_resource_providers(self, ctxt, uuid=None):
        return [{'uuid': rp, 'root_provider_uuid': rp} for rp in self.aggregates
                if uuid in (None, rp)]

    def get_provider(self, ctxt, rp_uuid):
        return {'uuid': rp_uuid} if rp_uuid in self.aggregates else None

    def aggregate_add_host(self, ctxt, agg_uuid, rp_uuid):
        if rp_uuid not in self.aggregates:
            raise exception.ResourceProviderRetrievalFailed(uuid=rp_uuid)
        self.aggregates[rp_uuid].add(agg_uuid)


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


# --- heal_allocations: one instance ------------------------------------------------------

def _instance(**changes):
    flavor = objects.Flavor(flavorid='1', name='small', vcpus=2, memory_mb=1024, root_gb=10,
                            ephemeral_gb=5, swap=1500, extra_specs={})
    values = dict(uuid=str(uuid.uuid4()), host='host1', node='node1', task_state=None,
                  image_ref='image', project_id='project', user_id='user', flavor=flavor)
    values.update(changes)
    return objects.Instance(**values)


@pytest.fixture
def node_lookup(monkeypatch):
    nodes = {('host1', 'node1'): RP1}

    def get_by_host_and_nodename(ctxt, host, node):
        if (host, node) not in nodes:
            raise exception.ComputeHostNotFound(host=host)
        return objects.ComputeNode(uuid=nodes[(host, node)])
    monkeypatch.setattr(objects.ComputeNode, 'get_by_host_and_nodename',
                        get_by_host_and_nodename)
    return nodes


def _healer(placement, dry_run=False, force=False):
    said = []
    return manage_heal.AllocationHealer(placement, said.append, dry_run, force), said


def test_flavor_resources_count_swap_ephemeral_and_extra_specs():
    instance = _instance()
    assert manage_heal.flavor_resources(instance) == {
        'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 10 + 5 + 2}
    volume_backed = _instance(image_ref='')
    assert manage_heal.flavor_resources(volume_backed)['DISK_GB'] == 5 + 2
    instance.flavor.extra_specs = {'resources:VCPU': '0', 'resources:PCPU': '2',
                                   'resources:CUSTOM_GOLD': '1'}
    assert manage_heal.flavor_resources(instance) == {
        'PCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 17, 'CUSTOM_GOLD': 1}


def test_missing_allocations_are_created_from_the_flavor(node_lookup):
    placement = FakePlacement()
    healer, said = _healer(placement)
    instance = _instance(image_ref='')
    assert healer.heal_instance(None, instance) is True
    assert placement.puts == [(instance.uuid, {
        'allocations': {RP1: {'resources': {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 7}}},
        'project_id': 'project', 'user_id': 'user', 'consumer_generation': None,
        'consumer_type': 'INSTANCE'})]
    assert said == ['Successfully created allocations for instance %s.' % instance.uuid]
    assert healer.heal_instance(None, instance) is False
    assert said[-1] == ('The allocation of instance %s is up-to-date. Nothing to be healed.'
                        % instance.uuid)


@pytest.mark.parametrize('changes, message', [
    ({'task_state': 'migrating'}, 'is undergoing a task state transition: migrating'),
    ({'node': None, 'host': None}, 'is not on a host.'),
])
def test_instances_in_transition_or_without_host_are_skipped(node_lookup, changes, message):
    placement = FakePlacement()
    healer, said = _healer(placement)
    instance = _instance(**changes)
    assert healer.heal_instance(None, instance) is False
    assert said == ['Instance %s %s' % (instance.uuid, message)]
    assert placement.puts == []


def test_dry_run_changes_nothing(node_lookup):
    placement = FakePlacement()
    healer, said = _healer(placement, dry_run=True)
    instance = _instance()
    assert healer.heal_instance(None, instance) is False
    assert said[0].startswith('[dry-run] Create allocations for instance %s: {'
                              % instance.uuid)
    placement.add(instance.uuid, RP1, {'VCPU': 2}, project='other')
    assert healer.heal_instance(None, instance) is False
    assert said[1].startswith('[dry-run] Update allocations for instance %s: {'
                              % instance.uuid)
    assert placement.puts == []


def test_wrong_project_and_user_are_fixed_keeping_the_resources(node_lookup):
    placement = FakePlacement()
    instance = _instance()
    placement.add(instance.uuid, 'rp-shared', {'DISK_GB': 20}, project=None, user=None)
    healer, said = _healer(placement)
    assert healer.heal_instance(None, instance) is True
    consumer, body = placement.puts[0]
    assert body == {'allocations': {'rp-shared': {'resources': {'DISK_GB': 20}}},
                    'project_id': 'project', 'user_id': 'user', 'consumer_generation': 1,
                    'consumer_type': 'INSTANCE'}
    assert said == ['Successfully updated allocations for instance %s.' % instance.uuid]


def test_force_rewrites_existing_allocations_from_the_flavor(node_lookup):
    placement = FakePlacement()
    instance = _instance()
    placement.add(instance.uuid, RP1, {'VCPU': 64})
    healer, said = _healer(placement, force=True)
    assert healer.heal_instance(None, instance) is True
    body = placement.puts[0][1]
    assert body['allocations'] == {RP1: {'resources': {
        'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 17}}}
    assert body['consumer_generation'] == 1
    assert said[0] == 'Force flag passed for instance %s' % instance.uuid


def test_failures_raise_what_the_exit_codes_are_made_of(node_lookup):
    placement = FakePlacement()
    placement.put_result = False
    healer, _ = _healer(placement)
    with pytest.raises(exception.AllocationCreateFailed):
        healer.heal_instance(None, _instance())
    with pytest.raises(exception.ComputeHostNotFound):
        healer.heal_instance(None, _instance(node='gone'))
    instance = _instance()
    placement.add(instance.uuid, RP1, {'VCPU': 2}, project='other')
    with pytest.raises(exception.AllocationUpdateFailed):
        healer.heal_instance(None, instance)

    def unreadable(ctxt, consumer):
        raise exception.ConsumerAllocationRetrievalFailed(consumer_uuid=consumer, error='x')
    placement.get_allocs_for_consumer = unreadable
    with pytest.raises(exception.AllocationUpdateFailed):
        healer.heal_instance(None, _instance())


@pytest.mark.parametrize('error, code', [
    (exception.ComputeHostNotFound(host='h'), 2),
    (exception.AllocationCreateFailed(instance='i', provider='p'), 3),
    (exception.AllocationUpdateFailed(consumer_uuid='i', error=''), 3),
    (exception.PlacementAPIConnectFailure(), 3),
])
def test_heal_maps_failures_to_exit_codes(monkeypatch, capsys, error, code):
    monkeypatch.setattr(context, 'target_cell',
                        lambda ctxt, cell: contextlib.nullcontext(ctxt))
    healer, _ = _healer(FakePlacement())

    def fail(*args):
        raise error
    healer.heal_cell = fail
    cell = objects.CellMapping(uuid=MISSING, name='cell1')
    assert manage_heal.heal(None, healer, [cell], 50, True) == code
    assert capsys.readouterr().out == error.format_message() + '\n'


def test_heal_counts_healed_instances_across_cells(monkeypatch):
    monkeypatch.setattr(context, 'target_cell',
                        lambda ctxt, cell: contextlib.nullcontext(ctxt))
    healer, said = _healer(FakePlacement())
    healed_per_cell = iter([2, 1])
    healer.heal_cell = lambda cctxt, batch, unlimited, instance_uuid: next(healed_per_cell)
    cells = [objects.CellMapping(uuid=str(uuid.uuid4()), name='c%d' % i) for i in range(2)]
    assert manage_heal.heal(None, healer, cells, 3, False) == 1
    assert said[-1] == 'Max count reached. Processed 3 instances.'
    healed_per_cell = iter([2, 1])
    assert manage_heal.heal(None, healer, cells, 50, True) == 0
    assert said[-1] == 'Processed 3 instances.'


# --- audit ---------------------------------------------------------------------------------

def _auditor(placement, known, delete=False):
    said = []
    auditor = manage_placement_audit.Auditor(None, placement, said.append, delete=delete)
    auditor.known_consumers = lambda node_uuid: known.get(node_uuid)
    return auditor, said


def test_audit_reports_only_unknown_consumers_of_nova_resources():
    placement = FakePlacement()
    placement.aggregates = {RP1: set()}
    placement.add('instance', RP1, {'VCPU': 1})
    placement.add('migration', RP1, {'VCPU': 1})
    placement.add('orphan', RP1, {'VCPU': 1, 'MEMORY_MB': 8})
    placement.add('not-nova', RP1, {'CUSTOM_LICENSE': 1})
    auditor, said = _auditor(placement, {RP1: {'instance', 'migration'}})
    assert manage_placement_audit.audit(auditor, placement.get_resource_providers(None)) == 3
    assert said == [
        'Allocations were set against consumer UUID orphan but no existing instances or '
        'active migrations are related. ',
        "Allocations for consumer UUID orphan on Resource Provider %s can be deleted: "
        "{'VCPU': 1, 'MEMORY_MB': 8}" % RP1,
        'Processed 1 allocation.']
    assert 'orphan' in placement.allocations


def test_audit_delete_keeps_other_providers_allocations_of_the_consumer():
    placement = FakePlacement()
    placement.aggregates = {RP1: set(), 'rp-2': set()}
    placement.add('orphan', RP1, {'VCPU': 1})
    placement.add('spread', RP1, {'VCPU': 1})
    placement.add('spread', 'rp-2', {'DISK_GB': 1})
    auditor, said = _auditor(placement, {RP1: set(), 'rp-2': {'spread'}}, delete=True)
    assert manage_placement_audit.audit(auditor, placement.get_resource_providers(None)) == 4
    assert 'orphan' not in placement.allocations
    assert placement.allocations['spread']['allocations'] == {
        'rp-2': {'resources': {'DISK_GB': 1}}}
    assert said[-1] == 'Processed 2 allocations.'
    assert manage_placement_audit.audit(auditor, placement.get_resource_providers(None)) == 0


def test_audit_failures_are_1(capsys):
    placement = FakePlacement()
    placement.aggregates = {RP1: set()}
    placement.add('orphan', RP1, {'VCPU': 1})
    placement.delete_result = False
    auditor, _ = _auditor(placement, {}, delete=True)
    assert manage_placement_audit.audit(auditor, placement.get_resource_providers(None)) == 1
    out = capsys.readouterr().out
    assert 'Not able to delete allocations for consumer UUID orphan' in out
    assert 'The Resource Provider %s had problems when deleting allocations.' % RP1 in out
    placement.broken_providers.add(RP1)
    assert manage_placement_audit.audit(auditor, placement.get_resource_providers(None)) == 1
    assert 'Not able to find allocations for resource provider %s.' % RP1 in (
        capsys.readouterr().out)


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
