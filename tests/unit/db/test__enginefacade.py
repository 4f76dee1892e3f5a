"""Turning an oslo.db configuration group into engine settings, reconfiguring a
context manager already started, and the SQLite connection tuning."""

import sqlite3

from oslo_config import cfg
from oslo_db.sqlalchemy import enginefacade
import pytest

from nova.db import _enginefacade


@pytest.fixture
def conf():
    """A configuration of its own with both database groups (oslo.db's option
    objects are shared between configurations: overrides are cleared after)."""
    conf = cfg.ConfigOpts()
    conf([], project='nova')
    _enginefacade.ensure_db_opts(conf)
    yield conf
    conf.clear_override('connection', group='database')
    conf.clear_override('slave_connection', group='database')
    conf.clear_override('max_retries', group='database')


def test_ensure_db_opts_registers_both_groups_once():
    conf = cfg.ConfigOpts()
    conf([], project='nova')
    with pytest.raises(cfg.NoSuchOptError):
        conf.database
    _enginefacade.ensure_db_opts(conf)
    assert 'connection' in conf.database and 'connection' in conf.api_database
    _enginefacade.ensure_db_opts(conf)  # a second call finds them and leaves them alone


def test_group_kwargs_keep_known_settings_that_are_set(conf):
    conf.set_override('connection', 'sqlite:///main.db', group='database')
    conf.set_override('max_retries', 3, group='database')
    kwargs = _enginefacade.conf_group_to_kwargs(conf.database)
    assert kwargs['connection'] == 'sqlite:///main.db'
    assert kwargs['max_retries'] == 3
    # Unset (None) values and options enginefacade does not know are left out.
    assert 'slave_connection' not in kwargs
    assert all(value is not None for value in kwargs.values())
    assert set(kwargs) <= _enginefacade._KNOWN_SETTINGS


def test_a_cell_url_replaces_the_groups_and_drops_its_replica(conf):
    conf.set_override('connection', 'sqlite:///main.db', group='database')
    conf.set_override('slave_connection', 'sqlite:///replica.db', group='database')
    own = _enginefacade.conf_group_to_kwargs(conf.database, connection='sqlite:///main.db')
    assert own['slave_connection'] == 'sqlite:///replica.db'
    cell = _enginefacade.conf_group_to_kwargs(conf.database, connection='sqlite:///cell1.db')
    assert cell['connection'] == 'sqlite:///cell1.db'
    assert 'slave_connection' not in cell


def test_configuring_a_started_context_manager_swaps_its_factory(tmp_path):
    manager = _enginefacade.new_context_manager(connection='sqlite:///%s' % (tmp_path / 'a'))
    unstarted = manager._factory
    _enginefacade.configure_context_manager(manager, max_retries=1)
    assert manager._factory is unstarted  # not started yet: configured in place
    manager.writer.get_engine()
    started = manager._factory
    _enginefacade.configure_context_manager(
        manager, connection='sqlite:///%s' % (tmp_path / 'b'))
    assert manager._factory is not started
    assert manager.writer.get_engine().url.database == str(tmp_path / 'b')
    manager._factory.dispose_pool()


def test_new_context_managers_are_independent():
    first = _enginefacade.new_context_manager(connection='sqlite://')
    second = _enginefacade.new_context_manager(connection='sqlite://')
    assert isinstance(first, enginefacade._TransactionContextManager)
    assert first._factory is not second._factory


def test_sqlite_file_connections_get_wal_and_a_busy_timeout(tmp_path):
    connection = sqlite3.connect(str(tmp_path / 'x.db'))
    _enginefacade._tune_sqlite_connection(connection)
    assert connection.isolation_level is None
    assert connection.execute('PRAGMA journal_mode').fetchone()[0] == 'wal'
    assert connection.execute('PRAGMA busy_timeout').fetchone()[0] == 30000
    connection.close()


def test_an_in_memory_database_keeps_its_journal():
    connection = sqlite3.connect(':memory:')
    _enginefacade._tune_sqlite_connection(connection)
    assert connection.execute('PRAGMA journal_mode').fetchone()[0] == 'memory'
    connection.close()
