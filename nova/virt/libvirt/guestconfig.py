"""From an instance, its image and its disk files to a LibvirtConfigGuest.

Decisions about devices live here (bus and device names, machine type, CPU
mode, consoles); config.py only knows how to write XML.
"""

import os

from oslo_log import log as logging

import nova.conf
from nova import version
from nova.virt.libvirt import config as vconfig
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import volume as libvirt_volume
from nova.virt.libvirt import vif as libvirt_vif

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_DISK_PREFIX = {'virtio': 'vd', 'scsi': 'sd', 'sata': 'sd', 'usb': 'sd', 'ide': 'hd',
                'xen': 'xvd'}


def _prop(image_meta, name, default=None):
    props = image_meta.properties if image_meta is not None and \
        'properties' in image_meta else None
    return props.get(name, default) if props is not None else default


def guest_arch(host, image_meta):
    arch = _prop(image_meta, 'hw_architecture')
    if arch:
        return arch
    node = host.get_capabilities().find('./host/cpu/arch')
    return node.text if node is not None else 'x86_64'


def machine_type(image_meta, arch):
    """Image ``hw_machine_type``, else ``[libvirt] hw_machine_type`` for the arch, else
    libvirt's default."""
    mtype = _prop(image_meta, 'hw_machine_type')
    if mtype:
        return mtype
    for item in CONF.libvirt.hw_machine_type or []:
        key, sep, value = item.partition('=')
        if sep and key.strip() == arch:
            return value.strip()
    return None


def _dev_name(bus, index):
    prefix = CONF.libvirt.disk_prefix or _DISK_PREFIX.get(bus, 'sd')
    return prefix + 'abcdefghijklmnopqrstuvwxyz'[index]


def _cpu_config():
    mode = CONF.libvirt.cpu_mode
    if mode is None:
        mode = 'host-model' if CONF.libvirt.virt_type == 'kvm' else 'none'
    if mode == 'none':
        return None
    flags = [f for f in CONF.libvirt.cpu_model_extra_flags if not f.startswith('-')]
    if mode == 'custom':
        models = CONF.libvirt.cpu_models
        return vconfig.LibvirtConfigGuestCPU(mode='custom', model=models[0] if models else None,
                                             features=flags)
    return vconfig.LibvirtConfigGuestCPU(mode=mode, features=flags)


def _cache_mode():
    for item in CONF.libvirt.disk_cachemodes:
        kind, _, mode = item.partition('=')
        if kind.strip() == 'file':
            return mode.strip()
    return 'none'


class Rescue(object):
    """The rescue disk of a rescued guest: its format, and with ``stable`` (2.87,
    the rescue image has ``hw_rescue_device`` or ``hw_rescue_bus``) where it goes."""

    def __init__(self, disk_format, rescue_image_meta):
        self.format = disk_format
        self.device = _prop(rescue_image_meta, 'hw_rescue_device')
        self.bus = _prop(rescue_image_meta, 'hw_rescue_bus')
        self.stable = bool(self.device or self.bus)


def _rescue_device(instance, rescue, bus, target_dev, boot_order=None):
    cdrom = rescue.device == 'cdrom'
    return vconfig.LibvirtConfigGuestDisk(
        source_path=imagebackend.instance_path(instance, imagebackend.RESCUE),
        target_dev=target_dev, target_bus=bus, driver_format=rescue.format,
        source_device='cdrom' if cdrom else 'disk', readonly=cdrom,
        driver_cache=_cache_mode(), boot_order=boot_order)


def disk_devices(instance, image_meta, disks, mtype, rescue=None):
    """Disk configs for the files in ``disks`` ({name: format}), in boot order.

    A ``rescue`` disk comes first (the guest's own disks move one place on);
    a stable one (2.87) comes after them on its bus and boots first.
    """
    bus = _prop(image_meta, 'hw_disk_bus') or 'virtio'
    devices = []
    index = 0
    if rescue is not None and not rescue.stable:
        devices.append(_rescue_device(instance, rescue, bus, _dev_name(bus, 0)))
        index = 1
    for name in (imagebackend.DISK, imagebackend.EPHEMERAL, imagebackend.SWAP):
        if name in disks:
            devices.append(vconfig.LibvirtConfigGuestDisk(
                source_path=imagebackend.instance_path(instance, name),
                target_dev=_dev_name(bus, index), target_bus=bus,
                driver_format=disks[name], driver_cache=_cache_mode(),
                serial=instance.uuid if name == imagebackend.DISK else None))
            index += 1
    if rescue is not None and rescue.stable:
        rescue_bus = rescue.bus or (_prop(image_meta, 'hw_cdrom_bus') or 'ide'
                                    if rescue.device == 'cdrom' else bus)
        taken = sum(1 for d in devices if d.target_bus == rescue_bus)
        devices.append(_rescue_device(instance, rescue, rescue_bus,
                                      _dev_name(rescue_bus, taken), boot_order=1))
    if imagebackend.CONFIG in disks:
        cdrom_bus = _prop(image_meta, 'hw_cdrom_bus') or (
            'sata' if mtype and 'q35' in mtype else 'ide')
        # The config drive goes last on its bus (hdd / sdz style), out of the
        # way of the data disks.
        devices.append(vconfig.LibvirtConfigGuestDisk(
            source_path=imagebackend.instance_path(instance, imagebackend.CONFIG),
            target_dev=(_DISK_PREFIX.get(cdrom_bus, 'sd') + ('d' if cdrom_bus == 'ide'
                                                             else 'z')),
            target_bus=cdrom_bus, driver_format='raw', source_device='cdrom',
            readonly=True, driver_cache=_cache_mode()))
    return devices


def console_devices(instance, serial_port=None):
    """Serial port 0 logged to console.log by virtlogd, and its console.

    With ``[serial_console] enabled`` the port is a TCP listener the serial
    proxy connects to; otherwise a pty.
    """
    log_file = imagebackend.instance_path(instance, imagebackend.CONSOLE_LOG)
    if CONF.serial_console.enabled and serial_port is not None:
        serial = vconfig.LibvirtConfigGuestSerial(
            char_type='tcp', target_port=0, listen_host=CONF.serial_console.proxyclient_address,
            listen_port=serial_port, log_file=log_file, log_append=True)
        console = vconfig.LibvirtConfigGuestConsole(char_type='tcp', target_type='serial',
                                                    target_port=0,
                                                    listen_host=serial.listen_host,
                                                    listen_port=serial_port)
        return [serial, console]
    serial = vconfig.LibvirtConfigGuestSerial(char_type='pty', target_port=0,
                                              log_file=log_file, log_append=True)
    console = vconfig.LibvirtConfigGuestConsole(char_type='pty', target_type='serial',
                                                target_port=0)
    return [serial, console]


def graphics_devices(image_meta):
    devices = []
    if CONF.vnc.enabled:
        devices.append(vconfig.LibvirtConfigGuestGraphics(
            'vnc', listen=CONF.vnc.server_listen, keymap=None))
    if CONF.spice.enabled:
        devices.append(vconfig.LibvirtConfigGuestGraphics(
            'spice', listen=CONF.spice.server_listen))
    if devices:
        devices.append(vconfig.LibvirtConfigGuestVideo(
            model=_prop(image_meta, 'hw_video_model') or 'virtio',
            vram=_prop(image_meta, 'hw_video_ram')))
        if (_prop(image_meta, 'hw_pointer_model') or 'usbtablet') == 'usbtablet':
            devices.append(vconfig.LibvirtConfigGuestInput('tablet', 'usb'))
    return devices


def _metadata(instance):
    flavor = instance.flavor
    return vconfig.LibvirtConfigGuestMetaNova(
        name=getattr(instance, 'display_name', None) if instance.obj_attr_is_set(
            'display_name') else None,
        flavor={'name': flavor.name, 'memory': flavor.memory_mb, 'disk': flavor.root_gb,
                'swap': flavor.swap, 'ephemeral': flavor.ephemeral_gb,
                'vcpus': flavor.vcpus},
        owner_user=instance.user_id if instance.obj_attr_is_set('user_id') else None,
        owner_project=instance.project_id if instance.obj_attr_is_set('project_id') else None,
        package=version.version_string())


def _kernel_boot(instance, image_meta, guest):
    """Direct kernel boot when the instance has kernel (and ramdisk) files."""
    kernel = imagebackend.instance_path(instance, 'kernel')
    if not os.path.exists(kernel):
        return
    guest.os.kernel = kernel
    ramdisk = imagebackend.instance_path(instance, 'ramdisk')
    if os.path.exists(ramdisk):
        guest.os.initrd = ramdisk
    guest.os.cmdline = _prop(image_meta, 'os_command_line') or \
        'root=/dev/vda console=tty0 console=ttyS0'


def build_guest_config(host, instance, image_meta, disks, network_info=None,
                       serial_port=None, rescue=None, volumes=()):
    """The complete domain config for ``instance`` with the given disk files
    (and a ``Rescue`` disk booted instead of them) and Cinder volumes."""
    flavor = instance.flavor
    guest = vconfig.LibvirtConfigGuest(virt_type=CONF.libvirt.virt_type, name=instance.name,
                                       uuid=instance.uuid, memory_kib=flavor.memory_mb * 1024,
                                       vcpus=flavor.vcpus)
    guest.metadata.append(_metadata(instance))
    arch = guest_arch(host, image_meta)
    mtype = machine_type(image_meta, arch)
    guest.os = vconfig.LibvirtConfigGuestOS(arch=arch, machine=mtype)
    if CONF.libvirt.sysinfo_serial != 'none' and arch in ('x86_64', 'i686', 'aarch64'):
        guest.sysinfo = vconfig.LibvirtConfigGuestSysinfo(
            manufacturer='OpenStack Foundation', product='OpenStack Nova',
            version=version.version_string(), serial=instance.uuid, uuid=instance.uuid,
            family='Virtual Machine')
        guest.os.smbios_mode = 'sysinfo'
    if rescue is None:
        _kernel_boot(instance, image_meta, guest)
    if not guest.os.kernel and not (rescue is not None and rescue.stable):
        guest.os.boot_devs = ['hd']
    if arch in ('x86_64', 'i686'):
        guest.features = vconfig.LibvirtConfigGuestFeatures(('acpi', 'apic'))
        guest.clock = vconfig.LibvirtConfigGuestClock(
            'utc', [('pit', {'tickpolicy': 'delay'}), ('rtc', {'tickpolicy': 'catchup'}),
                    ('hpet', {'present': 'no'})])
    guest.cpu = _cpu_config()
    for dev in disk_devices(instance, image_meta, disks, mtype, rescue):
        guest.add_device(dev)
    for mapping in volumes:
        # a root volume boots first; libvirt refuses <boot> next to <os><boot>
        root = mapping.get('boot_index') == 0
        if root:
            guest.os.boot_devs = []
        guest.add_device(libvirt_volume.disk_config(
            mapping['connection_info'], mapping['mount_device'], mapping.get('disk_bus'),
            boot_order=1 if root else None))
    for vif in network_info or []:
        guest.add_device(libvirt_vif.interface_config(vif, image_meta))
    for dev in console_devices(instance, serial_port):
        guest.add_device(dev)
    for dev in graphics_devices(image_meta):
        guest.add_device(dev)
    rng_model = _prop(image_meta, 'hw_rng_model')
    if rng_model:
        guest.add_device(vconfig.LibvirtConfigGuestRng(
            backend=CONF.libvirt.rng_dev_path or '/dev/urandom', model=rng_model,
            rate_bytes=_prop(image_meta, 'hw_rng_rate_bytes'),
            rate_period=_prop(image_meta, 'hw_rng_rate_period')))
    guest.add_device(vconfig.LibvirtConfigMemoryBalloon(
        period=CONF.libvirt.mem_stats_period_seconds or None))
    return guest
