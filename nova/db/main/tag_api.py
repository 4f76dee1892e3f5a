"""Cell-DB queries for instance tags (hard-deleted, never archived)."""

import sqlalchemy as sa

from nova.db.main import engine
from nova.db.main import models
from nova.db.main.query import model_query
from nova import exception

__all__ = ['instance_tag_add', 'instance_tag_set', 'instance_tag_get_by_instance_uuid',
           'instance_tag_delete', 'instance_tag_delete_all', 'instance_tag_exists',
           'MAX_TAGS_PER_INSTANCE']

#: Upstream's limit on tags per server.
MAX_TAGS_PER_INSTANCE = 50

T = models.Tag


def _check_instance(context, instance_uuid):
    # (A select of the model, not of its id column: read_deleted filters on the
    # model's 'deleted' column, which a bare column does not have.)
    query = model_query(context, models.Instance, read_deleted='no').where(
        models.Instance.uuid == instance_uuid).with_only_columns(models.Instance.id)
    if context.session.execute(query).first() is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)


def _tags(context, instance_uuid):
    return list(context.session.scalars(
        sa.select(T.tag).where(T.resource_id == instance_uuid).order_by(T.tag)))


@engine.writer
def instance_tag_add(context, instance_uuid, tag):
    _check_instance(context, instance_uuid)
    existing = _tags(context, instance_uuid)
    if tag not in existing:
        if len(existing) >= MAX_TAGS_PER_INSTANCE:
            raise exception.TooManyInstanceTags(instance_id=instance_uuid)
        context.session.add(T(resource_id=instance_uuid, tag=tag))
        context.session.flush()
    return tag


@engine.writer
def instance_tag_set(context, instance_uuid, tags):
    """Replace the instance's tags with ``tags``; returns the new sorted list."""
    _check_instance(context, instance_uuid)
    tags = set(tags)
    if len(tags) > MAX_TAGS_PER_INSTANCE:
        raise exception.TooManyInstanceTags(instance_id=instance_uuid)
    existing = set(_tags(context, instance_uuid))
    stale = existing - tags
    if stale:
        context.session.execute(sa.delete(T).where(T.resource_id == instance_uuid,
                                                   T.tag.in_(stale)))
    for tag in tags - existing:
        context.session.add(T(resource_id=instance_uuid, tag=tag))
    context.session.flush()
    return _tags(context, instance_uuid)


@engine.reader
def instance_tag_get_by_instance_uuid(context, instance_uuid):
    _check_instance(context, instance_uuid)
    return _tags(context, instance_uuid)


@engine.writer
def instance_tag_delete(context, instance_uuid, tag):
    _check_instance(context, instance_uuid)
    result = context.session.execute(sa.delete(T).where(T.resource_id == instance_uuid,
                                                        T.tag == tag))
    if not result.rowcount:
        raise exception.InstanceTagNotFound(instance_id=instance_uuid, tag=tag)


@engine.writer
def instance_tag_delete_all(context, instance_uuid):
    _check_instance(context, instance_uuid)
    context.session.execute(sa.delete(T).where(T.resource_id == instance_uuid))


@engine.reader
def instance_tag_exists(context, instance_uuid, tag):
    _check_instance(context, instance_uuid)
    query = sa.select(T.tag).where(T.resource_id == instance_uuid, T.tag == tag)
    return context.session.execute(query).first() is not None
