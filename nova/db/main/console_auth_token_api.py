"""Cell-DB queries for console auth tokens (stored only as their sha256 hash)."""

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_utils import timeutils

from nova.db.main import engine
from nova.db.main import models
from nova import exception

__all__ = ['console_auth_token_create', 'console_auth_token_get_valid',
           'console_auth_token_destroy_all_by_instance',
           'console_auth_token_destroy_expired', 'console_auth_token_destroy_expired_by_host']

C = models.ConsoleAuthToken
_COLUMNS = tuple(c.key for c in sa.inspect(C).column_attrs)


def _as_dict(row):
    return {key: getattr(row, key) for key in _COLUMNS}


def _now():
    return int(timeutils.utcnow_ts())


@engine.writer
def console_auth_token_create(context, values):
    row = C(**values)
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.TokenInUse()
    return _as_dict(row)


@engine.reader
def console_auth_token_get_valid(context, token_hash, instance_uuid=None):
    """The unexpired token with this hash (for this instance, if given), or None."""
    query = sa.select(C).where(C.token_hash == token_hash, C.expires > _now())
    if instance_uuid is not None:
        query = query.where(C.instance_uuid == instance_uuid)
    row = context.session.scalars(query).first()
    if row is None:
        return None
    # A token of a deleted instance must not open its console.
    alive = context.session.execute(sa.select(models.Instance.id).where(
        models.Instance.uuid == row.instance_uuid, models.Instance.deleted == 0)).first()
    return _as_dict(row) if alive else None


@engine.writer
def console_auth_token_destroy_all_by_instance(context, instance_uuid):
    context.session.execute(sa.delete(C).where(C.instance_uuid == instance_uuid))


@engine.writer
def console_auth_token_destroy_expired(context):
    context.session.execute(sa.delete(C).where(C.expires <= _now()))


@engine.writer
def console_auth_token_destroy_expired_by_host(context, host):
    context.session.execute(sa.delete(C).where(C.host == host, C.expires <= _now()))
