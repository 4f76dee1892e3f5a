"""Conductor's sweep of builds no compute host will ever finish.

A build can stop where no nova-compute sees it: a build request conductor
never turned into an instance (its message lost, conductor killed midway),
or an instance written to a cell whose cast to a compute host was lost.
Once such a build is older than ``[DEFAULT] instance_build_timeout`` it is
ended the way conductor ends any failed build: one record in ERROR with a
fault, in the cell its mapping names, no build request, no allocation.
Builds a compute host has taken are its own ``_check_instance_build_time``'s.
"""

from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import context as nova_context
from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)


def _overdue(created_at, timeout):
    return created_at is not None and timeutils.is_older_than(created_at, timeout)


def _created_at(build_request):
    if build_request.obj_attr_is_set('created_at') and build_request.created_at:
        return build_request.created_at
    instance = build_request.instance
    return instance.created_at if instance.obj_attr_is_set('created_at') else None


def end_lost_build_requests(context, task_manager, timeout):
    """Fail build requests older than ``timeout``; return how many."""
    ended = 0
    for build_request in objects.BuildRequestList.get_all(context):
        if not _overdue(_created_at(build_request), timeout):
            continue
        uuid = build_request.instance_uuid
        try:
            spec = objects.RequestSpec.get_by_instance_uuid(context, uuid)
        except exception.RequestSpecNotFound:
            spec = None
        exc = exception.InstanceBuildTimeout(instance_uuid=uuid, timeout=timeout)
        LOG.warning('%s It was never handed to a compute host.', exc.format_message())
        try:
            task_manager.fail_build_request(context, build_request, spec, exc)
            ended += 1
        except Exception:
            LOG.exception('Could not end the lost build of %s', uuid)
    return ended


def end_unclaimed_instances(context, reportclient, timeout):
    """ERROR for cell records in BUILD that no host took within ``timeout``."""
    ended = 0
    for cell in objects.CellMappingList.get_all(context):
        if cell.uuid == objects.CellMapping.CELL0_UUID:
            continue
        with nova_context.target_cell(context, cell) as cctxt:
            try:
                unclaimed = objects.InstanceList.get_by_filters(
                    cctxt, {'vm_state': vm_states.BUILDING, 'host': None, 'deleted': False},
                    expected_attrs=[])
            except Exception as exc:
                LOG.warning('Could not list the unclaimed builds of cell %s: %s',
                            cell.uuid, exc)
                continue
            for instance in unclaimed:
                if not _overdue(instance.created_at, timeout):
                    continue
                exc = exception.InstanceBuildTimeout(instance_uuid=instance.uuid,
                                                     timeout=timeout)
                LOG.warning('%s No compute host took it.', exc.format_message())
                try:
                    instance.vm_state = vm_states.ERROR
                    instance.task_state = None
                    # Only while no host has it: a compute claiming it now wins.
                    instance.save(expected_task_state=[task_states.SCHEDULING])
                except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                    continue
                compute_utils.add_instance_fault_from_exc(cctxt, instance, exc)
                reportclient.delete_allocation_for_instance(context, instance.uuid)
                ended += 1
    return ended
