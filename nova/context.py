"""Request context: who is calling, and which cell their request is aimed at.

A context travels with every RPC message (serialised with ``to_dict``) so the
receiving service acts with the caller's identity and request id.
"""

import contextlib
import copy
import threading

from oslo_context import context as oslo_context
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log as logging
from oslo_utils import timeutils

LOG = logging.getLogger(__name__)

_CELL_CACHE = {}
_CELL_CACHE_LOCK = threading.Lock()


@enginefacade.transaction_context_provider
class RequestContext(oslo_context.RequestContext):
    """Security context and request information."""

    def __init__(self, user_id=None, project_id=None, is_admin=None,
                 read_deleted="no", remote_address=None, timestamp=None,
                 quota_class=None, service_catalog=None,
                 user_auth_plugin=None, **kwargs):
        kwargs.setdefault('user_id', user_id)
        kwargs.setdefault('project_id', project_id)
        super().__init__(is_admin=is_admin or False, **kwargs)
        if is_admin is None:
            self.is_admin = 'admin' in [r.lower() for r in (self.roles or [])]
        self.read_deleted = read_deleted
        self.remote_address = remote_address
        if not timestamp:
            timestamp = timeutils.utcnow()
        elif isinstance(timestamp, str):
            timestamp = timeutils.normalize_time(timeutils.parse_isotime(timestamp))
        self.timestamp = timestamp
        self.quota_class = quota_class
        self.service_catalog = service_catalog or []
        self.user_auth_plugin = user_auth_plugin
        # Set by target_cell(): the cell's DB context manager and transport.
        self.db_connection = None
        self.mq_connection = None
        self.cell_uuid = None

    @property
    def read_deleted(self):
        return self._read_deleted

    @read_deleted.setter
    def read_deleted(self, value):
        if value not in ('no', 'yes', 'only'):
            raise ValueError("read_deleted can only be one of 'no', 'yes' or "
                             "'only', not %r" % value)
        self._read_deleted = value

    def to_dict(self):
        values = super().to_dict()
        values.update({
            'user_id': self.user_id,
            'project_id': self.project_id,
            'is_admin': self.is_admin,
            'read_deleted': self.read_deleted,
            'remote_address': self.remote_address,
            'timestamp': self.timestamp.strftime('%Y-%m-%dT%H:%M:%S.%f'),
            'quota_class': self.quota_class,
            'service_catalog': self.service_catalog,
        })
        return values

    @classmethod
    def from_dict(cls, values):
        return super().from_dict(
            values,
            user_id=values.get('user_id'),
            project_id=values.get('project_id'),
            is_admin=values.get('is_admin'),
            read_deleted=values.get('read_deleted', 'no'),
            remote_address=values.get('remote_address'),
            timestamp=values.get('timestamp'),
            quota_class=values.get('quota_class'),
            service_catalog=values.get('service_catalog'),
        )

    def elevated(self, read_deleted=None):
        """A copy with admin rights, for internal bookkeeping on the caller's behalf."""
        ctx = copy.copy(self)
        ctx.roles = list(self.roles or [])
        ctx.is_admin = True
        if 'admin' not in ctx.roles:
            ctx.roles.append('admin')
        if read_deleted is not None:
            ctx.read_deleted = read_deleted
        return ctx

    def to_policy_values(self):
        """oslo.context's credentials plus ``is_admin``, which ``is_admin:True`` checks read."""
        values = super().to_policy_values()
        values['is_admin'] = self.is_admin
        return values

    def can(self, action, target=None, fatal=True):
        """Policy check: True if allowed; raise PolicyNotAuthorized (403) when ``fatal``."""
        from nova import policy  # deferred: policy imports config and the rule modules
        if target is None:
            target = {'project_id': self.project_id, 'user_id': self.user_id}
        return policy.authorize(self, action, target, do_raise=fatal)

    def __str__(self):
        return "<Context %s>" % self.to_dict()


def get_admin_context(read_deleted="no"):
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          read_deleted=read_deleted, overwrite=False)


def get_context():
    """An unprivileged context for internal use, without an identity."""
    return RequestContext(user_id=None, project_id=None, is_admin=False, overwrite=False)


def is_user_context(context):
    return bool(context and not context.is_admin and context.user_id and context.project_id)


def _cell_connections(cell_mapping):
    """Return (db_context_manager, transport) for a cell, creating them once."""
    from nova.db.main import engine as main_engine  # deferred: keep context import-light
    from nova import rpc

    key = cell_mapping.uuid
    with _CELL_CACHE_LOCK:
        cached = _CELL_CACHE.get(key)
        if cached is None or cached[0] != (cell_mapping.database_connection,
                                           cell_mapping.transport_url):
            db_cm = main_engine.create_context_manager(cell_mapping.database_connection)
            # cell0 is mapped with a 'none:///' transport: it never receives RPC.
            url = cell_mapping.transport_url
            transport = (rpc.create_transport(url)
                         if url and not url.startswith('none:') else None)
            cached = ((cell_mapping.database_connection, cell_mapping.transport_url),
                      db_cm, transport)
            _CELL_CACHE[key] = cached
        return cached[1], cached[2]


def set_target_cell(context, cell_mapping):
    """Aim ``context`` at a cell (or back at the default when None), in place."""
    if cell_mapping is None:
        context.db_connection = None
        context.mq_connection = None
        context.cell_uuid = None
        return
    db_cm, transport = _cell_connections(cell_mapping)
    context.db_connection = db_cm
    context.mq_connection = transport
    context.cell_uuid = cell_mapping.uuid


@contextlib.contextmanager
def target_cell(context, cell_mapping):
    """Yield a copy of ``context`` aimed at ``cell_mapping``."""
    cctxt = copy.copy(context)
    set_target_cell(cctxt, cell_mapping)
    yield cctxt


def reset_cell_cache():
    """Forget cached cell connections (tests, and after a cell is updated).

    The cells' message transports are closed too: each keeps a reply
    listener thread that would otherwise go on polling its broker (or, in
    tests, a vhost that no longer exists) for the life of the process.
    """
    with _CELL_CACHE_LOCK:
        dropped = list(_CELL_CACHE.values())
        _CELL_CACHE.clear()
    for _key, _db_cm, transport in dropped:
        if transport is None:
            continue
        try:
            transport.cleanup()
        except Exception as exc:  # closing is best effort; the cache is already clear
            LOG.debug('Could not close a cell transport: %s', exc)
