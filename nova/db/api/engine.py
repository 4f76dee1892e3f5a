"""Database plumbing of the API database ([api_database]).

There is exactly one API database per deployment, so a single module-level
transaction context serves every caller::

    @api_engine.reader
    def _get(context, uuid): ... context.session ...

    with api_engine.context_manager.writer.using(context) as session: ...
"""

from oslo_db.sqlalchemy import enginefacade

from nova.db import _enginefacade

context_manager = enginefacade.transaction_context()

#: Decorators/context managers for a read or a read-write transaction.
reader = context_manager.reader
writer = context_manager.writer


def _conf():
    import nova.conf
    return nova.conf.CONF


def configure(conf=None, connection=None):
    """Apply [api_database] (and optionally an overriding URL) to the engine."""
    conf = conf if conf is not None else _conf()
    _enginefacade.ensure_db_opts(conf)
    kwargs = _enginefacade.conf_group_to_kwargs(conf.api_database, connection=connection)
    _enginefacade.configure_context_manager(context_manager, **kwargs)


def get_engine():
    """The API database engine (starts the engine on first use)."""
    return context_manager.writer.get_engine()
