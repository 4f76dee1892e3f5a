"""nova-manage cell_v2: every command's happy path, error paths and exit codes."""

import pytest

from nova.cmd import manage_cells

CELL0 = '00000000-0000-0000-0000-000000000000'
MISSING = '11111111-2222-3333-4444-555555555555'


# --- map_cell0 / simple_cell_setup / list_cells ------------------------------------

def test_cell0_default_url_appends_suffix_to_database_name():
    assert (manage_cells.cell0_default_connection('mysql+pymysql://nova:p%40ss@db/nova?x=1')
            == 'mysql+pymysql://nova:p%40ss@db/nova_cell0?x=1')
    assert (manage_cells.cell0_default_connection('sqlite:////var/lib/nova/nova.db')
            == 'sqlite:////var/lib/nova/nova.db_cell0')


def test_map_cell0_is_idempotent(deployment):
    deployment.run('api_db', 'sync')
    assert deployment.run('cell_v2', 'map_cell0') == (0, '')
    assert deployment.run('cell_v2', 'map_cell0') == (0, 'Cell0 is already setup\n')
    rows = deployment.api_rows('SELECT uuid, name, transport_url, database_connection'
                               ' FROM cell_mappings')
    assert rows == [(CELL0, 'cell0', 'none:///', 'sqlite:///%s_cell0' % deployment.main_db)]


def test_simple_cell_setup_without_hosts_maps_both_cells_and_syncs(deployment, tmp_path):
    cell1 = deployment.setup_cells()
    assert cell1
    assert (tmp_path / 'nova.db_cell0').exists()
    code, out = deployment.run('cell_v2', 'list_cells')
    assert code == 0
    lines = out.strip().splitlines()
    assert [h.strip() for h in lines[1].split('|')[1:-1]] == [
        'Name', 'UUID', 'Transport URL', 'Database Connection', 'Disabled']
    assert 'cell0' in lines[3] and CELL0 in lines[3] and 'none:///' in lines[3]
    assert 'cell1' in lines[4] and cell1 in lines[4]
    assert 'rabbit://guest:****@127.0.0.1:5672/' in lines[4]
    assert 'secret' not in out
    assert lines[4].rstrip('| ').endswith('False')


def test_simple_cell_setup_maps_hosts_and_instances(deployment):
    deployment.run('api_db', 'sync')
    deployment.run('db', 'sync', '--local_cell')
    deployment.add_compute_node('host1')
    instance = deployment.add_instance('host1')
    code, out = deployment.run('cell_v2', 'simple_cell_setup')
    assert code == 0, out
    cell1 = deployment.cell_uuid('cell1')
    assert deployment.api_rows('SELECT host FROM host_mappings') == [('host1',)]
    assert deployment.run('cell_v2', 'verify_instance', '--uuid', instance) == (
        0, 'Instance %s is in cell: cell1 (%s)\n' % (instance, cell1))
    # Second run: nothing left to do.
    code, out = deployment.run('cell_v2', 'simple_cell_setup')
    assert code == 0
    assert 'Cell0 is already setup' in out
    assert 'All hosts are already mapped to cell(s).' in out


def test_simple_cell_setup_needs_a_transport_url(deployment):
    deployment.write_conf(transport_url='')
    code, out = deployment.run('cell_v2', 'simple_cell_setup')
    assert code == 1
    assert out.startswith('Must specify --transport-url')


def test_list_cells_verbose_shows_passwords(deployment):
    deployment.setup_cells()
    code, out = deployment.run('cell_v2', 'list_cells', '--verbose')
    assert code == 0 and 'guest:secret@' in out


# --- create_cell / update_cell / delete_cell ---------------------------------------

def test_create_cell_verbose_prints_uuid_and_rejects_duplicates(deployment, tmp_path):
    deployment.run('api_db', 'sync')
    code, out = deployment.run('cell_v2', 'create_cell', '--name', 'cell2', '--verbose',
                               '--transport-url', 'rabbit://u:p@h2/',
                               '--database_connection', 'sqlite:///%s/c2.db' % tmp_path,
                               '--disabled')
    assert code == 0
    uuid = out.strip().splitlines()[-1]
    assert deployment.api_rows('SELECT name, disabled FROM cell_mappings WHERE uuid = ?',
                               uuid) == [('cell2', 1)]
    code, out = deployment.run('cell_v2', 'create_cell', '--transport-url', 'rabbit://u:p@h2/',
                               '--database_connection', 'sqlite:///%s/c3.db' % tmp_path)
    assert code == 2
    assert out.strip() == ('The specified transport_url and/or database_connection combination'
                           ' already exists for another cell with uuid %s.' % uuid)


def test_create_cell_missing_or_invalid_transport_url(deployment):
    deployment.run('api_db', 'sync')
    deployment.write_conf(transport_url='')
    code, out = deployment.run('cell_v2', 'create_cell')
    assert code == 1
    assert out.strip() == ('Must specify --transport-url if [DEFAULT]/transport_url is not'
                           ' set in the configuration file.')
    code, out = deployment.run('cell_v2', 'create_cell', '--transport-url', 'not a url')
    assert code == 1
    assert out.startswith('Invalid transport URL:')


def test_create_cell_defaults_come_from_config(deployment):
    deployment.run('api_db', 'sync')
    code, out = deployment.run('cell_v2', 'create_cell', '--name', 'c')
    assert code == 0
    assert '--transport-url not provided in the command line' in out
    assert '--database_connection not provided in the command line' in out


def test_update_cell_codes(deployment, tmp_path):
    cell1 = deployment.setup_cells()
    assert deployment.run('cell_v2', 'update_cell', '--cell_uuid', MISSING) == (
        1, 'Cell with uuid %s was not found.\n' % MISSING)
    code, out = deployment.run('cell_v2', 'update_cell', '--cell_uuid', cell1,
                               '--name', 'renamed', '--disable')
    assert code == 0, out
    assert deployment.api_rows('SELECT name, disabled FROM cell_mappings WHERE uuid = ?',
                               cell1) == [('renamed', 1)]
    code, out = deployment.run('cell_v2', 'update_cell', '--cell_uuid', cell1, '--disable')
    assert code == 0 and 'Cell %s is already disabled' % cell1 in out
    assert deployment.run('cell_v2', 'update_cell', '--cell_uuid', cell1, '--enable')[0] == 0
    code, out = deployment.run('cell_v2', 'update_cell', '--cell_uuid', cell1,
                               '--disable', '--enable')
    assert code == 4 and 'Cell cannot be disabled and enabled at the same time.' in out
    code, out = deployment.run('cell_v2', 'update_cell', '--cell_uuid', CELL0, '--disable',
                               '--database_connection', 'sqlite:///%s/x0.db' % tmp_path,
                               '--transport-url', 'none:///')
    assert code == 5 and 'Cell0 cannot be disabled.' in out
    # cell1 may not take cell0's database.
    code, out = deployment.run('cell_v2', 'update_cell', '--cell_uuid', cell1,
                               '--database_connection',
                               'sqlite:///%s_cell0' % deployment.main_db)
    assert code == 3 and 'already exists for another cell with uuid %s' % CELL0 in out


def test_delete_cell_codes(deployment):
    cell1 = deployment.setup_cells()
    assert deployment.run('cell_v2', 'delete_cell', '--cell_uuid', MISSING)[0] == 1
    deployment.add_compute_node('host1')
    assert deployment.run('cell_v2', 'discover_hosts')[0] == 0
    code, out = deployment.run('cell_v2', 'delete_cell', '--cell_uuid', cell1)
    assert code == 2
    assert out.strip() == 'There are existing hosts mapped to cell with uuid %s.' % cell1
    live = deployment.add_instance('host1')
    deployment.run('cell_v2', 'map_instances', '--cell_uuid', cell1)
    assert deployment.run('cell_v2', 'delete_cell', '--cell_uuid', cell1, '--force')[0] == 3
    deployment.remove_instance_row(live)
    deployment.add_instance('host1', deleted=True)
    deployment.run('cell_v2', 'map_instances', '--cell_uuid', cell1, '--reset')
    deployment.run('cell_v2', 'delete_host', '--cell_uuid', cell1, '--host', 'host1')
    code, out = deployment.run('cell_v2', 'delete_cell', '--cell_uuid', cell1)
    assert code == 4
    assert 'all instances have been deleted in the cell' in out
    assert deployment.run('cell_v2', 'delete_cell', '--cell_uuid', cell1, '--force') == (0, '')
    assert deployment.cell_uuid('cell1') is None


def test_delete_cell_force_unmaps_compute_nodes(deployment):
    cell1 = deployment.setup_cells()
    deployment.add_compute_node('host1')
    deployment.run('cell_v2', 'discover_hosts')
    assert deployment.run('cell_v2', 'delete_cell', '--cell_uuid', cell1, '--force')[0] == 0
    assert deployment.api_rows('SELECT COUNT(*) FROM host_mappings') == [(0,)]
    import sqlite3
    with sqlite3.connect(deployment.main_db) as db:
        assert db.execute('SELECT mapped FROM compute_nodes').fetchall() == [(0,)]


# --- hosts -------------------------------------------------------------------------

def test_discover_hosts_verbose_and_strict(deployment):
    cell1 = deployment.setup_cells()
    assert deployment.run('cell_v2', 'discover_hosts', '--strict')[0] == 1
    deployment.add_compute_node('host1')
    code, out = deployment.run('cell_v2', 'discover_hosts', '--verbose', '--strict')
    assert code == 0
    assert 'Skipping cell0 since it does not contain hosts.' in out
    assert "Checking host mapping for compute host 'host1': creating" in out
    assert deployment.run('cell_v2', 'discover_hosts', '--strict')[0] == 1
    code, out = deployment.run('cell_v2', 'list_hosts')
    assert code == 0
    assert 'Cell Name' in out and 'Hostname' in out
    assert ' cell1 ' in out and cell1 in out and ' host1 ' in out


def test_discover_hosts_by_service_and_unknown_cell(deployment):
    deployment.setup_cells()
    assert deployment.run('cell_v2', 'discover_hosts', '--by-service')[0] == 0
    code, out = deployment.run('cell_v2', 'discover_hosts', '--cell_uuid', MISSING)
    assert (code, out) == (1, 'Cell with uuid %s was not found.\n' % MISSING)


def test_list_hosts_unknown_cell(deployment):
    deployment.setup_cells()
    assert deployment.run('cell_v2', 'list_hosts', '--cell_uuid', MISSING)[0] == 1


def test_delete_host_codes(deployment, tmp_path):
    cell1 = deployment.setup_cells()
    deployment.add_compute_node('host1')
    deployment.run('cell_v2', 'discover_hosts')
    args = ('cell_v2', 'delete_host', '--cell_uuid')
    assert deployment.run(*args, MISSING, '--host', 'host1')[0] == 1
    assert deployment.run(*args, cell1, '--host', 'nohost') == (
        2, 'The host nohost was not found.\n')
    assert deployment.run(*args, CELL0, '--host', 'host1') == (
        3, 'The host host1 was not found in the cell %s.\n' % CELL0)
    instance = deployment.add_instance('host1')
    assert deployment.run(*args, cell1, '--host', 'host1') == (
        4, 'There are instances on the host host1.\n')
    deployment.remove_instance_row(instance)
    assert deployment.run(*args, cell1, '--host', 'host1') == (0, '')
    # The node can be discovered again.
    assert deployment.run('cell_v2', 'discover_hosts', '--strict')[0] == 0


def test_map_cell_and_hosts(deployment):
    deployment.run('api_db', 'sync')
    deployment.run('db', 'sync', '--local_cell')
    code, out = deployment.run('cell_v2', 'map_cell_and_hosts')
    assert code == 0 and 'No hosts found to map to cell, exiting.' in out
    deployment.add_compute_node('host1')
    code, out = deployment.run('cell_v2', 'map_cell_and_hosts', '--name', 'c1', '--verbose')
    uuid = deployment.cell_uuid('c1')
    assert code == 0 and out.strip().splitlines()[-1] == uuid
    code, out = deployment.run('cell_v2', 'map_cell_and_hosts', '--verbose')
    assert code == 0
    assert 'Host host1 is already mapped to cell %s' % uuid in out
    deployment.write_conf(transport_url='')
    assert deployment.run('cell_v2', 'map_cell_and_hosts')[0] == 1


# --- instances ---------------------------------------------------------------------

def test_map_instances_in_batches_with_marker(deployment):
    cell1 = deployment.setup_cells()
    uuids = [deployment.add_instance() for _ in range(5)]
    assert deployment.run('cell_v2', 'map_instances', '--cell_uuid', cell1,
                          '--max-count', '2')[0] == 1
    mapped = {r[0] for r in deployment.api_rows(
        "SELECT instance_uuid FROM instance_mappings WHERE project_id = 'project'")}
    assert mapped == set(uuids[:2])
    assert deployment.run('cell_v2', 'map_instances', '--cell_uuid', cell1,
                          '--max-count', '2')[0] == 1
    assert deployment.run('cell_v2', 'map_instances', '--cell_uuid', cell1,
                          '--max-count', '2')[0] == 0
    mapped = {r[0] for r in deployment.api_rows(
        "SELECT instance_uuid FROM instance_mappings WHERE project_id = 'project'")}
    assert mapped == set(uuids)
    assert deployment.api_rows("SELECT COUNT(*) FROM instance_mappings"
                               " WHERE project_id = 'INSTANCE_MIGRATION_MARKER'") == [(0,)]
    # --reset starts over; everything is already mapped, nothing is duplicated.
    assert deployment.run('cell_v2', 'map_instances', '--cell_uuid', cell1, '--reset')[0] == 0
    assert deployment.api_rows('SELECT COUNT(*) FROM instance_mappings') == [(5,)]


@pytest.mark.parametrize('bad', ['0', '-3', 'many'])
def test_map_instances_bad_max_count(deployment, bad):
    cell1 = deployment.setup_cells()
    code, out = deployment.run('cell_v2', 'map_instances', '--cell_uuid', cell1,
                               '--max-count', bad)
    assert (code, out) == (127, 'Must supply a positive value for max-count\n')


def test_map_instances_unknown_cell(deployment):
    deployment.setup_cells()
    code, out = deployment.run('cell_v2', 'map_instances', '--cell_uuid', MISSING)
    assert (code, out) == (255, 'Cell with uuid %s was not found.\n' % MISSING)


def test_verify_instance_codes(deployment):
    cell1 = deployment.setup_cells()
    assert deployment.run('cell_v2', 'verify_instance', '--uuid', MISSING) == (
        1, 'Instance %s is not mapped to a cell (upgrade is incomplete) or instance does not'
           ' exist\n' % MISSING)
    assert deployment.run('cell_v2', 'verify_instance', '--uuid', MISSING, '--quiet') == (1, '')
    live = deployment.add_instance()
    gone = deployment.add_instance(deleted=True)
    deployment.run('cell_v2', 'map_instances', '--cell_uuid', cell1)
    assert deployment.run('cell_v2', 'verify_instance', '--uuid', live)[0] == 0
    code, out = deployment.run('cell_v2', 'verify_instance', '--uuid', gone)
    assert code == 3 and 'The instance with uuid %s has been deleted.' % gone in out
    deployment.remove_instance_row(gone)
    code, out = deployment.run('cell_v2', 'verify_instance', '--uuid', gone)
    assert code == 4 and 'However its instance_mapping remains.' in out
    import sqlite3
    with sqlite3.connect(deployment.api_db) as db:
        db.execute('UPDATE instance_mappings SET cell_id = NULL WHERE instance_uuid = ?', (live,))
    assert deployment.run('cell_v2', 'verify_instance', '--uuid', live) == (
        2, 'Instance %s is not mapped to a cell\n' % live)
