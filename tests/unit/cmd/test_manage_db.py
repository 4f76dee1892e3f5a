"""nova-manage api_db / db: sync and version against SQLite files."""

from nova.db import migration


def test_api_db_sync_then_version(deployment):
    code, _ = deployment.run('api_db', 'sync')
    assert code == 0
    code, out = deployment.run('api_db', 'version')
    assert code == 0
    assert out.strip() == migration.head_revision('api')


def test_api_db_version_before_sync_prints_none(deployment):
    code, out = deployment.run('api_db', 'version')
    assert (code, out.strip()) == (0, 'None')


def test_db_sync_local_cell_only_touches_main_db(deployment):
    code, out = deployment.run('db', 'sync', '--local_cell')
    assert code == 0
    assert 'cell0' not in out
    code, out = deployment.run('db', 'version')
    assert out.strip() == migration.head_revision('main')


def test_db_sync_without_cell0_mapping_warns_and_syncs(deployment):
    deployment.run('api_db', 'sync')
    code, out = deployment.run('db', 'sync')
    assert code == 0
    assert 'WARNING: cell0 mapping not found - not syncing cell0.' in out
    assert deployment.run('db', 'version')[1].strip() == migration.head_revision('main')


def test_db_sync_also_syncs_mapped_cell0(deployment, tmp_path):
    deployment.run('api_db', 'sync')
    cell0 = tmp_path / 'cell0.db'
    assert deployment.run('cell_v2', 'map_cell0',
                          '--database_connection', 'sqlite:///%s' % cell0)[0] == 0
    code, out = deployment.run('db', 'sync')
    assert code == 0, out
    import sqlite3
    with sqlite3.connect(cell0) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {'instances', 'shadow_instances', 'alembic_version'} <= tables


def test_db_sync_unreachable_cell0_returns_1(deployment, tmp_path):
    deployment.run('api_db', 'sync')
    missing_dir = tmp_path / 'no' / 'such' / 'dir' / 'cell0.db'
    deployment.run('cell_v2', 'map_cell0', '--database_connection', 'sqlite:///%s' % missing_dir)
    code, out = deployment.run('db', 'sync')
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('ERROR: Could not access cell0')


def test_db_sync_to_unknown_version_is_one_line_error(deployment):
    code, out = deployment.run('db', 'sync', '--local_cell', 'nosuchrevision')
    assert code == 255
    assert out.strip().splitlines() == [
        'An error has occurred: Bad input: Unknown database version nosuchrevision']


def test_unreachable_api_database_is_one_line_error(deployment, tmp_path):
    deployment.api_db = tmp_path / 'missing' / 'dir' / 'api.db'
    deployment.write_conf()
    code, out = deployment.run('api_db', 'sync')
    assert code == 255
    lines = out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith('An error has occurred: Cannot connect to the database')


def test_unimplemented_db_commands_say_so(deployment):
    for command in (['db', 'purge', '--all'], ['db', 'online_data_migrations'],
                    ['db', 'ironic_compute_node_move']):
        code, out = deployment.run(*command)
        assert code == 69
        assert out.strip() == 'nova-manage db %s: not implemented in this release' % command[1]
