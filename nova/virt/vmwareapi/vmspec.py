"""vSphere configuration specs of an instance's VM, from its flavor and image.

Flavor extra specs honoured, as upstream's VMware driver does:
``quota:cpu_limit`` / ``quota:cpu_reservation`` (MHz), ``quota:cpu_shares_level``
(low, normal, high, custom) with ``quota:cpu_shares_share``, the same four
for ``quota:memory_*`` (MB), and ``vmware:hw_version`` (``vmx-13``).
"""

from oslo_log import log as logging

import nova.conf
from nova import exception

try:
    from pyVmomi import vim
except ImportError:
    vim = None

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

INSTANCE_UUID_KEY = 'nvp.vm-uuid'
VNC_PORT_KEY = 'RemoteDisplay.vnc.port'
SCSI_CONTROLLER_KEY = -100
IDE_CONTROLLER_KEYS = (200, 201)
SHARES_LEVELS = ('low', 'normal', 'high', 'custom')
_SCSI_CONTROLLERS = {
    'lsiLogic': 'VirtualLsiLogicController',
    'busLogic': 'VirtualBusLogicController',
    'lsiLogicsas': 'VirtualLsiLogicSASController',
    'paraVirtual': 'ParaVirtualSCSIController',
}


def _int_spec(extra_specs, key):
    value = extra_specs.get(key)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise exception.InvalidInput(reason='%s must be an integer, not %r' % (key, value))


def allocation(extra_specs, kind):
    """A ResourceAllocationInfo for ``kind`` ('cpu' or 'memory'), or None."""
    limit = _int_spec(extra_specs, 'quota:%s_limit' % kind)
    reservation = _int_spec(extra_specs, 'quota:%s_reservation' % kind)
    level = extra_specs.get('quota:%s_shares_level' % kind)
    share = _int_spec(extra_specs, 'quota:%s_shares_share' % kind)
    if limit is None and reservation is None and level is None:
        return None
    info = vim.ResourceAllocationInfo()
    if limit is not None:
        info.limit = limit
    if reservation is not None:
        info.reservation = reservation
    if level is not None:
        if level not in SHARES_LEVELS:
            raise exception.InvalidInput(reason='quota:%s_shares_level must be one of %s'
                                         % (kind, ', '.join(SHARES_LEVELS)))
        if level == 'custom' and share is None:
            raise exception.InvalidInput(reason='quota:%s_shares_level custom needs '
                                         'quota:%s_shares_share' % (kind, kind))
        info.shares = vim.SharesInfo(level=level, shares=share if level == 'custom' else 0)
    return info


def annotation(instance):
    """What an administrator browsing vCenter sees about the VM."""
    flavor = instance.flavor
    return ('name:%s\nuserid:%s\nprojectid:%s\nflavor:name:%s\nflavor:memory_mb:%d\n'
            'flavor:vcpus:%d\nflavor:root_gb:%d\nimageid:%s\npackage:nova' % (
                instance.display_name, instance.user_id, instance.project_id, flavor.name,
                flavor.memory_mb, flavor.vcpus, flavor.root_gb, instance.image_ref))


def create_spec(instance, image, datastore, vnc_port=None):
    """The ConfigSpec CreateVM_Task gets: CPU, memory, guest OS, controller, identity."""
    flavor = instance.flavor
    extra_specs = flavor.extra_specs or {}
    spec = vim.vm.ConfigSpec()
    spec.name = instance.uuid
    spec.instanceUuid = instance.uuid
    spec.guestId = image.os_type
    spec.numCPUs = flavor.vcpus
    spec.memoryMB = flavor.memory_mb
    spec.annotation = annotation(instance)
    spec.files = vim.vm.FileInfo(vmPathName='[%s]' % datastore.name)
    version = extra_specs.get('vmware:hw_version')
    if version:
        spec.version = version
    cpu = allocation(extra_specs, 'cpu')
    if cpu is not None:
        spec.cpuAllocation = cpu
    memory = allocation(extra_specs, 'memory')
    if memory is not None:
        spec.memoryAllocation = memory
    extra = [vim.option.OptionValue(key=INSTANCE_UUID_KEY, value=instance.uuid)]
    if vnc_port is not None:
        extra += [vim.option.OptionValue(key='RemoteDisplay.vnc.enabled', value='true'),
                  vim.option.OptionValue(key=VNC_PORT_KEY, value=str(vnc_port)),
                  vim.option.OptionValue(key='RemoteDisplay.vnc.keyMap',
                                         value=CONF.vmware.vnc_keymap)]
    spec.extraConfig = extra
    devices = []
    if image.adapter_type != 'ide':
        devices.append(_add(scsi_controller(image.adapter_type)))
    if CONF.vmware.serial_port_service_uri:
        devices.append(_add(serial_port(instance)))
    spec.deviceChange = devices
    return spec


def _add(device, file_operation=None):
    change = vim.vm.device.VirtualDeviceSpec(operation='add', device=device)
    if file_operation:
        change.fileOperation = file_operation
    return change


def scsi_controller(adapter_type):
    controller = getattr(vim.vm.device, _SCSI_CONTROLLERS[adapter_type])()
    controller.key = SCSI_CONTROLLER_KEY
    controller.busNumber = 0
    controller.sharedBus = 'noSharing'
    return controller


def serial_port(instance):
    """A network serial port to the virtual serial port concentrator."""
    backing = vim.vm.device.VirtualSerialPort.URIBackingInfo(
        direction='server', serviceURI=CONF.vmware.serial_port_service_uri)
    if CONF.vmware.serial_port_proxy_uri:
        backing.proxyURI = CONF.vmware.serial_port_proxy_uri
    return vim.vm.device.VirtualSerialPort(backing=backing, yieldOnPoll=True,
                                           key=-200)


def disk_controller(devices, adapter_type):
    """(controller key, unit number) for the root disk among the VM's ``devices``."""
    if adapter_type == 'ide':
        return IDE_CONTROLLER_KEYS[0], 0
    for device in devices:
        if isinstance(device, vim.vm.device.VirtualSCSIController) and device.busNumber == 0:
            return device.key, 0
    raise exception.InstanceDeployFailure(reason='the VM has no SCSI controller')


def root_disk_change(devices, image, file_name, capacity_kb, parent=None):
    """A device change adding the root disk: ``file_name`` as is, or (``parent``
    given) a new delta disk over ``parent`` (a linked clone)."""
    key, unit = disk_controller(devices, image.adapter_type)
    backing = vim.vm.device.VirtualDisk.FlatVer2BackingInfo(
        fileName=file_name, diskMode='persistent', thinProvisioned=image.thin)
    if parent is not None:
        backing.parent = vim.vm.device.VirtualDisk.FlatVer2BackingInfo(
            fileName=parent, diskMode='persistent')
    disk = vim.vm.device.VirtualDisk(key=-101, controllerKey=key, unitNumber=unit,
                                     capacityInKB=capacity_kb, backing=backing)
    return _add(disk, 'create' if parent is not None else None)


def cdrom_change(devices, image, iso_path):
    """A device change adding a CD-ROM with ``iso_path`` on a free IDE slot."""
    used = {(d.controllerKey, d.unitNumber) for d in devices
            if getattr(d, 'controllerKey', None) in IDE_CONTROLLER_KEYS}
    if image.adapter_type == 'ide':
        used.add((IDE_CONTROLLER_KEYS[0], 0))
    slot = next((k, u) for k in IDE_CONTROLLER_KEYS for u in (0, 1) if (k, u) not in used)
    cdrom = vim.vm.device.VirtualCdrom(
        key=-102, controllerKey=slot[0], unitNumber=slot[1],
        backing=vim.vm.device.VirtualCdrom.IsoBackingInfo(fileName=iso_path),
        connectable=vim.vm.device.VirtualDevice.ConnectInfo(
            startConnected=True, connected=True, allowGuestControl=False))
    return _add(cdrom)


def root_disk(devices):
    """The VM's first virtual disk (the root disk nova gave it), or None."""
    disks = [d for d in devices if isinstance(d, vim.vm.device.VirtualDisk)]
    return disks[0] if disks else None
