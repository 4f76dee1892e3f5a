"""Domain XML config classes: exact XML per element, and a whole guest that
libvirt's own schema (virt-xml-validate) accepts."""

import shutil
import subprocess

import pytest

from nova.virt.libvirt import config as vconfig


def _xml(obj):
    return obj.to_xml(pretty_print=False)


def test_disk_file_with_cache_and_serial():
    disk = vconfig.LibvirtConfigGuestDisk(source_path='/i/disk', target_dev='vda',
                                          serial='abc', boot_order=1)
    assert _xml(disk) == (
        '<disk type="file" device="disk"><driver name="qemu" type="qcow2" cache="none" />'
        '<source file="/i/disk" /><target dev="vda" bus="virtio" /><serial>abc</serial>'
        '<boot order="1" /></disk>')


def test_cdrom_is_readonly():
    disk = vconfig.LibvirtConfigGuestDisk(source_path='/i/disk.config', target_dev='hdd',
                                          target_bus='ide', driver_format='raw',
                                          source_device='cdrom', readonly=True)
    assert '<readonly />' in _xml(disk)
    assert _xml(disk).startswith('<disk type="file" device="cdrom">')


def test_serial_pty_logs_to_file_for_virtlogd():
    serial = vconfig.LibvirtConfigGuestSerial(char_type='pty', target_port=0,
                                              log_file='/i/console.log')
    assert _xml(serial) == ('<serial type="pty"><log file="/i/console.log" append="off" />'
                            '<target port="0" /></serial>')


def test_serial_tcp_binds_for_the_proxy():
    serial = vconfig.LibvirtConfigGuestSerial(char_type='tcp', target_port=0,
                                              listen_host='127.0.0.1', listen_port=10000)
    assert _xml(serial) == ('<serial type="tcp"><source mode="bind" host="127.0.0.1" '
                            'service="10000" /><protocol type="raw" /><target port="0" />'
                            '</serial>')


def test_console_targets_serial():
    console = vconfig.LibvirtConfigGuestConsole(char_type='pty', target_type='serial',
                                                target_port=0)
    assert _xml(console) == '<console type="pty"><target type="serial" port="0" /></console>'


def test_graphics_vnc_listens_on_address():
    assert _xml(vconfig.LibvirtConfigGuestGraphics('vnc', listen='127.0.0.1')) == (
        '<graphics type="vnc" autoport="yes"><listen type="address" address="127.0.0.1" />'
        '</graphics>')


def test_interface_ovs_bridge_port():
    iface = vconfig.LibvirtConfigGuestInterface(
        net_type='bridge', mac_addr='fa:16:3e:00:00:01', source_dev='br-int',
        target_dev='tap1234', vporttype='openvswitch', interfaceid='port-1', mtu=1450)
    assert _xml(iface) == (
        '<interface type="bridge"><mac address="fa:16:3e:00:00:01" />'
        '<source bridge="br-int" /><target dev="tap1234" /><model type="virtio" />'
        '<virtualport type="openvswitch"><parameters interfaceid="port-1" /></virtualport>'
        '<mtu size="1450" /></interface>')


def test_small_devices():
    assert _xml(vconfig.LibvirtConfigGuestVideo('virtio')) == (
        '<video><model type="virtio" /></video>')
    assert _xml(vconfig.LibvirtConfigGuestInput()) == '<input type="tablet" bus="usb" />'
    assert _xml(vconfig.LibvirtConfigMemoryBalloon(period=10)) == (
        '<memballoon model="virtio"><stats period="10" /></memballoon>')
    assert _xml(vconfig.LibvirtConfigGuestRng(rate_bytes=1024, rate_period=1000)) == (
        '<rng model="virtio"><rate bytes="1024" period="1000" />'
        '<backend model="random">/dev/urandom</backend></rng>')


def test_os_cpu_features_clock():
    os_ = vconfig.LibvirtConfigGuestOS(arch='x86_64', machine='pc', boot_devs=['hd'],
                                       smbios_mode='sysinfo')
    assert _xml(os_) == ('<os><type arch="x86_64" machine="pc">hvm</type><boot dev="hd" />'
                         '<smbios mode="sysinfo" /></os>')
    assert _xml(vconfig.LibvirtConfigGuestFeatures()) == (
        '<features><acpi /><apic /></features>')
    cpu = vconfig.LibvirtConfigGuestCPU(mode='custom', model='Nehalem', features=['pcid'])
    assert _xml(cpu) == ('<cpu mode="custom" match="exact"><model fallback="allow">Nehalem'
                         '</model><feature policy="require" name="pcid" /></cpu>')
    clock = vconfig.LibvirtConfigGuestClock('utc', [('pit', {'tickpolicy': 'delay'})])
    assert _xml(clock) == '<clock offset="utc"><timer name="pit" tickpolicy="delay" /></clock>'


def test_direct_kernel_boot():
    os_ = vconfig.LibvirtConfigGuestOS(kernel='/i/kernel', initrd='/i/ramdisk',
                                       cmdline='console=ttyS0')
    assert _xml(os_) == ('<os><type>hvm</type><kernel>/i/kernel</kernel>'
                         '<initrd>/i/ramdisk</initrd><cmdline>console=ttyS0</cmdline></os>')


def full_guest():
    guest = vconfig.LibvirtConfigGuest(virt_type='qemu', name='instance-00000001',
                                       uuid='c7a2b5e4-1d0c-4bde-9a6f-3f3c2f1b8a10',
                                       memory_kib=65536, vcpus=1)
    guest.metadata.append(vconfig.LibvirtConfigGuestMetaNova(
        name='vm', creation_time='2026-01-01 00:00:00',
        flavor={'name': 'm1.tiny', 'memory': 64, 'disk': 1, 'swap': 0, 'ephemeral': 0,
                'vcpus': 1}, owner_user='u', owner_project='p'))
    guest.sysinfo = vconfig.LibvirtConfigGuestSysinfo(
        manufacturer='OpenStack Foundation', product='OpenStack Nova', version='1',
        serial=guest.uuid, uuid=guest.uuid, family='Virtual Machine')
    guest.os = vconfig.LibvirtConfigGuestOS(arch='x86_64', machine='pc', boot_devs=['hd'],
                                            smbios_mode='sysinfo')
    guest.features = vconfig.LibvirtConfigGuestFeatures()
    guest.cpu = vconfig.LibvirtConfigGuestCPU(mode='host-model')
    guest.clock = vconfig.LibvirtConfigGuestClock(
        'utc', [('pit', {'tickpolicy': 'delay'}), ('rtc', {'tickpolicy': 'catchup'}),
                ('hpet', {'present': 'no'})])
    guest.add_device(vconfig.LibvirtConfigGuestDisk('/i/disk', 'vda', serial=guest.uuid))
    guest.add_device(vconfig.LibvirtConfigGuestDisk('/i/disk.config', 'hdd', 'ide', 'raw',
                                                    'cdrom', readonly=True))
    guest.add_device(vconfig.LibvirtConfigGuestInterface(
        'bridge', 'fa:16:3e:00:00:01', source_dev='br-int', target_dev='tap1',
        vporttype='openvswitch', interfaceid='5f1b1d2e-7c4a-4b8e-9d3f-2a6c8e0b1f47'))
    guest.add_device(vconfig.LibvirtConfigGuestSerial('pty', 0, log_file='/i/console.log'))
    guest.add_device(vconfig.LibvirtConfigGuestConsole('pty', 0, 'serial'))
    guest.add_device(vconfig.LibvirtConfigGuestGraphics('vnc', listen='127.0.0.1'))
    guest.add_device(vconfig.LibvirtConfigGuestGraphics('spice', listen='127.0.0.1'))
    guest.add_device(vconfig.LibvirtConfigGuestVideo('virtio'))
    guest.add_device(vconfig.LibvirtConfigGuestInput())
    guest.add_device(vconfig.LibvirtConfigGuestRng())
    guest.add_device(vconfig.LibvirtConfigMemoryBalloon(period=10))
    return guest


def test_guest_top_level_order_and_metadata_namespace():
    xml = _xml(full_guest())
    assert xml.startswith('<domain xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1"'
                          ' type="qemu"><name>instance-00000001</name>')
    assert '<nova:flavor name="m1.tiny"><nova:memory>64</nova:memory>' in xml
    order = [xml.index(tag) for tag in ('<name>', '<uuid>', '<metadata>', '<memory ',
                                        '<vcpu>', '<sysinfo', '<os>', '<features>',
                                        '<cpu ', '<clock ', '<on_poweroff>', '<devices>')]
    assert order == sorted(order)


@pytest.mark.skipif(not shutil.which('virt-xml-validate'), reason='virt-xml-validate missing')
def test_full_guest_validates_against_libvirt_schema(tmp_path):
    path = tmp_path / 'domain.xml'
    path.write_text(full_guest().to_xml())
    result = subprocess.run(['virt-xml-validate', str(path), 'domain'], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.skipif(not shutil.which('virt-xml-validate'), reason='virt-xml-validate missing')
def test_schema_check_is_not_a_rubber_stamp(tmp_path):
    guest = full_guest()
    guest.on_crash = 'explode'
    path = tmp_path / 'domain.xml'
    path.write_text(guest.to_xml())
    result = subprocess.run(['virt-xml-validate', str(path), 'domain'], capture_output=True)
    assert result.returncode != 0
