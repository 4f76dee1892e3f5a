"""The cell database's engine plumbing: which context manager a context uses, cached
per cell URL, reader/writer sessions, DB access switched off (sqlite in memory)."""

import pytest
import sqlalchemy as sa

from nova import context as nova_context
from nova.db.main import engine as main_engine
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


def test_get_engine_accepts_context_positionally():
    ctxt = nova_context.get_admin_context()
    ctxt.db_connection = main_engine.create_context_manager('sqlite://')
    assert main_engine.get_engine(ctxt) is main_engine.get_engine(context=ctxt)
    assert main_engine.get_engine(ctxt).url.drivername == 'sqlite'
    main_engine.reset_cell_context_managers()
