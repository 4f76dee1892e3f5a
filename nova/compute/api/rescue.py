"""The compute API's rescue and unrescue.

A mixin of nova.compute.api.API: the state checks (rescue from ACTIVE,
STOPPED or ERROR, unrescue from RESCUED), the lock, the rescue image (it
must exist and be active), the task state and the instance action; the
compute host does the rest.
"""

from nova.compute.api import checks
from nova.compute import instance_actions
from nova.compute import task_states
from nova.compute import vm_states

RESCUE_VM_STATES = (vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR)


class RescueAPIMixin(object):
    """``rescue`` and ``unrescue`` for nova.compute.api.API."""

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=RESCUE_VM_STATES)
    def rescue(self, context, instance, rescue_password=None, rescue_image_ref=None,
               clean_shutdown=True, allow_bfv_rescue=False):
        if rescue_image_ref:
            self._get_image(context, rescue_image_ref)  # ImageNotFound, ImageNotActive
        checks.require_host(instance, 'rescue')
        cctxt = self._start_task(context, instance, instance_actions.RESCUE,
                                 task_states.RESCUING)
        self.compute_rpcapi.rescue_instance(cctxt, instance, rescue_password,
                                            rescue_image_ref=rescue_image_ref,
                                            clean_shutdown=clean_shutdown)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.RESCUED,))
    def unrescue(self, context, instance):
        checks.require_host(instance, 'unrescue')
        cctxt = self._start_task(context, instance, instance_actions.UNRESCUE,
                                 task_states.UNRESCUING)
        self.compute_rpcapi.unrescue_instance(cctxt, instance)
