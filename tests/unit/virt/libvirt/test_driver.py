"""LibvirtDriver against libvirt's in-process test driver (test:///default):
spawn/destroy, power-state mapping, lifecycle operations, host reporting."""

import json
import os
import shutil
import subprocess

import pytest

from nova.compute import power_state
from nova.compute import provider_tree
from nova import exception
from nova.network import os_vif_util
from nova import objects
from nova.virt.libvirt import driver as libvirt_driver
from nova.virt.libvirt import imagebackend
from tests.unit.virt.libvirt.conftest import make_instance


@pytest.fixture
def drv(conf, local_fetch):
    d = libvirt_driver.LibvirtDriver(None)
    d.image_fetch = local_fetch
    d.init_host('host-a')
    created = []
    d.created = created
    yield d
    for inst in created:
        d.destroy(None, inst, [])
    d.cleanup_host('host-a')


def _image(instance):
    return objects.ImageMeta.from_dict({'id': instance.image_ref, 'disk_format': 'qcow2',
                                        'properties': {}})


def _spawn(drv, instance=None, power_on=True):
    instance = instance or make_instance()
    drv.created.append(instance)
    drv.spawn(None, instance, _image(instance), [], None, None, power_on=power_on)
    return instance


def test_spawn_defines_and_starts_a_domain_with_its_files(drv, conf):
    instance = _spawn(drv)
    assert drv.instance_exists(instance)
    assert instance.uuid in drv.list_instance_uuids()
    assert instance.name in drv.list_instances()
    assert instance.name.startswith('instance-')
    assert drv.get_info(instance).state == power_state.RUNNING
    inst_dir = imagebackend.instance_dir(instance)
    assert sorted(os.listdir(inst_dir)) == ['disk', 'libvirt.xml']
    info = json.loads(subprocess.run(['qemu-img', 'info', '--output=json', '-U',
                                      os.path.join(inst_dir, 'disk')],
                                     capture_output=True, check=True).stdout)
    assert info['format'] == 'qcow2'
    assert info['backing-filename'] == os.path.join(
        imagebackend.base_dir(), imagebackend.image_cache_name(instance.image_ref))


@pytest.mark.skipif(not shutil.which('virt-xml-validate'), reason='virt-xml-validate missing')
def test_generated_domain_xml_validates(drv, conf):
    conf.set_override('enabled', True, group='spice')
    try:
        instance = _spawn(drv, make_instance(ephemeral_gb=1, swap=16))
    finally:
        conf.clear_override('enabled', group='spice')
    path = imagebackend.instance_path(instance, 'libvirt.xml')
    result = subprocess.run(['virt-xml-validate', path, 'domain'], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    xml = open(path).read()
    for expected in ("<target dev=\"vda\" bus=\"virtio\"", "<target dev=\"vdb\"",
                     "<target dev=\"vdc\"", "console.log", "type=\"vnc\"", "type=\"spice\""):
        assert expected in xml


def test_root_disk_grows_to_flavor_root_gb_and_eph_swap_exist(drv):
    instance = _spawn(drv, make_instance(root_gb=1, ephemeral_gb=1, swap=32))

    def vsize(name):
        out = subprocess.run(['qemu-img', 'info', '--output=json', '-U',
                              imagebackend.instance_path(instance, name)],
                             capture_output=True, check=True).stdout
        return json.loads(out)['virtual-size']

    assert vsize('disk') == 1024 ** 3
    assert vsize('disk.eph0') == 1024 ** 3
    assert vsize('disk.swap') == 32 * 1024 ** 2


def test_raw_images_type_copies_instead_of_overlaying(drv, conf):
    conf.set_override('images_type', 'raw', group='libvirt')
    try:
        instance = _spawn(drv)
    finally:
        conf.clear_override('images_type', group='libvirt')
    out = subprocess.run(['qemu-img', 'info', '--output=json', '-U',
                          imagebackend.instance_path(instance, 'disk')],
                         capture_output=True, check=True).stdout
    info = json.loads(out)
    assert info['format'] == 'raw'
    assert 'backing-filename' not in info


def test_image_is_downloaded_once_for_two_instances(drv, local_fetch):
    first = make_instance()
    second = make_instance()
    second.image_ref = first.image_ref
    _spawn(drv, first)
    _spawn(drv, second)
    assert local_fetch.calls == [first.image_ref]


def test_destroy_leaves_no_domain_and_no_directory(drv):
    instance = _spawn(drv)
    drv.destroy(None, instance, [])
    assert not drv.instance_exists(instance)
    assert not os.path.exists(imagebackend.instance_dir(instance))
    with pytest.raises(exception.InstanceNotFound):
        drv.get_info(instance)
    drv.destroy(None, instance, [])  # twice is fine


def test_destroy_can_keep_disks(drv):
    instance = _spawn(drv)
    drv.destroy(None, instance, [], destroy_disks=False)
    assert not drv.instance_exists(instance)
    assert os.path.exists(imagebackend.instance_path(instance, 'disk'))


def test_spawn_without_power_on_leaves_it_shut_down(drv):
    instance = _spawn(drv, power_on=False)
    assert drv.get_info(instance).state == power_state.SHUTDOWN


def test_power_operations_map_to_states(drv):
    instance = _spawn(drv)
    drv.pause(instance)
    assert drv.get_info(instance).state == power_state.PAUSED
    drv.unpause(instance)
    assert drv.get_info(instance).state == power_state.RUNNING
    drv.suspend(None, instance)
    assert drv.get_info(instance).state == power_state.SHUTDOWN
    assert drv._host.get_guest(instance).has_managed_save()
    drv.resume(None, instance, [])
    assert drv.get_info(instance).state == power_state.RUNNING
    drv.power_off(instance)
    assert drv.get_info(instance).state == power_state.SHUTDOWN
    drv.power_on(None, instance, [])
    assert drv.get_info(instance).state == power_state.RUNNING
    drv.power_off(instance, timeout=5, retry_interval=1)  # clean: the test guest obeys
    assert drv.get_info(instance).state == power_state.SHUTDOWN


def test_reboots_restart_the_domain(drv):
    instance = _spawn(drv)
    first_id = drv.get_info(instance).internal_id
    drv.reboot(None, instance, [], 'HARD')
    second_id = drv.get_info(instance).internal_id
    assert drv.get_info(instance).state == power_state.RUNNING
    assert second_id != first_id
    drv.reboot(None, instance, [], 'SOFT')
    assert drv.get_info(instance).state == power_state.RUNNING
    assert drv.get_info(instance).internal_id != second_id


def test_hard_reboot_and_power_on_plug_the_vifs_again(drv, monkeypatch):
    calls = []
    monkeypatch.setattr(os_vif_util, 'plug', lambda inst, vif: calls.append(('plug', vif['id'])))
    monkeypatch.setattr(os_vif_util, 'unplug',
                        lambda inst, vif: calls.append(('unplug', vif['id'])))
    instance = _spawn(drv)
    calls.clear()
    network_info = [{'id': 'port-1'}]
    drv.reboot(None, instance, network_info, 'HARD')
    assert calls == [('unplug', 'port-1'), ('plug', 'port-1')]
    assert drv.get_info(instance).state == power_state.RUNNING
    drv.power_off(instance)
    calls.clear()
    drv.power_on(None, instance, network_info)
    assert calls == [('unplug', 'port-1'), ('plug', 'port-1')]


def test_hard_reboot_recreates_an_undefined_domain_from_saved_xml(drv):
    instance = _spawn(drv)
    guest = drv._host.get_guest(instance)
    guest.poweroff()
    guest.delete_configuration()
    drv.reboot(None, instance, [], 'HARD')
    assert drv.get_info(instance).state == power_state.RUNNING


def test_crash_dump_on_a_stopped_guest_is_refused(drv):
    instance = _spawn(drv, power_on=False)
    with pytest.raises((exception.InstanceNotRunning, exception.TriggerCrashDumpNotSupported)):
        drv.trigger_crash_dump(instance)


def test_console_output_is_the_tail_of_console_log(drv):
    instance = _spawn(drv)
    assert drv.get_console_output(None, instance) == b''
    with open(imagebackend.instance_path(instance, 'console.log'), 'wb') as f:
        f.write(b'x' * 200 * 1024 + b'END')
    out = drv.get_console_output(None, instance)
    assert len(out) == 100 * 1024
    assert out.endswith(b'END')


def test_consoles_unavailable_when_not_configured(drv, conf):
    conf.set_override('enabled', False, group='vnc')
    try:
        instance = _spawn(drv)
    finally:
        conf.clear_override('enabled', group='vnc')
    with pytest.raises(exception.ConsoleTypeUnavailable):
        drv.get_vnc_console(None, instance)
    with pytest.raises(exception.ConsoleTypeUnavailable):
        drv.get_spice_console(None, instance)
    with pytest.raises(exception.ConsoleTypeUnavailable):
        drv.get_serial_console(None, instance)


def test_diagnostics_shapes(drv):
    instance = _spawn(drv)
    legacy = drv.get_diagnostics(instance)
    assert legacy['memory'] == 64 * 1024
    diags = drv.get_instance_diagnostics(instance)
    assert diags['state'] == 'running'
    assert diags['driver'] == 'libvirt'
    assert diags['num_disks'] == 1
    assert diags['memory_details']['maximum'] == 64
    assert set(diags['disk_details'][0]) == {'read_bytes', 'read_requests', 'write_bytes',
                                             'write_requests', 'errors_count'}


def test_available_resource_and_cpu_info(drv):
    nodename = drv.get_available_nodes()[0]
    res = drv.get_available_resource(nodename)
    assert res['vcpus'] == 16  # what the test driver's node claims
    assert res['memory_mb'] == 3072
    assert res['local_gb'] > 0
    assert res['hypervisor_type'] == 'TEST'
    assert res['hypervisor_hostname'] == nodename
    assert res['uuid'] in drv.get_nodenames_by_uuid()
    cpu = json.loads(res['cpu_info'])
    assert cpu['arch'] == 'i686'
    assert set(cpu['topology']) == {'sockets', 'cores', 'threads'}
    assert drv.get_host_uptime()


def test_update_provider_tree_sets_inventory_and_keeps_foreign_traits(drv):
    nodename = drv.get_available_nodes()[0]
    tree = provider_tree.ProviderTree()
    tree.new_root(nodename, next(iter(drv.get_nodenames_by_uuid())))
    tree.update_traits(nodename, ['CUSTOM_GOLD', 'COMPUTE_STATUS_DISABLED',
                                  'HW_CPU_X86_AVX512F'])
    drv.update_provider_tree(tree, nodename)
    data = tree.data(nodename)
    assert data.inventory['VCPU']['total'] == 16
    assert data.inventory['MEMORY_MB']['total'] == 3072
    assert 'DISK_GB' in data.inventory
    assert {'CUSTOM_GOLD', 'COMPUTE_STATUS_DISABLED', 'COMPUTE_IMAGE_TYPE_QCOW2',
            'COMPUTE_STORAGE_BUS_VIRTIO'} <= data.traits
    # The test driver's i686 CPU has no AVX-512: a stale CPU trait goes.
    assert 'HW_CPU_X86_AVX512F' not in data.traits


def test_config_drive_is_attached_readonly_when_required(drv):
    instance = make_instance()
    # What the metadata tree reads from an instance record.
    instance.update(dict(
        config_drive='True', hostname='vm', launch_index=0, availability_zone='nova',
        reservation_id='r-1', root_device_name='/dev/vda', default_ephemeral_device=None,
        default_swap_device=None, key_name=None, key_data=None, user_data=None,
        metadata={}, keypairs=objects.KeyPairList(objects=[]), info_cache=None))
    _spawn(drv, instance)
    path = imagebackend.instance_path(instance, 'disk.config')
    assert os.path.getsize(path) > 0
    tree = drv._host.get_guest(instance).get_xml_tree()
    cdrom = tree.find("./devices/disk[@device='cdrom']")
    assert cdrom.find('source').get('file') == path
    assert cdrom.find('readonly') is not None
    assert drv.get_instance_diagnostics(instance)['config_drive'] is True


def test_image_meta_without_id_falls_back_to_the_instance_image(drv, local_fetch):
    instance = make_instance()
    drv.created.append(instance)
    drv.spawn(None, instance, objects.ImageMeta.from_dict({}), [], None, None)
    assert local_fetch.calls == [instance.image_ref]


def test_no_image_at_all_is_refused_and_leaves_nothing(drv):
    instance = make_instance()
    instance.image_ref = ''
    with pytest.raises(exception.InvalidInput):
        drv.spawn(None, instance, objects.ImageMeta.from_dict({}), [], None, None)
    assert not drv.instance_exists(instance)
    assert not os.path.exists(imagebackend.instance_dir(instance))


def test_serial_console_gets_a_free_port_of_the_range(drv, conf):
    conf.set_override('enabled', True, group='serial_console')
    conf.set_override('port_range', '10000:20000', group='serial_console')
    try:
        first = _spawn(drv)
        second = _spawn(drv)
        one = drv.get_serial_console(None, first)
        two = drv.get_serial_console(None, second)
    finally:
        conf.clear_override('enabled', group='serial_console')
        conf.clear_override('port_range', group='serial_console')
    assert one.host == two.host == '127.0.0.1'
    assert 10000 <= one.port <= 20000 and 10000 <= two.port <= 20000
    assert one.port != two.port
    xml = open(imagebackend.instance_path(first, 'libvirt.xml')).read()
    assert 'console.log' in xml  # virtlogd still keeps the log of a TCP serial port


def test_interfaces_from_network_info(drv):
    from nova.virt.libvirt import vif as libvirt_vif
    ovs = {'id': '5f1b1d2e-7c4a-4b8e-9d3f-2a6c8e0b1f47', 'type': 'ovs',
           'address': 'fa:16:3e:11:22:33', 'network': {'bridge': 'br-int', 'meta': {'mtu': 1442}}}
    xml = libvirt_vif.interface_config(ovs).to_xml(pretty_print=False)
    assert xml == ('<interface type="bridge"><mac address="fa:16:3e:11:22:33" />'
                   '<source bridge="br-int" /><target dev="tap5f1b1d2e-7c" />'
                   '<model type="virtio" /><virtualport type="openvswitch">'
                   '<parameters interfaceid="5f1b1d2e-7c4a-4b8e-9d3f-2a6c8e0b1f47" />'
                   '</virtualport><mtu size="1442" /></interface>')
    tap = dict(ovs, type='tap', devname='tapabc')
    assert libvirt_vif.interface_config(tap).to_xml(pretty_print=False).startswith(
        '<interface type="ethernet"><mac address="fa:16:3e:11:22:33" />'
        '<target dev="tapabc" />')


def test_resume_state_on_host_boot_starts_stopped_and_lost_guests(drv):
    instance = _spawn(drv)
    running_id = drv.get_info(instance).internal_id
    drv.resume_state_on_host_boot(None, instance, [])
    assert drv.get_info(instance).internal_id == running_id  # left alone
    drv.power_off(instance)
    drv.resume_state_on_host_boot(None, instance, [])
    assert drv.get_info(instance).state == power_state.RUNNING
    guest = drv._host.get_guest(instance)
    guest.poweroff()
    guest.delete_configuration()  # a host that lost its libvirt definitions
    drv.resume_state_on_host_boot(None, instance, [])
    assert drv.get_info(instance).state == power_state.RUNNING


def test_unsupported_images_type_stops_the_start(conf):
    conf.set_override('images_type', 'rbd', group='libvirt')
    try:
        with pytest.raises(exception.InvalidConfiguration):
            libvirt_driver.LibvirtDriver(None).init_host('host-a')
    finally:
        conf.clear_override('images_type', group='libvirt')


def test_standard_diagnostics_fill_the_api_sample_shape(drv):
    """What the libvirt driver reads, through the API's 2.48 view, has upstream's shape."""
    from nova.api.openstack.compute.views import server_diagnostics as views
    from tests.unit.api import shapes
    instance = make_instance()
    drv.created.append(instance)
    vif = {'id': '5f1b1d2e-7c4a-4b8e-9d3f-2a6c8e0b1f47', 'type': 'tap', 'devname': 'tapdiag',
           'address': 'fa:16:3e:11:22:33', 'network': {'meta': {}}}
    drv.spawn(None, instance, _image(instance), [], None, None, network_info=[vif])
    body = views.standard(drv.get_instance_diagnostics(instance))
    sample = shapes.load('os-server-diagnostics/v2.48/server-diagnostics-get-resp.json')
    assert shapes.diff(sample, body) == []
    assert body['nic_details'][0]['mac_address'] == 'fa:16:3e:11:22:33'
    assert body['num_nics'] == 1 and body['num_cpus'] == 1
