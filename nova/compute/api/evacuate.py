"""The compute API's evacuate: rebuild a server of a dead host on another one.

A mixin of nova.compute.api.API. Only a server whose host's nova-compute is
down (or forced down) may be evacuated; otherwise ComputeServiceInUse. The
API records an ``evacuation`` Migration (``accepted``), moves the server into
REBUILDING, records the action and hands the move to conductor, which finds
(or, with 2.29's ``force``, takes) the destination.
"""

from oslo_log import log as logging

from nova.compute.api import actions as api_actions
from nova.compute.api import checks
from nova.compute import instance_actions
from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)


class EvacuateAPIMixin(object):
    """evacuate for nova.compute.api.API."""

    @checks.check_instance_state(vm_state=(vm_states.ACTIVE, vm_states.STOPPED,
                                           vm_states.ERROR))
    def evacuate(self, context, instance, host=None, admin_password=None, force=False,
                 target_state=None):
        """``target_state`` 'stopped' (2.95) leaves the server stopped; otherwise it
        ends as it was (ERROR servers end ACTIVE)."""
        cctxt = api_actions._cell_context(context, instance)
        if host is not None:
            objects.ComputeNodeList.get_all_by_host(cctxt, host)
            if host == instance.host:
                raise exception.EvacuateToSameHost()
        if self._host_is_up(cctxt, instance.host):
            raise exception.ComputeServiceInUse(host=instance.host)
        migration = objects.Migration(
            cctxt, instance_uuid=instance.uuid, status='accepted',
            migration_type='evacuation', source_compute=instance.host,
            source_node=instance.node, dest_compute=host if force else None,
            old_instance_type_id=instance.flavor.id,
            new_instance_type_id=instance.flavor.id,
            user_id=context.user_id, project_id=context.project_id, hidden=False)
        instance.task_state = task_states.REBUILDING
        instance.save(expected_task_state=[None])
        migration.create()
        self._record_action_start(context, instance, instance_actions.EVACUATE)
        self.compute_task_api.evacuate_instance(
            cctxt, instance, migration, host=host, force=force,
            admin_password=admin_password, target_state=target_state)
