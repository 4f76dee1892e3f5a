"""Engine plumbing against real databases: cell targeting and connection errors."""

from alembic import autogenerate
from alembic import migration as alembic_migration
from oslo_db.sqlalchemy import enginefacade
import pytest
import sqlalchemy as sa

from nova import context as nova_context
from nova.db.main import engine as main_engine
from nova.db.main import models as main_models
from nova.db import migration
from nova import exception
from tests.fixtures import databases


@main_engine.writer
def _add_service(context, host):
    context.session.add(main_models.Service(host=host, binary='nova-compute',
                                            topic='compute', report_count=0))


@main_engine.reader
def _service_hosts(context):
    return [s.host for s in context.session.scalars(sa.select(main_models.Service))]


def test_targeted_context_uses_the_cell_database(database_url, tmp_path):
    with databases.temporary_database('sqlite', tmp_path) as default_url, \
            databases.use_databases(main_url=default_url):
        migration.db_sync()
        cell_manager = main_engine.create_context_manager(database_url)
        assert main_engine.create_context_manager(database_url) is cell_manager
        ctxt = nova_context.get_admin_context()
        cell_ctxt = nova_context.get_admin_context()
        cell_ctxt.db_connection = cell_manager
        migration.db_sync(context=cell_ctxt)
        assert migration.db_version(context=cell_ctxt) == migration.head_revision()

        _add_service(ctxt, 'in-default')
        _add_service(cell_ctxt, 'in-cell')
        assert _service_hosts(ctxt) == ['in-default']
        assert _service_hosts(cell_ctxt) == ['in-cell']
        assert str(migration.get_engine(context=cell_ctxt).url).split('?')[0] \
            .endswith(database_url.split('/')[-1].split('?')[0])


def test_missing_connection_is_a_clear_error():
    manager = main_engine.main_context_manager
    reset = manager.patch_factory(enginefacade._TransactionFactory())
    try:
        with pytest.raises(exception.DBConnectionError) as raised:
            migration.db_sync()
    finally:
        reset()
    assert '\n' not in str(raised.value)


@pytest.mark.parametrize('url', [
    'nosuchdriver://user@127.0.0.1/nova',
    'mysql+pymysql://root@127.0.0.1:1/nova',
    'mysql+pymysql://root@127.0.0.1/nova_no_such_database_here',
    'postgresql+psycopg2://postgres@127.0.0.1:1/nova',
])
def test_unusable_connection_is_a_clear_error(url):
    with databases.use_databases(api_url=url):
        with pytest.raises(exception.DBConnectionError) as raised:
            migration.db_sync(database='api')
    message = str(raised.value)
    assert message.startswith('Cannot connect to the database')
    assert '\n' not in message


def test_unknown_database_name_is_rejected():
    with pytest.raises(exception.Invalid):
        migration.db_sync(database='cell0')


def test_model_comparison_detects_drift(tmp_path):
    """Guard the guard: a schema that differs from the models must be reported."""
    with databases.temporary_database('sqlite', tmp_path) as url, \
            databases.use_databases(main_url=url):
        migration.db_sync()
        engine = migration.get_engine()
        with engine.begin() as connection:
            connection.execute(sa.text('DROP INDEX instances_project_id_idx'))
        with engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(connection)
            diff = autogenerate.compare_metadata(context, main_models.BASE.metadata)
        assert [d[0] for d in diff] == ['add_index']
