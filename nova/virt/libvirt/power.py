"""Power and lifecycle operations of the libvirt driver (a mixin of LibvirtDriver).

Soft operations ask the guest through ACPI and wait; when the guest does not
cooperate in time they fall back to pulling the plug, as upstream does.
"""

import os
import time

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova import objects
from nova.virt.libvirt.bindings import libvirt
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import vif as libvirt_vif

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# How often a waiting loop looks at the domain state.
POLL_INTERVAL = 1.0


def _wait_for_shutoff(guest, timeout, resend_every=0):
    """Wait up to ``timeout`` s for the guest to stop, re-sending the ACPI request
    every ``resend_every`` s (a request sent before the guest listens is lost)."""
    deadline = time.monotonic() + timeout
    last_sent = time.monotonic()
    while time.monotonic() < deadline:
        if guest.get_state() in (libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_CRASHED):
            return True
        if resend_every and time.monotonic() - last_sent >= resend_every:
            try:
                guest.shutdown()
            except libvirt.libvirtError as exc:
                LOG.debug('Re-sending shutdown to %s failed: %s', guest.uuid, exc)
            last_sent = time.monotonic()
        time.sleep(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic())))
    return guest.get_state() in (libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_CRASHED)


class PowerMixin(object):
    """reboot, power_off/on, pause, suspend/resume, crash dump."""

    def reboot(self, context, instance, network_info, reboot_type, block_device_info=None,
               bad_volumes_callback=None, accel_info=None, share_info=None):
        if reboot_type == 'SOFT':
            try:
                if self._soft_reboot(instance):
                    LOG.info('Instance %s soft rebooted', instance.uuid)
                    return
            except libvirt.libvirtError as exc:
                LOG.warning('Soft reboot of %s failed (%s); rebooting hard', instance.uuid, exc)
            LOG.warning('Instance %s did not shut down within %ss; rebooting hard',
                        instance.uuid, CONF.libvirt.wait_soft_reboot_seconds)
        self._hard_reboot(context, instance, network_info)
        LOG.info('Instance %s hard rebooted', instance.uuid)

    def _soft_reboot(self, instance):
        """ACPI shutdown, wait, start again; False when the guest ignored us."""
        guest = self._host.get_guest(instance)
        if guest.get_state() != libvirt.VIR_DOMAIN_RUNNING:
            return False
        guest.shutdown()
        if not _wait_for_shutoff(guest, CONF.libvirt.wait_soft_reboot_seconds):
            return False
        guest.launch()
        return True

    def _hard_reboot(self, context, instance, network_info=None):
        """Destroy, then start again from the saved domain XML (regenerated if lost).

        Missing disks (a wiped instance directory) are created again from the
        image the instance remembers.
        """
        try:
            guest = self._host.get_guest(instance)
        except exception.InstanceNotFound:
            guest = None
        if guest is not None:
            guest.poweroff()
            if guest.has_managed_save():
                guest.domain.managedSaveRemove(0)
        # The taps went with the domain: their OVS ports are made again, as at
        # spawn (OVS's userspace datapath does not take a new tap of the old
        # port's name back, and the guest found no network after the reboot).
        libvirt_vif.unplug_vifs(instance, network_info)
        xml_path = imagebackend.instance_path(instance, imagebackend.LIBVIRT_XML)
        xml = None
        if os.path.exists(xml_path):
            with open(xml_path) as f:
                xml = f.read()
            # a root disk file that went missing is made again; a root volume is remote
            if not os.path.exists(imagebackend.instance_path(instance, imagebackend.DISK)) \
                    and "protocol='rbd'" not in xml and 'protocol="rbd"' not in xml:
                xml = None
        if xml is None:
            image_meta = objects.ImageMeta.from_instance(instance)
            xml = self._prepare_guest(context, instance, image_meta, network_info or [])
        guest = self._host.write_instance_config(xml)
        libvirt_vif.plug_vifs(instance, network_info)
        guest.launch()

    def power_off(self, instance, timeout=0, retry_interval=0):
        guest = self._host.get_guest(instance)
        if timeout and guest.get_state() == libvirt.VIR_DOMAIN_RUNNING:
            try:
                guest.shutdown()
                if _wait_for_shutoff(guest, timeout, retry_interval):
                    LOG.info('Instance %s shut down cleanly', instance.uuid)
                    return
            except libvirt.libvirtError as exc:
                LOG.warning('Clean shutdown of %s failed: %s', instance.uuid, exc)
            LOG.warning('Instance %s did not shut down within %ss; destroying it',
                        instance.uuid, timeout)
        try:
            guest.poweroff()
        except libvirt.libvirtError as exc:
            raise exception.InstancePowerOffFailure(reason=str(exc)) from exc

    def power_on(self, context, instance, network_info, block_device_info=None,
                 accel_info=None, share_info=None):
        self._hard_reboot(context, instance, network_info)

    def pause(self, instance):
        self._host.get_guest(instance).pause()

    def unpause(self, instance):
        self._host.get_guest(instance).resume()

    def suspend(self, context, instance):
        guest = self._host.get_guest(instance)
        try:
            guest.save_memory_state()
        except libvirt.libvirtError as exc:
            raise exception.InstanceSuspendFailure(reason=str(exc)) from exc

    def resume(self, context, instance, network_info, block_device_info=None):
        guest = self._host.get_guest(instance)
        if not guest.is_active():
            guest.launch()

    def trigger_crash_dump(self, instance):
        guest = self._host.get_guest(instance)
        try:
            guest.inject_nmi()
        except libvirt.libvirtError as exc:
            code = exc.get_error_code()
            if code == libvirt.VIR_ERR_NO_SUPPORT:
                raise exception.TriggerCrashDumpNotSupported() from exc
            if code == libvirt.VIR_ERR_OPERATION_INVALID:
                raise exception.InstanceNotRunning(instance_id=instance.uuid) from exc
            raise exception.InternalError(
                err='Error injecting an NMI into %s: %s' % (instance.uuid, exc)) from exc

    def resume_state_on_host_boot(self, context, instance, network_info,
                                  block_device_info=None):
        """After a host reboot: start the guest again unless it already runs or is paused."""
        try:
            state = self._host.get_guest(instance).get_state()
        except exception.InstanceNotFound:
            state = None
        if state in (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_BLOCKED,
                     libvirt.VIR_DOMAIN_PAUSED):
            return
        self._hard_reboot(context, instance, network_info)

    def poll_rebooting_instances(self, timeout, instances):
        """Nothing to do: a soft reboot here already falls back to a hard one after
        ``[libvirt] wait_soft_reboot_seconds``, inside the reboot call itself."""
