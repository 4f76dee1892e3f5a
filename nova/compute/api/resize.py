"""The compute API's resize, cold migration, confirm and revert.

A mixin of nova.compute.api.API. ``resize`` (with a new flavor) and
``migrate`` (same flavor, optionally to a named host, 2.56) check what
upstream checks (state, lock, the flavor really changes, the root disk does
not shrink, the quota has room for the bigger flavor, the host exists), move
the server into RESIZE_PREP, record the action and hand the move to
conductor. ``confirm_resize`` and ``revert_resize`` act on the server's
``finished`` migration and cast to the host that does the next step.
"""

from oslo_log import log as logging

import nova.conf
from nova.compute.api import actions as api_actions
from nova.compute.api import checks
from nova.compute import instance_actions
from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import objects
from nova import quota

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _is_volume_backed(instance):
    return not instance.image_ref


class ResizeAPIMixin(object):
    """Resize and cold migration for nova.compute.api.API."""

    def _new_flavor(self, context, instance, flavor_id):
        current = instance.get_flavor()
        flavor = objects.Flavor.get_by_flavor_id(context, flavor_id, read_deleted='no')
        if flavor.flavorid == current.flavorid:
            raise exception.CannotResizeToSameFlavor()
        if flavor.disabled:
            raise exception.FlavorNotFound(flavor_id=flavor_id)
        if not _is_volume_backed(instance):
            if flavor.root_gb == 0 and current.root_gb != 0:
                raise exception.CannotResizeDisk(
                    reason='Resize to zero disk flavor is not allowed.')
            if flavor.root_gb < current.root_gb:
                raise exception.CannotResizeDisk(
                    reason='Unable to resize disk down.')
        return flavor

    def _check_target_host(self, context, instance, host_name):
        """ComputeHostNotFound unless the host has a node; the server's own host
        is refused."""
        if host_name == instance.host:
            raise exception.CannotMigrateToSameHost()
        objects.ComputeNodeList.get_all_by_host(context, host_name)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.ACTIVE, vm_states.STOPPED))
    def resize(self, context, instance, flavor_id=None, host_name=None):
        """Resize to ``flavor_id``, or (without one) cold-migrate, to ``host_name``
        when given."""
        current = instance.get_flavor()
        if flavor_id is None:
            flavor = current
            action = instance_actions.MIGRATE
        else:
            flavor = self._new_flavor(context, instance, flavor_id)
            action = instance_actions.RESIZE
            quota.check_resize(context, instance.project_id, current, flavor,
                               user_id=instance.user_id)
        cctxt = api_actions._cell_context(context, instance)
        if host_name:
            self._check_target_host(cctxt, instance, host_name)
        instance.progress = 0
        instance.task_state = task_states.RESIZE_PREP
        instance.save(expected_task_state=[None])
        self._record_action_start(context, instance, action)
        self.compute_task_api.resize_instance(cctxt, instance, flavor, host_name=host_name)

    def migrate(self, context, instance, host_name=None):
        return self.resize(context, instance, host_name=host_name)

    def _finished_migration(self, context, instance, status):
        """The server's ``finished`` migration, now marked ``status``."""
        cctxt = api_actions._cell_context(context, instance)
        migration = objects.Migration.get_by_instance_and_status(cctxt, instance.uuid,
                                                                 'finished')
        migration.status = status
        migration.save()
        return cctxt, migration

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.RESIZED,))
    def confirm_resize(self, context, instance):
        cctxt, migration = self._finished_migration(context, instance, 'confirming')
        self._record_action_start(context, instance, instance_actions.CONFIRM_RESIZE)
        self.compute_rpcapi.confirm_resize(cctxt, instance, migration)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.RESIZED,))
    def revert_resize(self, context, instance):
        cctxt = api_actions._cell_context(context, instance)
        # The quota has to hold the old flavor again (a no-op when it was bigger).
        if instance.old_flavor is not None:
            quota.check_resize(context, instance.project_id, instance.get_flavor(),
                               instance.old_flavor, user_id=instance.user_id)
        cctxt, migration = self._finished_migration(context, instance, 'reverting')
        instance.task_state = task_states.RESIZE_REVERTING
        instance.save(expected_task_state=[None])
        self._record_action_start(context, instance, instance_actions.REVERT_RESIZE)
        self.compute_rpcapi.revert_resize(cctxt, instance, migration)
