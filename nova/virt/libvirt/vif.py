"""Guest NICs from Neutron's VIF descriptions (network_info entries).

Open vSwitch ports are plugged through os-vif: its ``ovs`` plugin creates
the port on the integration bridge with Neutron's ``iface-id`` and the
guest gets an ``<interface type='ethernet'>`` whose tap device libvirt
creates with the port's name, which OVS then picks up (this works with the
kernel and the userspace, ``datapath_type=netdev``, datapaths alike).
Before the guest runs, the driver waits for Neutron's
``network-vif-plugged`` of each port not yet up (``[DEFAULT]
vif_plugging_timeout``, ``vif_plugging_is_fatal``). Linux bridges and
VIFs cached before Nova delegated port creation keep libvirt's own
``bridge`` plugging; anything else is a plain tap.

Interfaces are hot-plugged into a running guest (and its persistent
definition) the same way: the OVS port first, then the device; a hot
unplug asks the guest to let go of the device and waits for it to leave
the live domain (``[libvirt] device_detach_attempts`` x
``device_detach_timeout``) before the OVS port goes.
"""

import time

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova.network import os_vif_util
from nova.virt.libvirt import config as vconfig
from nova.virt.libvirt import guest as libvirt_guest

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Neutron's tap device names are 'tap' + the first 11 characters of the port id.
NIC_NAME_LEN = 14


def _get(obj, key, default=None):
    try:
        value = obj[key]
    except (KeyError, TypeError, IndexError):
        value = getattr(obj, key, default)
    return default if value is None else value


def tap_name(vif):
    return _get(vif, 'devname') or ('tap' + str(_get(vif, 'id', ''))[:NIC_NAME_LEN - 3])


def interface_config(vif, image_meta=None):
    model = None
    if image_meta is not None and 'properties' in image_meta:
        model = image_meta.properties.get('hw_vif_model')
    model = model or ('virtio' if CONF.libvirt.use_virtio_for_bridges else None)
    network = _get(vif, 'network', {}) or {}
    bridge = _get(network, 'bridge')
    vif_type = _get(vif, 'type')
    mtu = _get(_get(network, 'meta', {}) or {}, 'mtu')
    iface = vconfig.LibvirtConfigGuestInterface(
        mac_addr=_get(vif, 'address'), model=model, target_dev=tap_name(vif), mtu=mtu)
    if vif_type == 'ovs' and _get(vif, 'delegate_create', False):
        iface.net_type = 'ethernet'
    elif vif_type == 'ovs' and bridge:
        iface.net_type = 'bridge'
        iface.source_dev = bridge
        iface.vporttype = 'openvswitch'
        iface.interfaceid = _get(vif, 'ovs_interfaceid') or _get(vif, 'id')
    elif vif_type == 'bridge' and bridge:
        iface.net_type = 'bridge'
        iface.source_dev = bridge
    else:
        iface.net_type = 'ethernet'
    return iface


def plug_vifs(instance, network_info):
    for vif in network_info or []:
        try:
            os_vif_util.plug(instance, vif)
        except Exception as exc:
            LOG.error('Plugging VIF %s of %s failed: %s', vif.get('id'), instance.uuid, exc)
            raise exception.VirtualInterfacePlugException(reason=str(exc)) from exc


def unplug_vifs(instance, network_info):
    """Remove the server's ports from the bridge; failures are logged only."""
    for vif in network_info or []:
        try:
            os_vif_util.unplug(instance, vif)
        except Exception as exc:
            LOG.warning('Unplugging VIF %s of %s failed: %s', vif.get('id'), instance.uuid,
                        exc)


def plug_events(network_info):
    """The ``network-vif-plugged`` events to wait for: OVS ports not yet up."""
    if not CONF.vif_plugging_timeout:
        return []
    return [('network-vif-plugged', vif['id']) for vif in network_info or []
            if os_vif_util.is_ovs(vif) and not vif.get('active')]


def launch(virtapi, instance, guest, network_info):
    """Plug the VIFs and start the guest once Neutron says they are wired.

    The guest starts paused (its taps exist, so OVN can bind the ports) and
    runs when every expected event came; a timeout or a failed event is a
    VirtualInterfaceCreateException when ``vif_plugging_is_fatal``.
    """
    events = plug_events(network_info)
    waiter = getattr(virtapi, 'wait_for_instance_event', None)
    if waiter is None:
        events = []

    def failed(name, inst):
        LOG.error('Neutron reported failure on event %s for instance %s', name, inst.uuid)
        if CONF.vif_plugging_is_fatal:
            raise exception.VirtualInterfaceCreateException()

    if not events:
        plug_vifs(instance, network_info)
        guest.launch()
        return
    try:
        with waiter(instance, events, deadline=CONF.vif_plugging_timeout,
                    error_callback=failed):
            plug_vifs(instance, network_info)
            guest.launch(pause=True)
    except exception.InstanceEventTimeout as exc:
        LOG.warning('%s', exc.format_message())
        if CONF.vif_plugging_is_fatal:
            raise exception.VirtualInterfaceCreateException() from exc
    guest.resume()


def find_interface(guest, mac, live=True):
    """The <interface> element with MAC address ``mac`` in the live (or persistent) XML."""
    tree = guest.get_xml_tree(dump_inactive=not live)
    for iface in tree.findall('./devices/interface'):
        node = iface.find('mac')
        if node is not None and (node.get('address') or '').lower() == (mac or '').lower():
            return iface
    return None


def attach(instance, guest, vif, image_meta=None):
    """Plug the VIF into the bridge and hot-plug its NIC into the guest."""
    mac = _get(vif, 'address')
    if find_interface(guest, mac, live=guest.is_active()) is not None:
        raise exception.InterfaceAttachFailed(instance_uuid=instance.uuid)
    plug_vifs(instance, [vif])
    try:
        libvirt_guest.attach_device(guest, interface_config(vif, image_meta).to_xml())
    except Exception:
        unplug_vifs(instance, [vif])
        raise


def detach(instance, guest, vif, sleep=time.sleep, clock=time.monotonic):
    """Hot-unplug the NIC of ``vif`` and take its port off the bridge.

    A NIC missing from the domain counts as detached. DeviceDetachFailed
    (the port stays plugged) when the guest never lets go of it.
    """
    mac = _get(vif, 'address')
    libvirt_guest.detach_device(
        guest, lambda live: find_interface(guest, mac, live=live), mac, 'NIC %s' % mac,
        sleep=sleep, clock=clock)
    unplug_vifs(instance, [vif])
