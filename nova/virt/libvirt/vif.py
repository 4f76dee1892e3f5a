"""Guest NICs from Neutron's VIF descriptions (network_info entries).

Only what the port binding says is needed for plugging by libvirt itself:
Linux bridges, Open vSwitch bridge ports (libvirt adds the port with the
Neutron port id as iface-id) and plain tap devices for everything else.
"""

import nova.conf
from nova.virt.libvirt import config as vconfig

CONF = nova.conf.CONF

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
    if vif_type == 'ovs' and bridge:
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
