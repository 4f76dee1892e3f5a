"""LibvirtDriver against the real libvirtd and QEMU (TCG): the project's test
guest (tools/guest_image) is spawned through the driver's image cache, and
every lifecycle operation is checked on the live domain and on the guest's
own serial console output.

The image comes from a local file through the same ``_base`` cache code path
Glance downloads use (``driver.image_fetch``); the Glance round trip is
covered by test_snapshot_glance.py.
"""

import os
import socket
import time
import uuid

import pytest

import nova.conf
from nova.compute import power_state
from nova import exception
from nova import objects
from nova.virt.libvirt import imagebackend
from tests.fixtures import guest_image as guest_image_fixture
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures.guest_image import guest_image  # noqa: F401 (pytest fixture)
from tests.fixtures.libvirt_host import guest_host  # noqa: F401 (pytest fixture)
from tests.fixtures.waiting import wait_for

CONF = nova.conf.CONF
READY = guest_image_fixture.READY_MARKER
POWER_BUTTON = 'nova-test-guest: power button, powering off'


def make_instance(**extra):
    objects.register_all()
    flavor = objects.Flavor(name='m1.test', memory_mb=128, vcpus=1, root_gb=1,
                            ephemeral_gb=0, swap=0, flavorid='t1')
    values = dict(id=uuid.uuid4().int % 0xFFFFFFF, uuid=str(uuid.uuid4()),
                  image_ref=str(uuid.uuid4()), user_id='u1', project_id='p1',
                  display_name='vm', flavor=flavor, kernel_id='', ramdisk_id='',
                  system_metadata={}, config_drive='')
    values.update(extra)
    return objects.Instance(**values)


@pytest.fixture
def drv(guest_host, guest_image, tmp_path):  # noqa: F811
    extra = [('wait_soft_reboot_seconds', 90, 'libvirt'),
             ('snapshots_directory', str(tmp_path / 'snapshots'), 'libvirt')]
    with host_fixture.driver_config(guest_host, tmp_path, extra):
        driver = host_fixture.local_image_driver(guest_image)
        driver.events = []
        driver.register_event_listener(driver.events.append)
        driver.init_host(CONF.host)
        driver.created = []
        try:
            yield driver
        finally:
            for instance in driver.created:
                try:
                    driver.destroy(None, instance, [])
                except Exception:  # keep cleaning the others; virsh below is the backstop
                    pass
                host_fixture.virsh('destroy', instance.name, check=False)
                host_fixture.virsh('undefine', '--managed-save', instance.name, check=False)
            driver.cleanup_host(CONF.host)


def spawn(drv, instance=None):
    instance = instance or make_instance()
    drv.created.append(instance)
    image_meta = objects.ImageMeta.from_dict({'id': instance.image_ref,
                                              'disk_format': 'qcow2', 'properties': {}})
    started = time.monotonic()
    drv.spawn(None, instance, image_meta, [], None, None)
    print('spawn of %s returned after %.2fs' % (instance.uuid, time.monotonic() - started))
    return instance


def console(drv, instance):
    return drv.get_console_output(None, instance).decode('utf-8', 'replace')


def wait_marker(drv, instance, count=1, timeout=150):
    wait_for(lambda: console(drv, instance).count(READY) >= count, timeout=timeout,
             what='%d ready marker(s) on the console of %s' % (count, instance.uuid))


def test_spawn_boots_the_guest_and_destroy_leaves_nothing(drv):
    started = time.monotonic()
    instance = spawn(drv)
    assert drv.get_info(instance).state == power_state.RUNNING
    assert host_fixture.domain_state(instance.name) == 'running'
    inst_dir = imagebackend.instance_dir(instance)
    assert {'disk', 'console.log', 'libvirt.xml'} <= set(os.listdir(inst_dir))
    wait_marker(drv, instance)
    print('guest ready %.2fs after spawn began' % (time.monotonic() - started))
    vnc = drv.get_vnc_console(None, instance)
    assert vnc.host == CONF.vnc.server_proxyclient_address and vnc.port >= 5900
    diags = drv.get_instance_diagnostics(instance)
    assert diags['state'] == 'running' and diags['num_disks'] == 1
    drv.destroy(None, instance, [])
    assert host_fixture.domain_state(instance.name) is None
    assert not os.path.exists(inst_dir)
    assert not drv.instance_exists(instance)


def test_reboots_power_pause_suspend(drv):
    instance = spawn(drv)
    wait_marker(drv, instance)

    drv.reboot(None, instance, [], 'SOFT')  # ACPI: the guest powers itself off
    assert drv.get_info(instance).state == power_state.RUNNING
    assert POWER_BUTTON in console(drv, instance)
    wait_marker(drv, instance, count=2)

    drv.reboot(None, instance, [], 'HARD')
    assert drv.get_info(instance).state == power_state.RUNNING
    wait_marker(drv, instance, count=3)

    drv.pause(instance)
    assert drv.get_info(instance).state == power_state.PAUSED
    assert host_fixture.domain_state(instance.name) == 'paused'
    drv.unpause(instance)
    assert drv.get_info(instance).state == power_state.RUNNING

    drv.suspend(None, instance)
    assert drv.get_info(instance).state == power_state.SHUTDOWN
    assert drv._host.get_guest(instance).has_managed_save()
    drv.resume(None, instance, [])
    assert drv.get_info(instance).state == power_state.RUNNING
    assert console(drv, instance).count(READY) == 3  # restored, not rebooted

    presses = console(drv, instance).count(POWER_BUTTON)
    drv.power_off(instance, timeout=60, retry_interval=5)
    assert drv.get_info(instance).state == power_state.SHUTDOWN
    assert console(drv, instance).count(POWER_BUTTON) == presses + 1  # clean, via ACPI

    drv.power_on(None, instance, [])
    assert drv.get_info(instance).state == power_state.RUNNING
    wait_marker(drv, instance, count=4)

    drv.trigger_crash_dump(instance)  # the guest ignores an NMI; the call must work
    drv.power_off(instance)  # no timeout: pulled plug
    assert host_fixture.domain_state(instance.name) == 'shut off'


def test_lifecycle_events_reach_the_listener(drv):
    instance = spawn(drv)
    drv.pause(instance)
    drv.unpause(instance)
    names = lambda: [e.get_name() for e in drv.events if e.uuid == instance.uuid]  # noqa
    wait_for(lambda: names()[-3:] == ['Started', 'Paused', 'Resumed'], timeout=30,
             what='Started, Paused, Resumed events')


def test_config_drive_is_read_by_the_guest(drv):
    instance = make_instance(
        config_drive='True', hostname='vm', launch_index=0, availability_zone='nova',
        reservation_id='r-1', root_device_name='/dev/vda', default_ephemeral_device=None,
        default_swap_device=None, key_name=None, key_data=None, user_data=None,
        metadata={}, keypairs=objects.KeyPairList(objects=[]), info_cache=None)
    spawn(drv, instance)
    wait_for(lambda: 'nova-test-guest: uuid %s' % instance.uuid in console(drv, instance),
             timeout=150, what='the guest printing its uuid from the config drive')


def test_image_cache_keeps_used_and_drops_unused_bases(drv):
    CONF.set_override('remove_unused_original_minimum_age_seconds', 0, group='image_cache')
    try:
        instance = spawn(drv)
        base = os.path.join(imagebackend.base_dir(),
                            imagebackend.image_cache_name(instance.image_ref))
        drv.manage_image_cache(None, [instance])
        assert os.path.exists(base)
        drv.destroy(None, instance, [])
        drv.manage_image_cache(None, [])
        assert not os.path.exists(base)
    finally:
        CONF.clear_override('remove_unused_original_minimum_age_seconds',
                            group='image_cache')


def test_unknown_instance_is_not_found(drv):
    with pytest.raises(exception.InstanceNotFound):
        drv.get_info(make_instance())


def test_remote_consoles_vnc_spice_and_serial_over_tcp(drv):
    CONF.set_override('enabled', True, group='spice')
    CONF.set_override('enabled', True, group='serial_console')
    try:
        instance = spawn(drv)
        serial = drv.get_serial_console(None, instance)
        # What the serial proxy does: connect to the guest's TCP serial port.
        received = b''
        with socket.create_connection((serial.host, serial.port), timeout=5) as conn:
            deadline = time.monotonic() + 150
            while READY.encode() not in received and time.monotonic() < deadline:
                try:
                    chunk = conn.recv(4096)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                received += chunk
        assert READY.encode() in received
        vnc = drv.get_vnc_console(None, instance)
        spice = drv.get_spice_console(None, instance)
        assert vnc.port != spice.port
        with socket.create_connection((vnc.host, vnc.port), timeout=5) as conn:
            assert conn.recv(12) == b'RFB 003.008\n'
        assert READY in console(drv, instance)  # virtlogd logs the TCP port too
    finally:
        CONF.clear_override('enabled', group='spice')
        CONF.clear_override('enabled', group='serial_console')
