"""Database plumbing of the cell databases ([database] and per-cell URLs).

A request context targeted at a cell (``nova.context.target_cell``) carries
that cell's transaction context in ``context.db_connection``; everything else
uses the default one configured from [database]. The ``reader``/``writer``
decorators pick the right one from the decorated function's first argument,
the RequestContext::

    @engine.reader
    def instance_get(context, uuid): ... context.session ...

nova-compute must never reach a database directly (it goes through
conductor); it sets ``DISABLE_DB_ACCESS = True`` so any attempt fails loudly.
"""

import functools
import os
import sys
import threading

from oslo_db.sqlalchemy import enginefacade

from nova.db import _enginefacade
from nova import exception

#: Set by nova-compute: any cell database access then raises DBNotAllowed.
DISABLE_DB_ACCESS = False

main_context_manager = enginefacade.transaction_context()
# Upstream spells it both ways; keep both names pointing at the same object.
context_manager = main_context_manager

_CELL_CONTEXT_MANAGERS = {}
_CELL_LOCK = threading.Lock()


def _conf():
    import nova.conf
    return nova.conf.CONF


def configure(conf=None, connection=None):
    """Apply [database] (and optionally an overriding URL) to the default engine."""
    conf = conf if conf is not None else _conf()
    _enginefacade.ensure_db_opts(conf)
    kwargs = _enginefacade.conf_group_to_kwargs(conf.database, connection=connection)
    _enginefacade.configure_context_manager(main_context_manager, **kwargs)


def create_context_manager(connection=None):
    """A transaction context for a cell database URL, created once per URL.

    Engine tuning (pool sizes, retries...) comes from [database]; only the URL
    differs between cells. Without a URL the default context is returned.
    """
    if not connection:
        return main_context_manager
    with _CELL_LOCK:
        context_manager = _CELL_CONTEXT_MANAGERS.get(connection)
        if context_manager is None:
            conf = _conf()
            _enginefacade.ensure_db_opts(conf)
            kwargs = _enginefacade.conf_group_to_kwargs(conf.database, connection=connection)
            kwargs['connection'] = connection
            context_manager = _enginefacade.new_context_manager(**kwargs)
            _CELL_CONTEXT_MANAGERS[connection] = context_manager
        return context_manager


def reset_cell_context_managers():
    """Forget (and close the pools of) every cached cell transaction context."""
    with _CELL_LOCK:
        managers = list(_CELL_CONTEXT_MANAGERS.values())
        _CELL_CONTEXT_MANAGERS.clear()
    for context_manager in managers:
        factory = context_manager._factory
        if getattr(factory, '_started', False):
            factory.dispose_pool()


def _binary_name():
    return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else 'nova'


def check_db_access():
    """Raise DBNotAllowed when this process must not touch a database."""
    if DISABLE_DB_ACCESS:
        raise exception.DBNotAllowed(binary=_binary_name())


def get_context_manager(context=None):
    """The transaction context for ``context``: its cell's, or the default."""
    check_db_access()
    cell_context_manager = getattr(context, 'db_connection', None) if context else None
    return cell_context_manager or main_context_manager


def _picking(mode):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(context, *args, **kwargs):
            transaction = getattr(get_context_manager(context), mode)
            with transaction.using(context):
                return func(context, *args, **kwargs)
        return wrapper
    return decorator


#: Run the decorated ``func(context, ...)`` in a read-only transaction.
reader = _picking('reader')
#: Run the decorated ``func(context, ...)`` in a read-write transaction.
writer = _picking('writer')
#: A read transaction that may go to [database]/slave_connection.
async_reader = _picking('async_')

# Upstream's names for the same decorators.
pick_context_manager_reader = reader
pick_context_manager_writer = writer
pick_context_manager_reader_allow_async = async_reader


def get_engine(use_slave=False, context=None):
    """The engine of ``context``'s cell (or the default cell database).

    ``get_engine(context)`` also works: a non-boolean first argument is taken
    as the context, since callers reasonably expect that spelling.
    """
    if not isinstance(use_slave, bool) and context is None:
        use_slave, context = False, use_slave
    context_manager = get_context_manager(context)
    if use_slave:
        return context_manager.reader.get_engine()
    return context_manager.writer.get_engine()
