"""The libvirt driver's VIFs: OVS ports delegated to os-vif become ethernet
interfaces (libvirt makes the tap), the guest starts paused until Neutron's
network-vif-plugged events came, and a timeout is fatal or not as
``vif_plugging_is_fatal`` says. os-vif's OVSDB calls are recorded here: no
Open vSwitch runs in the unit tier (the e2e tier plugs into a real one)."""

import threading
from xml.etree import ElementTree as etree
import types

import pytest

import nova.conf
from nova.compute import instance_events
from nova import exception
from nova.network import os_vif_util
from nova.virt.libvirt import vif as libvirt_vif
from tests.unit.virt.libvirt.conftest import HotplugDomain
from tests.unit.virt.libvirt.conftest import RunningGuest

CONF = nova.conf.CONF
PORT = '5f1b1d2e-7c4a-4b8e-9d3f-2a6c8e0b1f47'


def _vif(active=False, **kw):
    vif = {'id': PORT, 'address': 'fa:16:3e:11:22:33', 'type': 'ovs',
           'devname': 'tap5f1b1d2e-7c', 'delegate_create': True, 'active': active,
           'details': {'port_filter': True, 'datapath_type': 'netdev'},
           'network': {'id': 'a1c3e3b0-1111-4222-8333-944444444444', 'bridge': 'br-int',
                       'label': 'private', 'meta': {'mtu': 1442}, 'subnets': []}}
    vif.update(kw)
    return vif


class _Guest(object):
    def __init__(self):
        self.calls = []

    def launch(self, pause=False):
        self.calls.append('launch-paused' if pause else 'launch')

    def resume(self):
        self.calls.append('resume')


class _VirtAPI(object):
    def __init__(self):
        self.events = instance_events.InstanceEvents()

    def wait_for_instance_event(self, instance, names, deadline=300, error_callback=None):
        return self.events.wait_for(instance, names, deadline, error_callback)


@pytest.fixture
def plugged(monkeypatch):
    calls = []
    monkeypatch.setattr(os_vif_util, 'plug', lambda inst, vif: calls.append(('plug', vif['id'])))
    monkeypatch.setattr(os_vif_util, 'unplug',
                        lambda inst, vif: calls.append(('unplug', vif['id'])))
    return calls


INSTANCE = types.SimpleNamespace(uuid='0d6b9a54-98e4-4a38-8b33-1f3c8f6d2a71', name='i-1',
                                 project_id='p')


def test_delegated_ovs_port_is_an_ethernet_interface():
    xml = libvirt_vif.interface_config(_vif()).to_xml(pretty_print=False)
    assert xml.startswith('<interface type="ethernet"><mac address="fa:16:3e:11:22:33" />')
    assert '<target dev="tap5f1b1d2e-7c" />' in xml
    assert '<mtu size="1442" />' in xml
    assert 'virtualport' not in xml


def test_os_vif_object_from_a_vif():
    osvif = os_vif_util.nova_to_osvif_vif(_vif())
    assert osvif.vif_name == 'tap5f1b1d2e-7c' and osvif.network.bridge == 'br-int'
    assert osvif.port_profile.interface_id == PORT
    assert osvif.port_profile.datapath_type == 'netdev'
    assert osvif.port_profile.create_port is True
    assert osvif.network.mtu == 1442
    assert os_vif_util.nova_to_osvif_vif(_vif(type='bridge')) is None


def test_guest_runs_once_the_port_is_plugged(plugged):
    virtapi, guest = _VirtAPI(), _Guest()

    def neutron_says_up():
        # Neutron's event comes while the guest is paused.
        while 'launch-paused' not in guest.calls:
            threading.Event().wait(0.01)
        event = types.SimpleNamespace(instance_uuid=INSTANCE.uuid, status='completed',
                                      key='network-vif-plugged-%s' % PORT)
        virtapi.events.deliver(event)
    thread = threading.Thread(target=neutron_says_up)
    thread.start()
    libvirt_vif.launch(virtapi, INSTANCE, guest, [_vif()])
    thread.join()
    assert guest.calls == ['launch-paused', 'resume']
    assert plugged == [('plug', PORT)]


def test_active_ports_and_no_timeout_mean_no_wait(plugged):
    guest = _Guest()
    libvirt_vif.launch(_VirtAPI(), INSTANCE, guest, [_vif(active=True)])
    assert guest.calls == ['launch']
    CONF.set_override('vif_plugging_timeout', 0)
    try:
        guest = _Guest()
        libvirt_vif.launch(_VirtAPI(), INSTANCE, guest, [_vif()])
        assert guest.calls == ['launch']
    finally:
        CONF.clear_override('vif_plugging_timeout')


def test_timeout_is_fatal_unless_configured_otherwise(plugged):
    CONF.set_override('vif_plugging_timeout', 1)
    try:
        with pytest.raises(exception.VirtualInterfaceCreateException):
            libvirt_vif.launch(_VirtAPI(), INSTANCE, _Guest(), [_vif()])
        CONF.set_override('vif_plugging_is_fatal', False)
        guest = _Guest()
        libvirt_vif.launch(_VirtAPI(), INSTANCE, guest, [_vif()])
        assert guest.calls == ['launch-paused', 'resume']
    finally:
        CONF.clear_override('vif_plugging_timeout')
        CONF.clear_override('vif_plugging_is_fatal')


def test_plug_failure_and_unplug(monkeypatch):
    def boom(inst, vif):
        raise RuntimeError('ovsdb unreachable')
    monkeypatch.setattr(os_vif_util, 'plug', boom)
    monkeypatch.setattr(os_vif_util, 'unplug', boom)
    with pytest.raises(exception.VirtualInterfacePlugException):
        libvirt_vif.plug_vifs(INSTANCE, [_vif()])
    libvirt_vif.unplug_vifs(INSTANCE, [_vif()])  # logged, not raised


# --- hot plug and unplug --------------------------------------------------------------

class _Domain(HotplugDomain):
    """A running domain whose guest lets go of a NIC after ``acks_after`` asks."""

    def __init__(self, acks_after=1):
        super().__init__(lambda nic: nic.find('mac').get('address'), acks_after)


class _Clock(object):
    """Time that passes only when the code under test sleeps."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_hot_plug_plugs_the_port_then_the_nic_live_and_persistent(plugged):
    from nova.virt.libvirt.bindings import libvirt
    domain = _Domain()
    guest = RunningGuest(domain)
    libvirt_vif.attach(INSTANCE, guest, _vif())
    assert plugged == [('plug', PORT)]
    assert domain.flags == [libvirt.VIR_DOMAIN_AFFECT_CONFIG | libvirt.VIR_DOMAIN_AFFECT_LIVE]
    nic = etree.fromstring(domain.live['fa:16:3e:11:22:33'])
    assert nic.get('type') == 'ethernet'
    assert nic.find('target').get('dev') == 'tap5f1b1d2e-7c'
    with pytest.raises(exception.InterfaceAttachFailed):
        libvirt_vif.attach(INSTANCE, guest, _vif())
    assert plugged == [('plug', PORT)]


def test_a_refused_hot_plug_unplugs_the_port_again(plugged):
    from nova.virt.libvirt.bindings import libvirt

    class Refusing(_Domain):
        def attachDeviceFlags(self, xml, flags):
            raise libvirt.libvirtError('no free PCI slot')
    with pytest.raises(libvirt.libvirtError):
        libvirt_vif.attach(INSTANCE, RunningGuest(Refusing()), _vif())
    assert plugged == [('plug', PORT), ('unplug', PORT)]


def test_hot_unplug_asks_again_until_the_guest_lets_go(plugged, quick_detach):
    domain = _Domain(acks_after=2)
    guest = RunningGuest(domain)
    libvirt_vif.attach(INSTANCE, guest, _vif())
    clock = _Clock()
    libvirt_vif.detach(INSTANCE, guest, _vif(), sleep=clock.sleep, clock=clock)
    assert domain.live_asks == 2
    assert domain.live == {} == domain.persistent
    assert plugged == [('plug', PORT), ('unplug', PORT)]


def test_a_guest_that_keeps_the_nic_keeps_its_port(plugged, quick_detach):
    domain = _Domain(acks_after=99)
    guest = RunningGuest(domain)
    libvirt_vif.attach(INSTANCE, guest, _vif())
    clock = _Clock()
    with pytest.raises(exception.DeviceDetachFailed):
        libvirt_vif.detach(INSTANCE, guest, _vif(), sleep=clock.sleep, clock=clock)
    assert domain.live_asks == 3
    assert list(domain.live) == ['fa:16:3e:11:22:33']
    # the persistent definition keeps the NIC the guest keeps
    assert list(domain.persistent) == ['fa:16:3e:11:22:33']
    assert plugged == [('plug', PORT)]
