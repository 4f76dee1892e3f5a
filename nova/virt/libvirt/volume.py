"""Cinder volumes on libvirt guests: the disk XML from a connection info, and
hot attach, detach and resize on the running domain.

Only the ``rbd`` connection type can run on this kind of host (QEMU reaches
Ceph from user space through librbd; no iSCSI, no device-mapper): the disk is
``<disk type='network'><source protocol='rbd' name='pool/image'>`` with the
monitors as hosts and the Ceph key in the libvirt secret that
``[libvirt] rbd_secret_uuid`` (or Cinder's ``secret_uuid``) names.

A detach asks the guest to let go of the device (PCI unplug) and waits for
the device to leave the live domain, asking again up to
``[libvirt] device_detach_attempts`` times ``device_detach_timeout`` seconds
apart, as upstream does: a guest that never acknowledges keeps the disk, and
the detach fails rather than pretend.
"""

import time

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova.virt.libvirt.bindings import libvirt
from nova.virt.libvirt import config as vconfig
from nova.virt.libvirt import guest as libvirt_guest

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

SUPPORTED_TYPES = ('rbd',)
# Seconds a volume swap's copy may take to catch up with the guest's writes.
SWAP_TIMEOUT = 600


class LibvirtConfigGuestNetworkDisk(vconfig.LibvirtConfigObject):
    """A disk QEMU reaches over the network (an RBD image)."""

    root_name = 'disk'

    def __init__(self, protocol, name, hosts=(), ports=(), target_dev=None,
                 target_bus='virtio', auth_username=None, secret_type=None, secret_uuid=None,
                 serial=None, driver_discard=None, boot_order=None, readonly=False,
                 shareable=False):
        self.protocol = protocol
        self.name = name
        self.hosts = list(hosts)
        self.ports = list(ports)
        self.target_dev = target_dev
        self.target_bus = target_bus
        self.auth_username = auth_username
        self.secret_type = secret_type
        self.secret_uuid = secret_uuid
        self.serial = serial
        self.driver_discard = driver_discard
        self.boot_order = boot_order
        self.readonly = readonly
        self.shareable = shareable

    def format_dom(self):
        disk = self._new_node(type='network', device='disk')
        vconfig._sub(disk, 'driver', name='qemu', type='raw', cache='none',
                     discard=self.driver_discard)
        source = vconfig._sub(disk, 'source', protocol=self.protocol, name=self.name)
        for index, host in enumerate(self.hosts):
            port = self.ports[index] if index < len(self.ports) else None
            vconfig._sub(source, 'host', name=host, port=port)
        if self.auth_username:
            auth = vconfig._sub(disk, 'auth', username=self.auth_username)
            vconfig._sub(auth, 'secret', type=self.secret_type or 'ceph',
                         uuid=self.secret_uuid)
        vconfig._sub(disk, 'target', dev=self.target_dev, bus=self.target_bus)
        if self.readonly:
            vconfig._sub(disk, 'readonly')
        if self.shareable:
            # a multiattach volume other guests write too: no caching by QEMU
            vconfig._sub(disk, 'shareable')
        if self.serial:
            vconfig._sub(disk, 'serial', self.serial)
        if self.boot_order is not None:
            vconfig._sub(disk, 'boot', order=self.boot_order)
        return disk


def target_dev(mountpoint):
    """'/dev/vdb' -> 'vdb'."""
    return mountpoint.rsplit('/', 1)[-1] if mountpoint else None


def disk_config(connection_info, mountpoint, disk_bus=None, boot_order=None):
    """The <disk> of a Cinder connection info; VolumeDriverNotFound for other types."""
    volume_type = connection_info.get('driver_volume_type')
    if volume_type not in SUPPORTED_TYPES:
        raise exception.VolumeDriverNotFound(driver_type=volume_type)
    data = connection_info.get('data') or {}
    username = CONF.libvirt.rbd_user or data.get('auth_username')
    secret_uuid = CONF.libvirt.rbd_secret_uuid or data.get('secret_uuid')
    auth_enabled = bool(data.get('auth_enabled')) or bool(CONF.libvirt.rbd_user)
    return LibvirtConfigGuestNetworkDisk(
        'rbd', data['name'], hosts=data.get('hosts') or (), ports=data.get('ports') or (),
        target_dev=target_dev(mountpoint), target_bus=disk_bus or 'virtio',
        auth_username=username if auth_enabled else None,
        secret_type=data.get('secret_type') or 'ceph',
        secret_uuid=secret_uuid if auth_enabled else None,
        serial=connection_info.get('serial') or data.get('volume_id'),
        driver_discard='unmap' if data.get('discard') else None, boot_order=boot_order,
        shareable=bool(connection_info.get('multiattach')))


def find_disk(guest, dev, live=True):
    """The <disk> element whose target is ``dev`` in the live (or persistent) XML."""
    tree = guest.get_xml_tree(dump_inactive=not live)
    for disk in tree.findall('./devices/disk'):
        target = disk.find('target')
        if target is not None and target.get('dev') == dev:
            return disk
    return None


def attach(guest, connection_info, mountpoint, disk_bus=None):
    """Hot-plug the volume into the guest (and its persistent definition)."""
    conf = disk_config(connection_info, mountpoint, disk_bus)
    if find_disk(guest, conf.target_dev, live=guest.is_active()) is not None:
        raise exception.InvalidBDM(reason='device %s is already in use' % mountpoint)
    libvirt_guest.attach_device(guest, conf.to_xml())


def detach(guest, mountpoint, sleep=time.sleep):
    """Unplug ``mountpoint``; wait for the guest to release it, asking again as upstream.

    A device missing from the domain counts as detached. DeviceDetachFailed
    when the guest never lets go, the disk back in the persistent definition.
    """
    dev = target_dev(mountpoint)
    libvirt_guest.detach_device(guest, lambda live: find_disk(guest, dev, live=live), dev,
                                'device %s' % dev, sleep=sleep)


def _source_name(disk):
    source = disk.find('source') if disk is not None else None
    return source.get('name') if source is not None else None


def swap(guest, new_connection_info, mountpoint, resize_to=0, timeout=None,
         sleep=time.sleep):
    """Copy the disk at ``mountpoint`` onto the new volume while the guest runs,
    then switch the guest to it (a block copy job QEMU runs through librbd,
    pivoted once the copy has caught up).

    QEMU's block copy needs a target of the source's size: a larger new
    volume (``resize_to``, bytes) is refused before anything starts. The
    persistent definition follows. Raises VolumeRebaseFailed (the guest keeps
    the old volume) when the copy cannot run, fails or does not catch up
    within ``timeout`` seconds.
    """
    if resize_to:
        raise exception.VolumeRebaseFailed(reason=(
            "QEMU's block copy needs a new volume of the old one's size"))
    dev = target_dev(mountpoint)
    conf = disk_config(new_connection_info, mountpoint)
    new_xml = conf.to_xml()
    if not guest.is_active():
        guest.domain.updateDeviceFlags(new_xml, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        return
    flags = (libvirt.VIR_DOMAIN_BLOCK_COPY_REUSE_EXT |
             libvirt.VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB)
    try:
        guest.domain.blockCopy(dev, new_xml, None, flags)
    except libvirt.libvirtError as exc:
        raise exception.VolumeRebaseFailed(reason=str(exc)) from exc
    deadline = time.monotonic() + (timeout or SWAP_TIMEOUT)
    try:
        while True:
            info = guest.domain.blockJobInfo(dev, 0)
            if not info:
                raise exception.VolumeRebaseFailed(
                    reason='the copy of %s ended before it was ready' % dev)
            if info.get('end') and info.get('cur') == info.get('end'):
                break
            if time.monotonic() > deadline:
                raise exception.VolumeRebaseFailed(
                    reason='the copy of %s did not catch up in time' % dev)
            sleep(0.5)
        guest.domain.blockJobAbort(dev, libvirt.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT)
    except Exception:
        try:
            guest.domain.blockJobAbort(dev, 0)  # the guest stays on the old volume
        except libvirt.libvirtError:
            pass
        raise
    # the pivot completes asynchronously: wait for the job to go
    while guest.domain.blockJobInfo(dev, 0) and time.monotonic() < deadline:
        sleep(0.2)
    name = _source_name(conf.format_dom())
    if _source_name(find_disk(guest, dev, live=False)) != name:
        guest.domain.updateDeviceFlags(new_xml, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    LOG.info('Disk %s of %s now on %s', dev, guest.name, name)


def resize(guest, mountpoint, new_size_bytes):
    """Tell QEMU the volume grew (blockResize of the live disk)."""
    if not guest.is_active():
        return
    guest.domain.blockResize(target_dev(mountpoint), new_size_bytes,
                             libvirt.VIR_DOMAIN_BLOCK_RESIZE_BYTES)
