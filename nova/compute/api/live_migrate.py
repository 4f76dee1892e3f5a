"""The compute API's live migration (os-migrateLive).

A mixin of nova.compute.api.API. Checks what upstream checks before anything
moves (the server is not locked, is ACTIVE or PAUSED with no task under way,
a named host has a compute node), moves the server into ``migrating``,
records the ``live-migration`` instance action and hands the move to
conductor: waiting for its checks before 2.34 (their refusal is then the
caller's 400, and the server is back to no task), casting from 2.34.
"""

from oslo_log import log as logging

from nova.compute.api import actions as api_actions
from nova.compute.api import checks
from nova.compute import instance_actions
from nova.compute import task_states
from nova.compute import vm_states
from nova import objects

LOG = logging.getLogger(__name__)


class LiveMigrateAPIMixin(object):
    """live_migrate for nova.compute.api.API."""

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.ACTIVE, vm_states.PAUSED))
    def live_migrate(self, context, instance, block_migration, disk_over_commit, host_name,
                     force=False, async_=True):
        """Move the running server to ``host_name`` (None: the scheduler picks)."""
        cctxt = api_actions._cell_context(context, instance)
        if host_name:
            objects.ComputeNodeList.get_all_by_host(cctxt, host_name)
        instance.task_state = task_states.MIGRATING
        instance.save(expected_task_state=[None])
        self._record_action_start(context, instance, instance_actions.LIVE_MIGRATION)
        try:
            self.compute_task_api.live_migrate_instance(
                cctxt, instance, host_name, block_migration=block_migration,
                disk_over_commit=disk_over_commit, force=force, async_=async_)
        except Exception:
            if async_:
                raise
            # Conductor refused before anything moved: the server has no task again
            # (conductor has cleared it already when it got that far).
            instance.refresh()
            if instance.task_state == task_states.MIGRATING:
                instance.task_state = None
                instance.save()
            raise
