"""Cell-DB queries for block device mappings (an instance's disks)."""

import sqlalchemy as sa
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova.db.main import engine
from nova.db.main import models
from nova.db.main.query import model_query
from nova import exception

__all__ = ['block_device_mapping_create', 'block_device_mapping_update',
           'block_device_mapping_update_or_create', 'block_device_mapping_destroy',
           'block_device_mapping_get_all_by_instance_uuids',
           'block_device_mapping_get_by_volume_id', 'block_device_mapping_get_by_uuid',
           'block_device_mapping_destroy_by_instance']

B = models.BlockDeviceMapping
BDM_COLUMNS = tuple(c.key for c in sa.inspect(B).column_attrs)


def _as_dict(row):
    return {key: getattr(row, key) for key in BDM_COLUMNS}


def _scrub(values):
    values = dict(values)
    values.pop('id', None)
    if values.get('source_type') == 'snapshot' and not values.get('snapshot_id'):
        values['snapshot_id'] = None
    return values


@engine.writer
def block_device_mapping_create(context, values):
    values = _scrub(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    row = B(**values)
    context.session.add(row)
    context.session.flush()
    return _as_dict(row)


@engine.writer
def block_device_mapping_update(context, bdm_id, values):
    row = context.session.scalars(model_query(context, B).where(B.id == bdm_id)).first()
    if row is None:
        raise exception.BlockDeviceMappingNotFound(id=bdm_id)
    for key, value in _scrub(values).items():
        setattr(row, key, value)
    context.session.flush()
    return _as_dict(row)


@engine.writer
def block_device_mapping_update_or_create(context, values):
    """Update the instance's BDM for the same device (or volume), else insert one."""
    query = model_query(context, B).where(B.instance_uuid == values['instance_uuid'])
    if values.get('device_name'):
        query = query.where(B.device_name == values['device_name'])
    elif values.get('volume_id'):
        query = query.where(B.volume_id == values['volume_id'])
    else:
        query = query.where(sa.false())
    row = context.session.scalars(query).first()
    if row is None:
        return block_device_mapping_create(context, values)
    for key, value in _scrub(values).items():
        setattr(row, key, value)
    context.session.flush()
    return _as_dict(row)


@engine.writer
def block_device_mapping_destroy(context, bdm_id):
    context.session.execute(sa.update(B).where(B.id == bdm_id, B.deleted == 0).values(
        deleted=B.id, deleted_at=timeutils.utcnow(), updated_at=B.updated_at))


@engine.writer
def block_device_mapping_destroy_by_instance(context, instance_uuid):
    context.session.execute(sa.update(B).where(B.instance_uuid == instance_uuid,
                                               B.deleted == 0).values(
        deleted=B.id, deleted_at=timeutils.utcnow(), updated_at=B.updated_at))


@engine.reader
def block_device_mapping_get_all_by_instance_uuids(context, instance_uuids):
    if not instance_uuids:
        return []
    query = model_query(context, B).where(B.instance_uuid.in_(instance_uuids)).order_by(B.id)
    return [_as_dict(row) for row in context.session.scalars(query)]


@engine.reader
def block_device_mapping_get_by_volume_id(context, volume_id, instance_uuid=None):
    query = model_query(context, B).where(B.volume_id == volume_id)
    if instance_uuid:
        query = query.where(B.instance_uuid == instance_uuid)
    rows = context.session.scalars(query.order_by(B.id)).all()
    return [_as_dict(row) for row in rows]


@engine.reader
def block_device_mapping_get_by_uuid(context, bdm_uuid):
    row = context.session.scalars(model_query(context, B).where(B.uuid == bdm_uuid)).first()
    if row is None:
        raise exception.BlockDeviceMappingNotFound(id=bdm_uuid)
    return _as_dict(row)
