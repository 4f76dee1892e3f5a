"""Direct cell-database reads that ``nova-manage`` needs about instances.

The versioned Instance object is not available to these commands yet, so the
few questions they ask (which instances exist, is one deleted, is a host
still busy) are answered here from the ``instances`` table of the cell the
context is targeted at.
"""

import collections

import sqlalchemy as sa

from nova.db.main import engine
from nova.db.main import models

InstanceRow = collections.namedtuple(
    'InstanceRow', ['id', 'uuid', 'project_id', 'user_id', 'host', 'deleted'])

_COLUMNS = (models.Instance.id, models.Instance.uuid, models.Instance.project_id,
            models.Instance.user_id, models.Instance.host, models.Instance.deleted)


def _rows(result):
    return [InstanceRow(*row) for row in result]


@engine.reader
def instances_after(context, marker_uuid, limit):
    """Up to ``limit`` instances (deleted ones included), oldest first, after a marker."""
    query = sa.select(*_COLUMNS).order_by(models.Instance.id).limit(limit)
    if marker_uuid:
        marker_id = context.session.execute(
            sa.select(models.Instance.id).where(models.Instance.uuid == marker_uuid)
        ).scalar()
        if marker_id is not None:
            query = query.where(models.Instance.id > marker_id)
    return _rows(context.session.execute(query))


@engine.reader
def instance_by_uuid(context, uuid):
    """The instance row with ``uuid`` whether deleted or not, or None once archived."""
    rows = _rows(context.session.execute(
        sa.select(*_COLUMNS).where(models.Instance.uuid == uuid)))
    return rows[0] if rows else None


@engine.reader
def count_live_instances(context, host=None):
    """How many not-deleted instances the cell (or one of its hosts) holds."""
    query = sa.select(sa.func.count(models.Instance.id)).where(models.Instance.deleted == 0)
    if host is not None:
        query = query.where(models.Instance.host == host)
    return context.session.execute(query).scalar()
