"""Cell-DB queries for service records."""

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_utils import timeutils

from nova.db.main import engine
from nova.db.main import models
from nova.db.main.query import apply_updates, model_query, soft_delete_values
from nova import exception

__all__ = [
    'service_get', 'service_get_by_uuid', 'service_get_by_host_and_topic',
    'service_get_by_host_and_binary', 'service_get_all', 'service_get_all_by_topic',
    'service_get_all_by_binary', 'service_get_all_by_binary_and_hosts',
    'service_liveness_by_binary',
    'service_get_all_by_host', 'service_create',
    'service_update', 'service_destroy', 'service_get_minimum_version',
]


def _first_or_raise(context, query, exc):
    row = context.session.scalars(query).first()
    if row is None:
        raise exc
    return row


@engine.reader
def service_get(context, service_id):
    query = model_query(context, models.Service).where(models.Service.id == service_id)
    return _first_or_raise(context, query, exception.ServiceNotFound(service_id=service_id))


@engine.reader
def service_get_by_uuid(context, service_uuid):
    query = model_query(context, models.Service).where(models.Service.uuid == service_uuid)
    return _first_or_raise(context, query, exception.ServiceNotFound(service_id=service_uuid))


@engine.reader
def service_get_by_host_and_topic(context, host, topic):
    query = model_query(context, models.Service, read_deleted='no').where(
        models.Service.host == host, models.Service.topic == topic)
    return _first_or_raise(context, query, exception.ServiceNotFound(service_id=None))


@engine.reader
def service_get_by_host_and_binary(context, host, binary):
    query = model_query(context, models.Service, read_deleted='no').where(
        models.Service.host == host, models.Service.binary == binary)
    return _first_or_raise(context, query,
                           exception.HostBinaryNotFound(host=host, binary=binary))


@engine.reader
def service_get_all(context, disabled=None):
    query = model_query(context, models.Service).order_by(models.Service.id)
    if disabled is not None:
        query = query.where(models.Service.disabled == disabled)
    return context.session.scalars(query).all()


@engine.reader
def service_get_all_by_topic(context, topic):
    query = model_query(context, models.Service, read_deleted='no').where(
        models.Service.topic == topic).order_by(models.Service.id)
    return context.session.scalars(query).all()


@engine.reader
def service_get_all_by_binary(context, binary, include_disabled=False):
    query = model_query(context, models.Service, read_deleted='no').where(
        models.Service.binary == binary).order_by(models.Service.id)
    if not include_disabled:
        query = query.where(models.Service.disabled.is_(False))
    return context.session.scalars(query).all()


# What says whether a service can take work: enabled, not forced down, heard from.
LIVENESS_COLUMNS = ('id', 'host', 'disabled', 'disabled_reason', 'forced_down',
                    'last_seen_up', 'updated_at', 'created_at')


@engine.reader
def service_liveness_by_binary(context, binary):
    """[{column: value}] of LIVENESS_COLUMNS for every live service of ``binary``
    (disabled ones too): plain rows, for readers that look at many services."""
    query = sa.select(*[getattr(models.Service, c) for c in LIVENESS_COLUMNS]).where(
        models.Service.binary == binary, models.Service.deleted == 0).order_by(
        models.Service.id)
    return [dict(row) for row in context.session.execute(query).mappings()]


@engine.reader
def service_get_all_by_binary_and_hosts(context, binary, hosts):
    """Live services of ``binary`` on any of ``hosts`` (disabled ones too), one query."""
    if not hosts:
        return []
    query = model_query(context, models.Service, read_deleted='no').where(
        models.Service.binary == binary,
        models.Service.host.in_(sorted(set(hosts)))).order_by(models.Service.id)
    return context.session.scalars(query).all()


@engine.reader
def service_get_all_by_host(context, host):
    query = model_query(context, models.Service, read_deleted='no').where(
        models.Service.host == host).order_by(models.Service.id)
    return context.session.scalars(query).all()


@engine.writer
def service_create(context, values):
    row = apply_updates(models.Service(), values)
    try:
        context.session.add(row)
        context.session.flush()
    except db_exc.DBDuplicateEntry as e:
        if 'binary' in e.columns:
            raise exception.ServiceBinaryExists(host=values.get('host'),
                                                binary=values.get('binary'))
        raise exception.ServiceTopicExists(host=values.get('host'),
                                           topic=values.get('topic'))
    return row


@engine.writer
def service_update(context, service_id, values):
    query = model_query(context, models.Service, read_deleted='no').where(
        models.Service.id == service_id)
    row = _first_or_raise(context, query, exception.ServiceNotFound(service_id=service_id))
    if 'report_count' in values and values['report_count'] > (row.report_count or 0):
        # A heartbeat: remember when the service was last seen alive.
        values = dict(values, last_seen_up=timeutils.utcnow())
    apply_updates(row, values)
    context.session.flush()
    return row


@engine.writer
def service_destroy(context, service_id):
    query = model_query(context, models.Service).where(models.Service.id == service_id)
    row = _first_or_raise(context, query, exception.ServiceNotFound(service_id=service_id))
    apply_updates(row, soft_delete_values(row.id))
    if row.binary == 'nova-compute':
        # A compute's nodes go with it; they are re-created if it returns.
        for node in context.session.scalars(
                model_query(context, models.ComputeNode).where(
                    models.ComputeNode.host == row.host)).all():
            apply_updates(node, soft_delete_values(node.id))
    context.session.flush()


@engine.reader
def service_get_minimum_version(context, binaries):
    query = (sa.select(models.Service.binary, sa.func.min(models.Service.version))
             .where(models.Service.binary.in_(binaries), models.Service.deleted == 0,
                    models.Service.forced_down.is_(False))
             .group_by(models.Service.binary))
    versions = [v for _b, v in context.session.execute(query).all() if v is not None]
    return min(versions) if versions else None
