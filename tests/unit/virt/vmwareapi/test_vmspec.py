"""The VM configuration specs built from flavors and images (no vCenter needed)."""

import pytest

from nova import exception
from nova.virt.vmwareapi import cluster
from nova.virt.vmwareapi import images
from nova.virt.vmwareapi import vmspec
from tests.unit.virt.vmwareapi.conftest import make_instance

vim = vmspec.vim
DATASTORE = cluster.Datastore(None, 'ds1', 100, 50, 'VMFS', 'ds:///vmfs/volumes/ds1/')


def test_allocation_from_quota_extra_specs():
    info = vmspec.allocation({'quota:cpu_limit': '3000', 'quota:cpu_reservation': '100',
                              'quota:cpu_shares_level': 'high'}, 'cpu')
    assert (info.limit, info.reservation, info.shares.level) == (3000, 100, 'high')
    custom = vmspec.allocation({'quota:memory_shares_level': 'custom',
                                'quota:memory_shares_share': '42'}, 'memory')
    assert (custom.shares.level, custom.shares.shares) == ('custom', 42)
    assert vmspec.allocation({}, 'cpu') is None


@pytest.mark.parametrize('specs', [
    {'quota:cpu_limit': 'lots'},
    {'quota:cpu_shares_level': 'extreme'},
    {'quota:memory_shares_level': 'custom'},  # custom needs a share count
])
def test_bad_quota_extra_specs_are_refused(specs):
    kind = 'memory' if 'memory' in next(iter(specs)) else 'cpu'
    with pytest.raises(exception.InvalidInput):
        vmspec.allocation(specs, kind)


def test_create_spec_carries_flavor_image_and_identity(conf):
    instance = make_instance({'vmware:hw_version': 'vmx-13', 'quota:memory_limit': '4096'})
    image = images.VMwareImage('img', os_type='ubuntu64Guest', adapter_type='paraVirtual')
    spec = vmspec.create_spec(instance, image, DATASTORE, vnc_port=5901)
    assert spec.name == instance.uuid and spec.instanceUuid == instance.uuid
    assert (spec.numCPUs, spec.memoryMB, spec.guestId) == (2, 2048, 'ubuntu64Guest')
    assert spec.version == 'vmx-13' and spec.memoryAllocation.limit == 4096
    assert spec.files.vmPathName == '[ds1]'
    extra = {o.key: o.value for o in spec.extraConfig}
    assert extra['nvp.vm-uuid'] == instance.uuid
    assert extra['RemoteDisplay.vnc.port'] == '5901'
    assert 'name:web-1' in spec.annotation
    [controller] = [c.device for c in spec.deviceChange]
    assert isinstance(controller, vim.vm.device.ParaVirtualSCSIController)


def test_ide_images_get_no_scsi_controller_and_no_vnc_without_port(conf):
    image = images.VMwareImage('img', adapter_type='ide')
    spec = vmspec.create_spec(make_instance(), image, DATASTORE)
    assert spec.deviceChange == []
    assert 'RemoteDisplay.vnc.port' not in {o.key for o in spec.extraConfig}


def test_root_disk_linked_clone_and_full_copy():
    controller = vmspec.scsi_controller('lsiLogic')
    controller.key = 1000
    image = images.VMwareImage('img', disk_type='thin')
    linked = vmspec.root_disk_change([controller], image, '[ds1] u/u.vmdk', 1024,
                                     parent='[ds1] _base/img/img.vmdk')
    assert linked.fileOperation == 'create'
    assert linked.device.controllerKey == 1000
    assert linked.device.backing.parent.fileName == '[ds1] _base/img/img.vmdk'
    assert linked.device.backing.thinProvisioned is True
    full = vmspec.root_disk_change([controller], images.VMwareImage('img'),
                                   '[ds1] u/u.vmdk', 1024)
    assert full.fileOperation is None and full.device.backing.parent is None
    assert full.device.backing.thinProvisioned is False  # preallocated


def test_cdrom_takes_the_first_free_ide_slot():
    image = images.VMwareImage('img', adapter_type='ide')  # root disk on IDE 200:0
    change = vmspec.cdrom_change([], image, '[ds1] u/configdrive.iso')
    assert (change.device.controllerKey, change.device.unitNumber) == (200, 1)
    scsi = images.VMwareImage('img')
    change = vmspec.cdrom_change([], scsi, '[ds1] u/configdrive.iso')
    assert (change.device.controllerKey, change.device.unitNumber) == (200, 0)
    assert change.device.backing.fileName == '[ds1] u/configdrive.iso'


def test_root_disk_is_the_first_virtual_disk():
    disk = vim.vm.device.VirtualDisk(key=2000)
    assert vmspec.root_disk([vim.vm.device.VirtualCdrom(key=3000), disk]) is disk
    assert vmspec.root_disk([]) is None
