"""Shared helpers for building oslo.db transaction contexts from a config group.

Both the API and the cell engines are configured from a group holding oslo.db's
option set ([database] or [api_database]); this module turns such a group into
the keyword arguments ``transaction_context().configure()`` accepts, and can
(re)configure a context manager even after its engine was started, which tests
and ``nova-manage`` rely on.
"""

from oslo_db.sqlalchemy import enginefacade



def _known_settings():
    """Settings enginefacade understands; others in the group would only warn."""
    factory = enginefacade._TransactionFactory()
    known = set()
    for attr in ('_url_cfg', '_engine_cfg', '_maker_cfg', '_facade_cfg'):
        known.update(getattr(factory, attr, {}))
    return frozenset(known)


_KNOWN_SETTINGS = _known_settings()


def ensure_db_opts(conf):
    """Register [database] and [api_database] on ``conf`` when still missing."""
    try:
        conf.database.connection
        conf.api_database.connection
    except Exception:  # NoSuchOptError / NoSuchGroupError / AttributeError
        from nova.conf import database as db_conf
        db_conf.register_opts(conf)


def conf_group_to_kwargs(group, connection=None):
    """Engine keyword arguments from an oslo.db config group.

    ``connection`` overrides the group's own URL (a cell's database); the
    group's slave_connection only makes sense for the group's own URL, so it
    is dropped when overriding.
    """
    kwargs = {}
    for key, value in group.items():
        if key not in _KNOWN_SETTINGS or value is None:
            continue
        kwargs[key] = value
    if connection is not None and connection != group.connection:
        kwargs['connection'] = connection
        kwargs.pop('slave_connection', None)
    return kwargs


def configure_context_manager(context_manager, **kwargs):
    """Apply engine settings, swapping in a fresh factory if already started."""
    factory = context_manager._factory
    if getattr(factory, '_started', False):
        fresh = enginefacade._TransactionFactory()
        fresh.configure(**kwargs)
        context_manager.patch_factory(fresh)
        factory.dispose_pool()
    else:
        factory.configure(**kwargs)


def new_context_manager(**kwargs):
    """A new, independent transaction context configured with ``kwargs``."""
    context_manager = enginefacade.transaction_context()
    context_manager.configure(**kwargs)
    return context_manager


def _tune_sqlite_connection(dbapi_connection):
    """Let the services of one process share an SQLite file without 'database is locked'.

    WAL lets readers proceed while one writer writes; the busy timeout makes a
    second writer wait its turn. pysqlite's own implicit BEGIN is switched off
    so every transaction can start IMMEDIATE (see below).
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute('PRAGMA busy_timeout = 30000')
        cursor.execute('PRAGMA journal_mode')
        if cursor.fetchone()[0] not in ('memory', 'wal'):
            cursor.execute('PRAGMA journal_mode = WAL')
    finally:
        cursor.close()


def _install_sqlite_tuning():
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, 'connect')
    def _on_connect(dbapi_connection, connection_record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            _tune_sqlite_connection(dbapi_connection)

    @event.listens_for(Engine, 'begin')
    def _on_begin(connection):
        # A deferred transaction that reads and then writes cannot wait for a
        # concurrent writer (SQLite fails it at once); taking the write lock
        # up front lets the busy timeout queue writers instead.
        # oslo.db's own listener emits a plain BEGIN unless the marker it
        # shares with us says a transaction is already open.
        if connection.dialect.name == 'sqlite' and 'in_transaction' not in connection.info:
            connection.exec_driver_sql('BEGIN IMMEDIATE')
            connection.info['in_transaction'] = True

    @event.listens_for(Engine, 'commit')
    @event.listens_for(Engine, 'rollback')
    def _on_end(connection):
        if connection.dialect.name == 'sqlite':
            connection.info.pop('in_transaction', None)


_install_sqlite_tuning()
