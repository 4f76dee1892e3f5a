"""Cell-DB queries for migrations (resizes, cold/live migrations, evacuations)."""

import datetime

import sqlalchemy as sa
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova.db.main import engine
from nova.db.main import models
from nova.db.main.query import model_query
from nova import exception

__all__ = ['migration_create', 'migration_update', 'migration_get', 'migration_get_by_uuid',
           'migration_get_by_instance_and_status', 'migration_get_by_id_and_instance',
           'migration_get_all_by_filters',
           'migration_get_unconfirmed_by_dest_compute',
           'migration_get_in_progress_by_host_and_node',
           'migration_get_in_progress_by_instance', 'MIGRATION_DONE_STATUSES']

M = models.Migration
MIGRATION_COLUMNS = tuple(c.key for c in sa.inspect(M).column_attrs)
# A migration in none of these states still holds resources on its hosts.
MIGRATION_DONE_STATUSES = ('reverted', 'confirmed', 'error', 'failed', 'completed',
                           'cancelled', 'done')


def _as_dict(row):
    return {key: getattr(row, key) for key in MIGRATION_COLUMNS}


def _get(context, query, error):
    row = context.session.scalars(query).first()
    if row is None:
        raise error
    return row


@engine.writer
def migration_create(context, values):
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    row = M(**values)
    context.session.add(row)
    context.session.flush()
    return _as_dict(row)


@engine.writer
def migration_update(context, migration_id, values):
    row = _get(context, model_query(context, M).where(M.id == migration_id),
               exception.MigrationNotFound(migration_id=migration_id))
    for key, value in values.items():
        setattr(row, key, value)
    context.session.flush()
    return _as_dict(row)


@engine.reader
def migration_get(context, migration_id):
    return _as_dict(_get(context, model_query(context, M).where(M.id == migration_id),
                         exception.MigrationNotFound(migration_id=migration_id)))


@engine.reader
def migration_get_by_uuid(context, migration_uuid):
    return _as_dict(_get(context, model_query(context, M).where(M.uuid == migration_uuid),
                         exception.MigrationNotFound(migration_id=migration_uuid)))


@engine.reader
def migration_get_by_id_and_instance(context, migration_id, instance_uuid):
    """The migration ``migration_id`` of that instance (an id from a URL: any string)."""
    error = exception.MigrationNotFoundForInstance(migration_id=migration_id,
                                                   instance_id=instance_uuid)
    try:
        number = int(str(migration_id))
    except ValueError:
        raise error
    if not -2 ** 63 <= number < 2 ** 63:
        raise error
    query = model_query(context, M).where(M.id == number, M.instance_uuid == instance_uuid)
    return _as_dict(_get(context, query, error))


@engine.reader
def migration_get_by_instance_and_status(context, instance_uuid, status):
    query = model_query(context, M).where(M.instance_uuid == instance_uuid,
                                          M.status == status).order_by(M.id.desc())
    return _as_dict(_get(context, query, exception.MigrationNotFoundByStatus(
        instance_id=instance_uuid, status=status)))


@engine.reader
def migration_get_all_by_filters(context, filters, sort_keys=None, sort_dirs=None,
                                 limit=None, marker=None):
    query = model_query(context, M)
    filters = dict(filters or {})
    if 'uuid' in filters:
        uuids = filters['uuid']
        query = query.where(M.uuid.in_([uuids] if isinstance(uuids, str) else uuids))
    if 'status' in filters:
        status = filters['status']
        query = query.where(M.status.in_([status] if isinstance(status, str) else status))
    if 'host' in filters:
        query = query.where(sa.or_(M.source_compute == filters['host'],
                                   M.dest_compute == filters['host']))
    elif 'source_compute' in filters:
        query = query.where(M.source_compute == filters['source_compute'])
    if 'node' in filters:
        query = query.where(sa.or_(M.source_node == filters['node'],
                                   M.dest_node == filters['node']))
    for key in ('migration_type', 'instance_uuid', 'user_id', 'project_id', 'hidden'):
        if key in filters and filters[key] is not None:
            value = filters[key]
            column = getattr(M, key)
            query = query.where(column.in_(value) if isinstance(value, (list, tuple))
                                else column == value)
    if 'changes-since' in filters:
        query = query.where(M.updated_at >= timeutils.normalize_time(filters['changes-since']))
    if 'changes-before' in filters:
        query = query.where(M.updated_at <= timeutils.normalize_time(
            filters['changes-before']))
    sort_keys = list(sort_keys or ['created_at', 'id'])
    sort_dirs = list(sort_dirs or ['desc'] * len(sort_keys))
    if marker is not None:
        marker_row = context.session.scalars(
            model_query(context, M, read_deleted='yes').where(M.uuid == marker)).first()
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
        # Newest-first listings page by (created_at, id), which is what the API uses.
        query = query.where(sa.or_(M.created_at < marker_row.created_at,
                                   sa.and_(M.created_at == marker_row.created_at,
                                           M.id < marker_row.id)))
    for key, direction in zip(sort_keys, sort_dirs):
        column = getattr(M, key)
        query = query.order_by(column.asc() if direction == 'asc' else column.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_as_dict(row) for row in context.session.scalars(query)]


@engine.reader
def migration_get_unconfirmed_by_dest_compute(context, confirm_window, dest_compute):
    """Finished resizes older than ``confirm_window`` seconds, awaiting confirmation."""
    cutoff = timeutils.utcnow() - datetime.timedelta(seconds=confirm_window)
    query = model_query(context, M).where(M.updated_at <= cutoff, M.status == 'finished',
                                          M.dest_compute == dest_compute)
    return [_as_dict(row) for row in context.session.scalars(query)]


@engine.reader
def migration_get_in_progress_by_host_and_node(context, host, node):
    query = model_query(context, M).where(
        sa.or_(sa.and_(M.source_compute == host, M.source_node == node),
               sa.and_(M.dest_compute == host, M.dest_node == node)),
        M.status.not_in(MIGRATION_DONE_STATUSES))
    return [_as_dict(row) for row in context.session.scalars(query.order_by(M.id))]


@engine.reader
def migration_get_in_progress_by_instance(context, instance_uuid, migration_type=None):
    query = model_query(context, M).where(M.instance_uuid == instance_uuid,
                                          M.status.in_(('queued', 'preparing', 'running',
                                                        'post-migrating')))
    if migration_type:
        query = query.where(M.migration_type == migration_type)
    return [_as_dict(row) for row in context.session.scalars(query.order_by(M.id))]
