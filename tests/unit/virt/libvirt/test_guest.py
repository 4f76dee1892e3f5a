"""A libvirt domain as a Guest, against libvirt's in-process test driver: power state
mapping, the lifecycle calls, file-backed disks and interfaces read from its XML,
undefining it."""

import uuid

import pytest

from nova.compute import power_state
from nova.virt.libvirt import guest as libvirt_guest
from tests.unit.virt.libvirt.conftest import libvirt


def test_power_state_mapping():
    assert libvirt_guest.power_state_of(libvirt.VIR_DOMAIN_RUNNING) == power_state.RUNNING
    assert libvirt_guest.power_state_of(libvirt.VIR_DOMAIN_BLOCKED) == power_state.RUNNING
    assert libvirt_guest.power_state_of(libvirt.VIR_DOMAIN_PAUSED) == power_state.PAUSED
    assert libvirt_guest.power_state_of(libvirt.VIR_DOMAIN_SHUTOFF) == power_state.SHUTDOWN
    assert libvirt_guest.power_state_of(libvirt.VIR_DOMAIN_CRASHED) == power_state.CRASHED
    assert libvirt_guest.power_state_of(libvirt.VIR_DOMAIN_PMSUSPENDED) == \
        power_state.SUSPENDED
    assert libvirt_guest.power_state_of(libvirt.VIR_DOMAIN_NOSTATE) == power_state.NOSTATE


_XML = """<domain type='test'><name>%(name)s</name><uuid>%(uuid)s</uuid>
<memory>65536</memory><os><type>hvm</type></os><devices>
<disk type='file' device='disk'><source file='/var/lib/nova/%(name)s/disk'/>
<target dev='vda' bus='virtio'/></disk>
<disk type='file' device='cdrom'><target dev='hdd' bus='ide'/></disk>
<interface type='ethernet'><target dev='tap%(short)s'/></interface>
</devices></domain>"""


@pytest.fixture
def guest(test_conn):
    ident = str(uuid.uuid4())
    domain = test_conn.defineXML(_XML % {'name': 'guest-' + ident[:8], 'uuid': ident,
                                         'short': ident[:8]})
    made = libvirt_guest.Guest(domain)
    yield made
    try:
        made.poweroff()
        made.delete_configuration()
    except libvirt.libvirtError:
        pass  # the test undefined it itself


def test_a_defined_guest_is_off_until_launched(guest):
    assert guest.get_power_state() == power_state.SHUTDOWN and not guest.is_active()
    guest.launch()
    assert guest.get_info().state == power_state.RUNNING and guest.is_active()
    guest.pause()
    assert guest.get_power_state() == power_state.PAUSED
    guest.resume()
    guest.poweroff()
    assert guest.get_power_state() == power_state.SHUTDOWN


def test_powering_off_a_stopped_guest_is_fine(guest):
    guest.poweroff()
    assert guest.get_power_state() == power_state.SHUTDOWN


def test_disks_and_interfaces_come_from_the_xml(guest):
    assert guest.get_disks() == [('vda', '/var/lib/nova/%s/disk' % guest.name)]
    assert guest.get_interfaces() == ['tap' + guest.uuid[:8]]
    assert guest.get_xml_tree(dump_inactive=True).find('name').text == guest.name


def test_delete_configuration_undefines_the_domain(guest, test_conn):
    name = guest.name
    guest.delete_configuration()
    assert name not in test_conn.listDefinedDomains()
