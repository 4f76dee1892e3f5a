"""VMwareVCDriver against a real vCenter simulator (nova-vcsim) and the real
Glance: the cluster as a node, spawn from a VMDK image through the datastore
image cache, every lifecycle operation read back from vCenter, snapshot to
Glance, destroy removing the VM and its folder."""

import os
import uuid

import pytest
import requests

from nova.compute import power_state
from nova.compute import task_states
from nova import context
from nova import exception
from nova import objects
from nova.image import glance
from nova.virt.vmwareapi import driver as vmdriver
from nova.virt.vmwareapi import images
from tests.fixtures import vcsim as vcsim_fixture
from tools import vcsim

GiB = 1024 ** 3


@pytest.fixture(scope='package')
def vmdk_image(glance_url, tmp_path_factory):
    """A sparse VMDK in Glance, with the VMware image properties."""
    path = vcsim_fixture.make_vmdk(tmp_path_factory.mktemp('vmdk') / 'disk.vmdk')
    return upload(glance_url, path, vmware_disktype='sparse', vmware_adaptertype='lsiLogic',
                  vmware_ostype='otherLinux64Guest')


def upload(glance_url, path, **props):
    body = dict(name='vmdk-%s' % uuid.uuid4().hex[:8], disk_format='vmdk',
                container_format='bare', **props)
    image = requests.post(glance_url + '/v2/images', json=body, timeout=30).json()
    with open(path, 'rb') as data:
        requests.put('%s/v2/images/%s/file' % (glance_url, image['id']), data=data,
                     headers={'Content-Type': 'application/octet-stream'},
                     timeout=60).raise_for_status()
    return image['id']


def ctxt():
    return context.RequestContext('demo', 'demo-project', auth_token='demo:demo-project')


def make_instance(image_ref, vcpus=1, memory_mb=256, root_gb=1, extra_specs=None, **extra):
    objects.register_all()
    flavor = objects.Flavor(name='m1.vm', memory_mb=memory_mb, vcpus=vcpus, root_gb=root_gb,
                            ephemeral_gb=0, swap=0, flavorid='v1',
                            extra_specs=extra_specs or {})
    values = dict(id=uuid.uuid4().int % 0xFFFFFFF, uuid=str(uuid.uuid4()),
                  image_ref=image_ref, user_id='u1', project_id='p1', display_name='vm',
                  flavor=flavor, system_metadata={}, config_drive='', kernel_id='',
                  ramdisk_id='')
    values.update(extra)
    return objects.Instance(**values)


@pytest.fixture
def drv(sim, conf, tmp_path):
    conf.set_override('state_path', str(tmp_path))
    with vcsim_fixture.vmware_overrides(sim, datastore_regex='LocalDS_.*'):
        driver = vmdriver.VMwareVCDriver(None)
        driver.init_host('vmware-compute')
        driver.created = []
        try:
            yield driver
        finally:
            for instance in driver.created:
                try:
                    driver.destroy(None, instance, [])
                except Exception:  # clean the others; the simulator is discarded anyway
                    pass
            driver.cleanup_host('vmware-compute')
    conf.clear_override('state_path')


def spawn(drv, image_id, instance=None, **kwargs):
    instance = instance or make_instance(image_id, **kwargs)
    drv.created.append(instance)
    meta = objects.ImageMeta.from_dict(glance.API().get(ctxt(), image_id))
    drv.spawn(ctxt(), instance, meta, [], None, None)
    return instance


def vm_of(drv, instance):
    vm = drv.vmops.find_vm(instance)
    assert vm is not None
    return vm, drv.session.props(vm, ['runtime.powerState', 'config', 'summary.config',
                                      'config.files.vmPathName', 'resourcePool'])


def datastore_dir(drv):
    """The local directory behind the simulator's datastore (its vSphere URL)."""
    return next(d.url for d in drv.cluster.datastores() if d.name == vcsim.DATASTORE)


def test_cluster_is_one_node_with_the_cluster_resources(drv):
    nodes = drv.get_available_nodes(refresh=True)
    assert len(nodes) == 1
    cluster_ref, vcenter_uuid = nodes[0].split('.', 1)
    assert cluster_ref.startswith('domain-c') or cluster_ref.startswith('clustercompute')
    assert vcenter_uuid == drv.session.content.about.instanceUuid
    res = drv.get_available_resource(nodes[0])
    # simulator.VPX: three hosts of 2 threads and 4 GiB each, one local datastore.
    assert res['hypervisor_type'] == 'VMware vCenter Server'
    assert res['hypervisor_hostname'] == nodes[0]
    assert res['vcpus'] == 6
    assert res['memory_mb'] == 3 * (4294430720 // (1024 * 1024))
    assert res['local_gb'] > 0 and res['local_gb'] >= res['disk_available_least']
    assert res['hypervisor_version'] >= 6000000
    assert drv.get_nodenames_by_uuid() == {res['uuid']: nodes[0]}


def test_datastore_regex_selects_datastores(drv, conf):
    conf.set_override('datastore_regex', 'NoSuchStore', group='vmware')
    try:
        assert drv.cluster.datastores() == []
        with pytest.raises(exception.DatastoreNotFound):
            drv.cluster.pick_datastore()
    finally:
        conf.set_override('datastore_regex', 'LocalDS_.*', group='vmware')
    assert [d.name for d in drv.cluster.datastores()] == [vcsim.DATASTORE]


def test_spawn_lifecycle_and_destroy(drv, vmdk_image):
    specs = {'quota:cpu_limit': '2000', 'quota:cpu_reservation': '500',
             'quota:memory_shares_level': 'custom', 'quota:memory_shares_share': '1234',
             'vmware:hw_version': 'vmx-11'}
    instance = spawn(drv, vmdk_image, vcpus=2, memory_mb=512, extra_specs=specs)
    vm, props = vm_of(drv, instance)
    config = props['config']
    assert props['runtime.powerState'] == 'poweredOn'
    assert config.name == instance.uuid and config.instanceUuid == instance.uuid
    assert config.hardware.numCPU == 2 and config.hardware.memoryMB == 512
    assert config.guestId == 'otherLinux64Guest'
    assert config.version == 'vmx-11'
    assert config.cpuAllocation.limit == 2000 and config.cpuAllocation.reservation == 500
    assert config.memoryAllocation.shares.level == 'custom'
    assert config.memoryAllocation.shares.shares == 1234
    assert props['resourcePool']._moId == drv.cluster.resource_pool._moId
    disks = [d for d in config.hardware.device if hasattr(d, 'capacityInKB')
             and type(d).__name__.endswith('VirtualDisk')]
    assert len(disks) == 1 and disks[0].capacityInKB == GiB // 1024
    # Linked clone (the default): a delta over the cached, grown image.
    assert disks[0].backing.parent.fileName == '[%s] %s/%s/%s.1.vmdk' % (
        vcsim.DATASTORE, images.cache_folder(), vmdk_image, vmdk_image)
    assert os.path.exists(os.path.join(datastore_dir(drv), images.cache_folder(), vmdk_image,
                                       '%s.vmdk' % vmdk_image))
    assert instance.uuid in drv.list_instance_uuids()
    assert drv.get_info(instance).state == power_state.RUNNING

    drv.power_off(instance)
    assert drv.get_info(instance).state == power_state.SHUTDOWN
    drv.power_on(ctxt(), instance, [])
    assert drv.get_info(instance).state == power_state.RUNNING
    for kind in ('SOFT', 'HARD'):
        drv.reboot(ctxt(), instance, [], kind)
        assert drv.get_info(instance).state == power_state.RUNNING
    drv.suspend(ctxt(), instance)
    assert drv.get_info(instance).state == power_state.SUSPENDED
    drv.resume(ctxt(), instance, [])
    assert drv.get_info(instance).state == power_state.RUNNING
    with pytest.raises(NotImplementedError):
        drv.pause(instance)
    diags = drv.get_instance_diagnostics(instance)
    assert diags['driver'] == 'vmwareapi' and diags['num_cpus'] == 2
    assert diags['memory_details']['maximum'] == 512 and diags['num_disks'] == 1
    assert drv.get_diagnostics(instance)['powerState'] == 'poweredOn'
    with pytest.raises(exception.ConsoleOutputNotAvailable):
        drv.get_console_output(ctxt(), instance)

    folder = os.path.join(datastore_dir(drv), instance.uuid)
    assert os.path.isdir(folder)
    drv.destroy(ctxt(), instance, [])
    assert drv.vmops.find_vm(instance) is None
    assert not os.path.exists(folder)
    with pytest.raises(exception.InstanceNotFound):
        drv.get_info(instance)
    drv.destroy(ctxt(), instance, [])  # a second destroy finds nothing to do


def test_full_copy_with_config_drive(drv, vmdk_image, conf):
    conf.set_override('use_linked_clone', False, group='vmware')
    try:
        # What the metadata tree reads from an instance record.
        instance = make_instance(
            vmdk_image, root_gb=2, config_drive='True', hostname='vm', launch_index=0,
            availability_zone='nova', reservation_id='r-1', root_device_name='/dev/sda',
            default_ephemeral_device=None, default_swap_device=None, key_name=None,
            key_data=None, user_data=None, metadata={},
            keypairs=objects.KeyPairList(objects=[]), info_cache=None)
        spawn(drv, vmdk_image, instance)
    finally:
        conf.clear_override('use_linked_clone', group='vmware')
    _vm, props = vm_of(drv, instance)
    devices = props['config'].hardware.device
    disk = next(d for d in devices if type(d).__name__.endswith('VirtualDisk'))
    assert disk.backing.fileName == '[%s] %s/%s.vmdk' % (vcsim.DATASTORE, instance.uuid,
                                                          instance.uuid)
    assert disk.backing.parent is None
    flat = os.path.join(datastore_dir(drv), instance.uuid, '%s-flat.vmdk' % instance.uuid)
    assert os.path.getsize(flat) == 2 * GiB  # extended to the flavor's root disk (sparse)
    cdrom = next(d for d in devices if type(d).__name__.endswith('VirtualCdrom'))
    assert cdrom.backing.fileName.endswith('%s/configdrive.iso' % instance.uuid)
    iso = os.path.join(datastore_dir(drv), instance.uuid, 'configdrive.iso')
    with open(iso, 'rb') as f:
        f.seek(32768 + 40)
        assert f.read(8) == b'config-2'
    assert drv.get_instance_diagnostics(instance)['config_drive'] is True


def test_snapshot_uploads_a_vmdk_to_glance_that_boots(drv, vmdk_image, glance_url):
    instance = spawn(drv, vmdk_image, root_gb=0)  # the image's size: a small upload
    image = requests.post(glance_url + '/v2/images', json={'name': 'snap'}, timeout=30).json()
    states = []
    drv.snapshot(ctxt(), instance, image['id'],
                 lambda task_state, expected_state=None: states.append(task_state))
    assert states == [task_states.IMAGE_PENDING_UPLOAD, task_states.IMAGE_UPLOADING]
    meta = glance.API().get(ctxt(), image['id'])
    assert meta['status'] == 'active' and meta['disk_format'] == 'vmdk'
    assert meta['properties']['vmware_disktype'] == 'preallocated'
    assert meta['properties']['vmware_adaptertype'] == 'lsiLogic'
    vm, _props = vm_of(drv, instance)
    assert drv.session.props(vm, ['snapshot']).get('snapshot') is None  # removed again
    assert drv.get_info(instance).state == power_state.RUNNING
    second = spawn(drv, image['id'])
    assert drv.get_info(second).state == power_state.RUNNING


def test_images_the_driver_cannot_use_fail_cleanly(drv, glance_url, tmp_path):
    qcow = requests.post(glance_url + '/v2/images', json={
        'name': 'qcow', 'disk_format': 'qcow2', 'container_format': 'bare'},
        timeout=30).json()
    instance = make_instance(qcow['id'])
    with pytest.raises(exception.InvalidDiskFormat):
        drv.spawn(ctxt(), instance, objects.ImageMeta.from_dict(
            {'id': qcow['id'], 'disk_format': 'qcow2'}), [], None, None)
    odd = upload(glance_url, vcsim_fixture.make_vmdk(tmp_path / 'odd.vmdk'),
                 vmware_disktype='mystery')
    with pytest.raises(exception.ImageUnacceptable):
        spawn(drv, odd)
    assert drv.vmops.find_vm(instance) is None
