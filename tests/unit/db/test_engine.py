"""Unit tests of the engine plumbing and migration helpers (sqlite in memory)."""

import pytest
import sqlalchemy as sa

from nova import context as nova_context
from nova.db.api import engine as api_engine
from nova.db.main import engine as main_engine
from nova.db import migration
from nova import exception
from tests.fixtures import databases


@pytest.fixture
def no_db_access():
    main_engine.DISABLE_DB_ACCESS = True
    yield
    main_engine.DISABLE_DB_ACCESS = False


def test_untargeted_context_uses_main_manager():
    ctxt = nova_context.get_admin_context()
    assert main_engine.get_context_manager(ctxt) is main_engine.main_context_manager
    assert main_engine.get_context_manager(None) is main_engine.main_context_manager


def test_targeted_context_uses_its_cell_manager():
    ctxt = nova_context.get_admin_context()
    ctxt.db_connection = main_engine.create_context_manager('sqlite:///unused-cell.db')
    assert main_engine.get_context_manager(ctxt) is ctxt.db_connection
    main_engine.reset_cell_context_managers()


def test_cell_managers_are_cached_per_url():
    first = main_engine.create_context_manager('sqlite:///cell-a.db')
    assert main_engine.create_context_manager('sqlite:///cell-a.db') is first
    assert main_engine.create_context_manager('sqlite:///cell-b.db') is not first
    assert main_engine.create_context_manager(None) is main_engine.main_context_manager
    main_engine.reset_cell_context_managers()


def test_disabled_db_access_raises(no_db_access):
    @main_engine.reader
    def read(context):
        raise AssertionError('must not run')

    with pytest.raises(exception.DBNotAllowed):
        read(nova_context.get_admin_context())
    with pytest.raises(exception.DBNotAllowed):
        main_engine.get_engine()


def test_reader_and_writer_share_a_session_per_call():
    with databases.use_databases(main_url='sqlite://'):
        @main_engine.writer
        def write(context):
            context.session.execute(sa.text('CREATE TABLE t (x INTEGER)'))
            context.session.execute(sa.text('INSERT INTO t VALUES (1)'))

        @main_engine.reader
        def read(context):
            return context.session.execute(sa.text('SELECT x FROM t')).scalar()

        ctxt = nova_context.get_admin_context()
        write(ctxt)
        assert read(ctxt) == 1


def test_api_reader_decorator():
    with databases.use_databases(api_url='sqlite://'):
        @api_engine.reader
        def read(context):
            return context.session.execute(sa.text('SELECT 7')).scalar()

        assert read(nova_context.get_admin_context()) == 7
        assert api_engine.get_engine().url.drivername == 'sqlite'


def test_configure_reads_conf_groups(tmp_path):
    from oslo_config import cfg
    conf = cfg.ConfigOpts()
    conf([], project='nova')
    main_file = tmp_path / 'main.db'
    api_file = tmp_path / 'api.db'
    from nova.db import _enginefacade
    _enginefacade.ensure_db_opts(conf)
    conf.set_override('connection', 'sqlite:///%s' % main_file, group='database')
    conf.set_override('connection', 'sqlite:///%s' % api_file, group='api_database')
    main_reset = main_engine.main_context_manager.patch_factory(
        main_engine.main_context_manager._factory)
    api_reset = api_engine.context_manager.patch_factory(api_engine.context_manager._factory)
    try:
        main_engine.configure(conf)
        api_engine.configure(conf)
        assert main_engine.get_engine().url.database == str(main_file)
        assert api_engine.get_engine().url.database == str(api_file)
    finally:
        main_engine.main_context_manager._factory.dispose_pool()
        api_engine.context_manager._factory.dispose_pool()
        main_reset()
        api_reset()


@pytest.mark.parametrize('database', ['main', 'api'])
def test_sync_in_memory(database):
    kwargs = {'main_url': 'sqlite://'} if database == 'main' else {'api_url': 'sqlite://'}
    with databases.use_databases(**kwargs):
        assert migration.db_version(database) is None
        migration.db_sync(database=database)
        assert migration.db_version(database) == migration.head_revision(database)
        migration.db_sync(database=database)
        assert migration.db_version(database) == migration.head_revision(database)


def test_each_database_has_a_single_head():
    assert migration.head_revision('main') == 'ab450ba04102'
    assert migration.head_revision('api') == 'cdeec0c85668'


def test_unknown_version_is_rejected():
    with databases.use_databases(api_url='sqlite://'):
        with pytest.raises(exception.Invalid):
            migration.db_sync(version='deadbeef', database='api')


def test_get_engine_accepts_context_positionally():
    ctxt = nova_context.get_admin_context()
    ctxt.db_connection = main_engine.create_context_manager('sqlite://')
    assert main_engine.get_engine(ctxt) is main_engine.get_engine(context=ctxt)
    assert main_engine.get_engine(ctxt).url.drivername == 'sqlite'
    main_engine.reset_cell_context_managers()
