"""The compute manager's power operations: reboot, stop/start, pause, suspend.

A mixin of ComputeManager. The API has already moved the instance into the
operation's task state (REBOOTING, POWERING_OFF, PAUSING, ...); each method
here has the driver do the work, then saves the resulting vm_state and the
guest's real power state, expecting the task state the API set so a
concurrent change is never overwritten. Every operation is recorded as an
instance action event (``compute_<method>``), as upstream names them.
"""


from oslo_log import log as logging

from nova.compute import operations
from nova.compute import ports
from nova.compute import task_states
from nova.compute import vm_states

LOG = logging.getLogger(__name__)


class PowerOperations(operations.InstanceOperations):
    """RPC methods (6.1) of ComputeManager for the power family of server actions."""

    # --- reboot ---------------------------------------------------------------------

    @operations.instance_operation('compute_reboot_instance', 'reboot',
                                   error_state=vm_states.ERROR)
    def reboot_instance(self, context, instance, block_device_info=None, reboot_type='SOFT'):
        soft = reboot_type == 'SOFT'
        pending = task_states.REBOOT_PENDING if soft else task_states.REBOOT_PENDING_HARD
        started = task_states.REBOOT_STARTED if soft else task_states.REBOOT_STARTED_HARD
        expected = ((task_states.REBOOTING,) if soft else
                    (task_states.REBOOTING_HARD, task_states.REBOOTING))
        instance.power_state = self._get_power_state(instance)
        instance.task_state = pending
        instance.save(expected_task_state=expected)
        instance.task_state = started
        instance.save(expected_task_state=pending)
        self.driver.reboot(context, instance, ports.cached_network_info(instance), reboot_type,
                           block_device_info=block_device_info)
        self._settle(instance, vm_states.ACTIVE, started)

    # --- stop / start ---------------------------------------------------------------

    @operations.instance_operation('compute_stop_instance', 'power_off')
    def stop_instance(self, context, instance, clean_shutdown=True):
        self._power_off(instance, clean_shutdown)
        self._settle(instance, vm_states.STOPPED, task_states.POWERING_OFF)

    @operations.instance_operation('compute_start_instance', 'power_on')
    def start_instance(self, context, instance):
        self.driver.power_on(context, instance, ports.cached_network_info(instance))
        self._settle(instance, vm_states.ACTIVE, task_states.POWERING_ON)

    # --- pause / suspend ----------------------------------------------------------

    @operations.instance_operation('compute_pause_instance', 'pause')
    def pause_instance(self, context, instance):
        self.driver.pause(instance)
        self._settle(instance, vm_states.PAUSED, task_states.PAUSING)

    @operations.instance_operation('compute_unpause_instance', 'unpause')
    def unpause_instance(self, context, instance):
        self.driver.unpause(instance)
        self._settle(instance, vm_states.ACTIVE, task_states.UNPAUSING)

    @operations.instance_operation('compute_suspend_instance', 'suspend')
    def suspend_instance(self, context, instance):
        self.driver.suspend(context, instance)
        self._settle(instance, vm_states.SUSPENDED, task_states.SUSPENDING)

    @operations.instance_operation('compute_resume_instance', 'resume',
                                   error_state=vm_states.ERROR)
    def resume_instance(self, context, instance):
        self.driver.resume(context, instance, ports.cached_network_info(instance))
        self._settle(instance, vm_states.ACTIVE, task_states.RESUMING)

