"""One libvirt domain, with the operations the driver needs and nova's names for them."""

import time
from xml.etree import ElementTree as etree

from oslo_log import log as logging

import nova.conf
from nova.compute import power_state
from nova import exception
from nova.virt import hardware
from nova.virt.libvirt.bindings import libvirt

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _power_states():
    return {
        libvirt.VIR_DOMAIN_NOSTATE: power_state.NOSTATE,
        libvirt.VIR_DOMAIN_RUNNING: power_state.RUNNING,
        # A guest blocked on I/O is running as far as nova is concerned.
        libvirt.VIR_DOMAIN_BLOCKED: power_state.RUNNING,
        libvirt.VIR_DOMAIN_PAUSED: power_state.PAUSED,
        libvirt.VIR_DOMAIN_SHUTDOWN: power_state.SHUTDOWN,
        libvirt.VIR_DOMAIN_SHUTOFF: power_state.SHUTDOWN,
        libvirt.VIR_DOMAIN_CRASHED: power_state.CRASHED,
        libvirt.VIR_DOMAIN_PMSUSPENDED: power_state.SUSPENDED,
    }


def power_state_of(libvirt_state):
    return _power_states().get(libvirt_state, power_state.NOSTATE)


def _is_not_running_error(exc):
    return exc.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID


def attach_device(guest, xml):
    """Hot-plug the device ``xml`` into the persistent definition and, when the
    guest runs, into the live domain too."""
    flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG
    if guest.is_active():
        flags |= libvirt.VIR_DOMAIN_AFFECT_LIVE
    guest.domain.attachDeviceFlags(xml, flags)


def detach_device(guest, find, device, label, sleep=time.sleep, clock=time.monotonic):
    """Take a device out of the persistent definition, then out of the running
    guest, asking again (``[libvirt] device_detach_attempts`` times, each
    waiting ``device_detach_timeout`` seconds) until the guest lets go of it.

    ``find(live)`` is the device's element in the live (or persistent) XML,
    None once it is gone: a device missing from the domain counts as detached.
    DeviceDetachFailed (naming ``device``) when the guest never lets go, the
    device put back into the persistent definition; ``label`` names the
    device in the log.
    """
    persistent = find(live=False)
    if persistent is not None:
        guest.domain.detachDeviceFlags(etree.tostring(persistent, encoding='unicode'),
                                       libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    if not guest.is_active():
        return
    attempts = CONF.libvirt.device_detach_attempts
    timeout = CONF.libvirt.device_detach_timeout
    for attempt in range(1, attempts + 1):
        live = find(live=True)
        if live is None:
            return
        try:
            guest.domain.detachDeviceFlags(etree.tostring(live, encoding='unicode'),
                                           libvirt.VIR_DOMAIN_AFFECT_LIVE)
        except libvirt.libvirtError as exc:
            # An unplug already under way is reported as an error by some versions;
            # the wait below sees whether the device went all the same.
            LOG.debug('detach of %s from %s (attempt %d): %s', label, guest.name, attempt,
                      exc)
        deadline = clock() + timeout
        while clock() < deadline:
            if find(live=True) is None:
                LOG.info('%s detached from %s (attempt %d)', label, guest.name, attempt)
                return
            sleep(0.2)
        LOG.warning('Guest %s has not released %s after %ss (attempt %d of %d)',
                    guest.name, label, timeout, attempt, attempts)
    if persistent is not None:
        # The guest keeps the device, and so do Nova and Cinder or Neutron: the
        # definition a stop and start or a hard reboot uses must keep it too.
        try:
            guest.domain.attachDeviceFlags(etree.tostring(persistent, encoding='unicode'),
                                           libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        except libvirt.libvirtError as exc:
            LOG.warning('Could not put %s back into the definition of %s: %s', label,
                        guest.name, exc)
    raise exception.DeviceDetachFailed(
        device=device, reason='the guest did not release it after %d attempts' % attempts)


class Guest(object):
    def __init__(self, domain):
        self._domain = domain

    def __repr__(self):
        return '<Guest %s %s>' % (self.name, self.uuid)

    @property
    def domain(self):
        return self._domain

    @property
    def uuid(self):
        return self._domain.UUIDString()

    @property
    def name(self):
        return self._domain.name()

    @property
    def id(self):
        return self._domain.ID()

    # --- state -------------------------------------------------------------------
    def get_state(self):
        """The libvirt state constant (VIR_DOMAIN_*)."""
        return self._domain.state(0)[0]

    def get_power_state(self):
        return power_state_of(self.get_state())

    def is_active(self):
        return bool(self._domain.isActive())

    def get_info(self):
        return hardware.InstanceInfo(state=self.get_power_state(), internal_id=self.id)

    def has_managed_save(self):
        return bool(self._domain.hasManagedSaveImage(0))

    # --- lifecycle -----------------------------------------------------------------
    def launch(self, pause=False):
        """Start the defined domain (restoring a managed save image if there is one)."""
        flags = libvirt.VIR_DOMAIN_START_PAUSED if pause else 0
        self._domain.createWithFlags(flags)

    def poweroff(self):
        """Pull the plug; a guest that is already off is fine."""
        try:
            self._domain.destroy()
        except libvirt.libvirtError as exc:
            if not _is_not_running_error(exc):
                raise

    def shutdown(self):
        """Ask the guest to power itself off (ACPI power button)."""
        self._domain.shutdown()

    def pause(self):
        self._domain.suspend()

    def resume(self):
        self._domain.resume()

    def save_memory_state(self):
        """Managed save: memory to disk, domain stops; the next start restores it."""
        self._domain.managedSave(0)

    def inject_nmi(self):
        self._domain.injectNMI(0)

    def delete_configuration(self):
        """Undefine the domain with its managed save image, NVRAM and snapshot metadata."""
        flags = (libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                 libvirt.VIR_DOMAIN_UNDEFINE_NVRAM |
                 libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
        try:
            self._domain.undefineFlags(flags)
        except libvirt.libvirtError:
            LOG.debug('undefineFlags failed for %s; plain undefine', self.uuid)
            self._domain.undefine()

    # --- description -----------------------------------------------------------------
    def get_xml_desc(self, dump_inactive=False):
        flags = libvirt.VIR_DOMAIN_XML_INACTIVE if dump_inactive else 0
        return self._domain.XMLDesc(flags)

    def get_xml_tree(self, dump_inactive=False):
        return etree.fromstring(self.get_xml_desc(dump_inactive))

    def get_disks(self):
        """[(target dev, source file)] of the guest's file-backed disks."""
        disks = []
        for disk in self.get_xml_tree().findall('./devices/disk'):
            source = disk.find('source')
            target = disk.find('target')
            if source is not None and target is not None and source.get('file'):
                disks.append((target.get('dev'), source.get('file')))
        return disks

    def get_interfaces(self):
        """Target device names of the guest's NICs."""
        return [t.get('dev') for t in self.get_xml_tree().findall('./devices/interface/target')
                if t.get('dev')]
