"""Servers of a cell whose database does not answer (microversion 2.69).

From 2.69 the API still lists and shows such servers, as partial records
built from what the API database knows: the instance mapping (id, project,
creation time) and, for a single server, its request spec (user, flavor,
image, availability zone).  Below 2.69 a listing skips them
(``[api] list_records_by_skipping_down_cells``) and a show fails.
"""

from oslo_log import log as logging

from nova.compute import power_state
from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)


def is_partial(instance):
    """True for a record made here: no cell row was read (no vm_state at all)."""
    return not instance.obj_attr_is_set('vm_state')


def _partial(context, mapping):
    instance = objects.Instance(context=context, uuid=mapping.instance_uuid,
                                project_id=mapping.project_id,
                                created_at=mapping.created_at)
    instance.obj_reset_changes()
    return instance


def listed(context, cell, project_id=None, limit=None):
    """Partial records of a down cell's servers (of ``project_id``, if given)."""
    LOG.warning('Cell %s is not responding; listing only partial records of its '
                'servers', cell.uuid)
    found = []
    for mapping in objects.InstanceMappingList.get_by_cell_id(context, cell.id):
        if mapping.queued_for_delete:
            continue
        if project_id is not None and mapping.project_id != project_id:
            continue
        found.append(_partial(context, mapping))
        if limit is not None and len(found) >= limit:
            break
    return found


def shown(context, mapping):
    """The partial record of one server of a down cell, with its request spec."""
    if mapping.queued_for_delete:
        raise exception.InstanceNotFound(instance_id=mapping.instance_uuid)
    try:
        spec = objects.RequestSpec.get_by_instance_uuid(context, mapping.instance_uuid)
    except exception.RequestSpecNotFound:
        # Deleted, and its spec archived since.
        raise exception.InstanceNotFound(instance_id=mapping.instance_uuid)
    LOG.warning('Cell %s is not responding; showing a partial record of %s',
                mapping.cell_mapping.uuid, mapping.instance_uuid)
    instance = _partial(context, mapping)
    image = spec.image if spec.obj_attr_is_set('image') else None
    instance.image_ref = (image.id if image is not None and image.obj_attr_is_set('id')
                          else None)
    instance.user_id = spec.user_id if spec.obj_attr_is_set('user_id') else None
    instance.flavor = spec.flavor
    instance.availability_zone = spec.availability_zone
    instance.power_state = power_state.NOSTATE
    instance.obj_reset_changes()
    return instance
