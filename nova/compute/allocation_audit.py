"""Allocations against this host's node that outlived their instances.

Each resource-tracker period, the consumers holding resources on the node
that are not instances tracked here are looked up: one whose instance is
deleted lost its free somewhere (a reply or a Placement call that never
came through) and is freed now. A consumer with no instance at all is left
alone: most likely the scheduler just claimed it for a server conductor has
not written to the cell yet (or it is a migration's).
"""

from oslo_log import log as logging

from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)


def free_allocations_of_deleted_instances(context, reportclient, node_uuid, tracked_uuids):
    """Free what deleted instances still hold on ``node_uuid``; return their uuids."""
    try:
        allocations = reportclient.get_allocations_for_resource_provider(context, node_uuid)
    except Exception as exc:
        LOG.warning('Could not read the allocations against node %s: %s', node_uuid, exc)
        return []
    freed = []
    with_deleted = context.elevated(read_deleted='yes')
    for consumer in allocations:
        if consumer in tracked_uuids:
            continue
        try:
            instance = objects.Instance.get_by_uuid(with_deleted, consumer, expected_attrs=[])
        except exception.InstanceNotFound:
            continue
        except Exception as exc:
            LOG.warning('Could not look up consumer %s of node %s: %s', consumer,
                        node_uuid, exc)
            continue
        if not instance.deleted:
            continue
        LOG.info('Instance %s is deleted but still held resources on node %s; freeing them',
                 consumer, node_uuid)
        if reportclient.delete_allocation_for_instance(context, consumer):
            freed.append(consumer)
    return freed
