"""Power operations of the VMware driver (a mixin of VMwareVCDriver).

Soft operations go through VMware Tools in the guest when they run there
(ShutdownGuest, RebootGuest), and fall back to the hard vCenter task when the
guest cannot cooperate, as upstream does. vSphere cannot pause a VM: pause
and unpause are not supported.
"""

import time

from oslo_log import log as logging

from nova import exception
from nova.virt.vmwareapi import session as vmsession
from nova.virt.vmwareapi import vmops

LOG = logging.getLogger(__name__)

TOOLS_RUNNING = 'guestToolsRunning'
POLL_INTERVAL = 1.0


class PowerMixin(object):
    """power_off/on, reboot, suspend/resume, resume after host boot."""

    def _tools_running(self, vm):
        props = self.session.props(vm, ['guest.toolsRunningStatus'])
        return props.get('guest.toolsRunningStatus') == TOOLS_RUNNING

    def _wait_powered_off(self, vm, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.session.props(vm, ['runtime.powerState']).get(
                    'runtime.powerState') == 'poweredOff':
                return True
            time.sleep(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic())))
        return False

    def power_off(self, instance, timeout=0, retry_interval=0):
        vm, props = self.vmops.vm_props(instance, ['runtime.powerState'])
        state = props.get('runtime.powerState')
        if state == 'poweredOff':
            LOG.debug('Instance %s is already powered off', instance.uuid)
            return
        try:
            if timeout and state == 'poweredOn' and self._tools_running(vm):
                self.session.invoke(vm, 'ShutdownGuest')
                if self._wait_powered_off(vm, timeout):
                    LOG.info('Instance %s shut down cleanly', instance.uuid)
                    return
                LOG.warning('Instance %s did not shut down within %ss; powering it off',
                            instance.uuid, timeout)
            self.session.run_task(vm, 'PowerOffVM_Task')
        except vmsession.VimError as exc:
            raise exception.InstancePowerOffFailure(reason=vmops.vim_reason(exc)) from exc

    def power_on(self, context, instance, network_info, block_device_info=None,
                 accel_info=None, share_info=None):
        vm, props = self.vmops.vm_props(instance, ['runtime.powerState'])
        if props.get('runtime.powerState') == 'poweredOn':
            return
        try:
            self.session.run_task(vm, 'PowerOnVM_Task')
        except vmsession.VimError as exc:
            raise exception.InstancePowerOnFailure(reason=vmops.vim_reason(exc)) from exc

    def reboot(self, context, instance, network_info, reboot_type, block_device_info=None,
               bad_volumes_callback=None, accel_info=None, share_info=None):
        vm, props = self.vmops.vm_props(instance, ['runtime.powerState'])
        state = props.get('runtime.powerState')
        try:
            if state != 'poweredOn':
                # Reboot of a stopped or suspended guest: start it (a hard reboot).
                self.session.run_task(vm, 'PowerOnVM_Task')
                return
            if reboot_type == 'SOFT' and self._tools_running(vm):
                try:
                    self.session.invoke(vm, 'RebootGuest')
                    LOG.info('Instance %s rebooted through VMware Tools', instance.uuid)
                    return
                except vmsession.VimFaultError as exc:
                    LOG.warning('Guest reboot of %s failed (%s); resetting it',
                                instance.uuid, vmops.vim_reason(exc))
            self.session.run_task(vm, 'ResetVM_Task')
            LOG.info('Instance %s reset', instance.uuid)
        except vmsession.VimError as exc:
            raise exception.InstanceRebootFailure(reason=vmops.vim_reason(exc)) from exc

    def suspend(self, context, instance):
        vm, props = self.vmops.vm_props(instance, ['runtime.powerState'])
        state = props.get('runtime.powerState')
        if state == 'suspended':
            return
        if state != 'poweredOn':
            raise exception.InstanceSuspendFailure(reason='the VM is %s' % state)
        try:
            self.session.run_task(vm, 'SuspendVM_Task')
        except vmsession.VimError as exc:
            raise exception.InstanceSuspendFailure(reason=vmops.vim_reason(exc)) from exc

    def resume(self, context, instance, network_info, block_device_info=None):
        vm, props = self.vmops.vm_props(instance, ['runtime.powerState'])
        if props.get('runtime.powerState') != 'suspended':
            raise exception.InstanceResumeFailure(
                reason='the VM is %s, not suspended' % props.get('runtime.powerState'))
        try:
            self.session.run_task(vm, 'PowerOnVM_Task')
        except vmsession.VimError as exc:
            raise exception.InstanceResumeFailure(reason=vmops.vim_reason(exc)) from exc

    def resume_state_on_host_boot(self, context, instance, network_info,
                                  block_device_info=None):
        """Start the VM again unless it runs (vCenter keeps VMs across host reboots)."""
        if self.vmops.power_state(instance) != 'poweredOn':
            self.power_on(context, instance, network_info)

    def poll_rebooting_instances(self, timeout, instances):
        """Nothing is ever stuck: a soft reboot without Tools is a reset, at once."""
