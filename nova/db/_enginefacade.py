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
