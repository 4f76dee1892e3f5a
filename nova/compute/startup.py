"""What nova-compute settles at start-up, before it takes requests.

A mixin of ComputeManager, run from ``pre_start_hook``:
``_recover_interrupted_instances`` finishes a delete a previous run left
under way and puts a build it left under way in ERROR (it cannot be
resumed); ``_init_instances`` then makes every other instance report its
guest truthfully, settles power operations left half done and, with
``[DEFAULT] resume_guests_state_on_host_boot``, restarts guests that should
run, and ends the volume attaches and detaches the previous run left half
done (nova.compute.volumes).
"""

from oslo_log import log as logging

import nova.conf
from nova.compute import operations
from nova.compute import power_state
from nova.compute import power_sync
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import exception
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Interrupted operations whose outcome is simply what the guest is now.
_SETTLE_FROM_GUEST = power_sync.REBOOTING + (
    task_states.PAUSING, task_states.UNPAUSING, task_states.SUSPENDING, task_states.RESUMING,
    task_states.IMAGE_SNAPSHOT, task_states.IMAGE_SNAPSHOT_PENDING,
    task_states.IMAGE_PENDING_UPLOAD, task_states.IMAGE_UPLOADING, task_states.IMAGE_BACKUP)
_VM_STATE_OF_POWER = {
    power_state.RUNNING: vm_states.ACTIVE,
    power_state.PAUSED: vm_states.PAUSED,
    power_state.SUSPENDED: vm_states.SUSPENDED,
    power_state.SHUTDOWN: vm_states.STOPPED,
    power_state.CRASHED: vm_states.STOPPED,
}


class StartupOperations(operations.InstanceOperations):
    """Start-up recovery for ComputeManager."""

    def _recover_interrupted_instances(self, context):
        """Settle instances a previous run of this service left mid-operation.

        A delete that was under way is finished; a build that was under way
        cannot be resumed, so the instance goes to ERROR with a fault saying
        why, and the user can delete or rebuild it.
        """
        try:
            instances = objects.InstanceList.get_by_host(context, self.host,
                                                         expected_attrs=['flavor'])
        except Exception as exc:
            LOG.warning('Could not list the instances of %s at start-up: %s', self.host, exc)
            return
        for instance in instances:
            try:
                if instance.task_state == task_states.DELETING:
                    LOG.info('Completing the interrupted delete of %s', instance.uuid)
                    self._delete_instance(context, instance)
                elif instance.vm_state == vm_states.BUILDING:
                    LOG.warning('Instance %s was being built when nova-compute stopped; '
                                'marking it ERROR', instance.uuid)
                    exc = exception.BuildAbortException(
                        instance_uuid=instance.uuid,
                        reason='nova-compute restarted during the build')
                    compute_utils.add_instance_fault_from_exc(context, instance, exc,
                                                              host=self.host)
                    instance.vm_state = vm_states.ERROR
                    instance.task_state = None
                    instance.save()
            except Exception:
                LOG.exception('Could not recover instance %s', instance.uuid)

    def _init_instances(self, context):
        """Make every instance of this host tell the truth about its guest."""
        try:
            instances = objects.InstanceList.get_by_host(context, self.host,
                                                         expected_attrs=['system_metadata'])
        except Exception as exc:
            LOG.warning('Could not list the instances of %s at start-up: %s', self.host,
                        exc)
            return
        for instance in instances:
            if instance.vm_state in (vm_states.BUILDING, vm_states.DELETED) or \
                    instance.task_state == task_states.DELETING:
                continue
            try:
                self._init_instance(context, instance)
            except exception.InstanceNotFound:
                pass
            except Exception:
                LOG.exception('Could not initialise instance %s', instance.uuid)
            try:
                self._settle_interrupted_volume_operations(context, instance)
            except Exception:
                LOG.exception('Could not settle the volume operations of %s', instance.uuid)

    def _init_instance(self, context, instance):
        state = self._get_power_state(instance)
        task = instance.task_state
        if task == task_states.POWERING_OFF:
            self._force_power_off(instance)
            state = self._get_power_state(instance)
            instance.vm_state = vm_states.STOPPED
            instance.task_state = None
        elif task in (task_states.POWERING_ON, task_states.RESTORING):
            self.driver.power_on(context, instance, [])
            state = self._get_power_state(instance)
            instance.vm_state = vm_states.ACTIVE
            instance.task_state = None
        elif task == task_states.SOFT_DELETING:
            self._force_power_off(instance)
            state = self._get_power_state(instance)
            instance.vm_state = vm_states.SOFT_DELETED
            instance.task_state = None
        elif task in _SETTLE_FROM_GUEST:
            LOG.info('Instance %s was in task %s when nova-compute stopped; clearing it',
                     instance.uuid, task)
            instance.vm_state = _VM_STATE_OF_POWER.get(state, instance.vm_state)
            instance.task_state = None
        if (CONF.resume_guests_state_on_host_boot and
                instance.vm_state == vm_states.ACTIVE and state != power_state.RUNNING):
            LOG.info('Rebooting instance %s after host boot', instance.uuid)
            try:
                self.driver.resume_state_on_host_boot(context, instance, [])
            except NotImplementedError:
                LOG.warning('The driver cannot resume guests after a host boot')
            state = self._get_power_state(instance)
        if instance.power_state != state:
            instance.power_state = state
        if instance.obj_what_changed():
            instance.save()
