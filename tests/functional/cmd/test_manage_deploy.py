"""The issue's "done when": nova-manage builds every database on SQLite, MariaDB, PostgreSQL.

``api_db sync`` + ``cell_v2 simple_cell_setup`` (and the step-by-step
``map_cell0`` + ``create_cell`` + ``db sync`` route) must leave the API, cell0
and cell1 databases at their latest schema, and ``list_cells`` must show
cell0 and cell1. Databases are real, uniquely named and dropped afterwards.
"""

import contextlib

import pytest
import sqlalchemy as sa

from nova.cmd import manage_cells
from nova.db import migration
from tests.fixtures import databases
from tests.fixtures import manage_cli

_CONF = """[DEFAULT]
transport_url = rabbit://guest:guest@127.0.0.1:5672/
[database]
connection = {main}
max_retries = 1
[api_database]
connection = {api}
max_retries = 1
"""


@pytest.fixture(params=databases.BACKENDS)
def deployed(request, tmp_path, capsys):
    """A nova.conf naming fresh API and main databases on one backend."""
    backend = request.param
    with contextlib.ExitStack() as stack:
        api = stack.enter_context(databases.temporary_database(backend, tmp_path))
        main = stack.enter_context(databases.temporary_database(backend, tmp_path))
        cell0 = manage_cells.cell0_default_connection(main)
        # An operator creates the (empty) cell0 database; nova-manage fills it.
        databases.create_database_of(cell0)
        stack.callback(databases.drop_database_of, cell0)
        conf_path = tmp_path / 'nova.conf'
        conf_path.write_text(_CONF.format(main=main, api=api))

        def run(*argv):
            return manage_cli.run_manage(capsys, conf_path, *argv)

        stack.callback(manage_cli.forget_process_state)
        yield run, {'api': api, 'main': main, 'cell0': cell0}


def _revision(url):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text('SELECT version_num FROM alembic_version')).scalar()
    finally:
        engine.dispose()


def _cells_listed(out):
    return [line.split('|')[1].strip() for line in out.splitlines()
            if line.startswith('| ') and 'UUID' not in line]


def test_api_db_sync_and_simple_cell_setup(deployed):
    run, urls = deployed
    assert run('api_db', 'sync')[0] == 0
    code, out = run('cell_v2', 'simple_cell_setup')
    assert code == 1 and 'No hosts found to map to cell, exiting.' in out
    assert _revision(urls['api']) == migration.head_revision('api')
    assert _revision(urls['main']) == migration.head_revision('main')
    assert _revision(urls['cell0']) == migration.head_revision('main')
    code, out = run('cell_v2', 'list_cells')
    assert code == 0
    assert _cells_listed(out) == ['cell0', 'cell1']
    assert 'guest:****@' in out
    # Everything is idempotent.
    assert run('api_db', 'sync')[0] == 0
    assert run('db', 'sync')[0] == 0
    code, out = run('cell_v2', 'simple_cell_setup')
    assert 'Cell0 is already setup' in out


def test_step_by_step_setup(deployed):
    run, urls = deployed
    assert run('api_db', 'sync')[0] == 0
    assert run('cell_v2', 'map_cell0') == (0, '')
    code, out = run('cell_v2', 'create_cell', '--name', 'cell1', '--verbose')
    assert code == 0
    cell1 = out.strip().splitlines()[-1]
    assert run('db', 'sync')[0] == 0
    assert _revision(urls['cell0']) == migration.head_revision('main')
    assert _revision(urls['main']) == migration.head_revision('main')
    assert run('api_db', 'version')[1].strip() == migration.head_revision('api')
    assert run('db', 'version')[1].strip() == migration.head_revision('main')
    code, out = run('cell_v2', 'list_cells')
    assert _cells_listed(out) == ['cell0', 'cell1']
    assert cell1 in out
    assert run('cell_v2', 'discover_hosts', '--strict')[0] == 1
    assert run('cell_v2', 'delete_cell', '--cell_uuid', cell1)[0] == 0
    assert _cells_listed(run('cell_v2', 'list_cells')[1]) == ['cell0']
