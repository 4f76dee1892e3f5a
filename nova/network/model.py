"""The network info model: what a server's ports look like to Nova.

A server's network info is a list of VIFs, plain JSON-able dicts in the
shape upstream Nova keeps in ``instance_info_caches.network_info`` (so the
server views, the metadata service's ``network_data.json`` and the virt
drivers all read one format)::

    {"id": <port id>, "address": <MAC>, "type": "ovs", "devname": "tap...",
     "ovs_interfaceid": <port id>, "vnic_type": "normal", "active": bool,
     "details": {<binding:vif_details>}, "profile": {<binding:profile>},
     "preserve_on_delete": bool, "delegate_create": True, "meta": {},
     "network": {"id", "bridge", "label", "meta": {"tenant_id", "mtu",
                 "injected", "physical_network", "tunneled"},
                 "subnets": [{"cidr", "version", "gateway", "dns", "routes",
                              "ips": [{"address", "type": "fixed", "version",
                                       "meta", "floating_ips": [...]}],
                              "meta": {"dhcp_server"}}]}}

Built from Neutron's ports, networks, subnets and floating IPs; nothing
here talks to Neutron.
"""

import netaddr

import nova.conf

CONF = nova.conf.CONF

# Neutron names a port's host-side device 'tap' + the first 11 characters of its id.
NIC_NAME_LEN = 14
VIF_TYPE_OVS = 'ovs'
VIF_TYPE_UNBOUND = 'unbound'
VIF_TYPE_BINDING_FAILED = 'binding_failed'


def _ip(address, kind, **meta):
    version = netaddr.IPAddress(address).version
    return {'address': address, 'type': kind, 'version': version, 'meta': dict(meta)}


def devname(port_id):
    return ('tap' + port_id)[:NIC_NAME_LEN]


def subnet_model(subnet, port_ips, floating_by_fixed):
    """One subnet of a VIF with the port's addresses on it."""
    ips = []
    for address in port_ips:
        fixed = _ip(address, 'fixed')
        fixed['floating_ips'] = [_ip(f, 'floating')
                                 for f in floating_by_fixed.get(address, [])]
        ips.append(fixed)
    gateway = subnet.get('gateway_ip')
    meta = {}
    if subnet.get('enable_dhcp') is not None:
        meta['dhcp_server'] = None
    return {
        'cidr': subnet.get('cidr'),
        'version': subnet.get('ip_version'),
        'gateway': _ip(gateway, 'gateway') if gateway else
        {'address': None, 'type': 'gateway', 'meta': {}},
        'dns': [_ip(d, 'dns') for d in subnet.get('dns_nameservers') or []],
        'routes': [{'cidr': r.get('destination'), 'gateway': _ip(r['nexthop'], 'gateway'),
                    'interface': None, 'meta': {}}
                   for r in subnet.get('host_routes') or [] if r.get('nexthop')],
        'ips': ips,
        'meta': meta,
    }


def network_model(network, port, subnets, floating_by_fixed):
    details = port.get('binding:vif_details') or {}
    ips_by_subnet = {}
    for fixed in port.get('fixed_ips') or []:
        ips_by_subnet.setdefault(fixed.get('subnet_id'), []).append(fixed['ip_address'])
    subnet_models = [subnet_model(subnets[sid], addresses, floating_by_fixed)
                     for sid, addresses in ips_by_subnet.items() if sid in subnets]
    return {
        'id': network['id'],
        'bridge': details.get('bridge_name') or CONF.neutron.ovs_bridge,
        'label': network.get('name') or network['id'],
        'subnets': subnet_models,
        'meta': {
            'injected': False,
            'tenant_id': network.get('project_id') or network.get('tenant_id'),
            'mtu': network.get('mtu'),
            'physical_network': network.get('provider:physical_network'),
            'tunneled': network.get('provider:network_type') in ('vxlan', 'geneve', 'gre'),
        },
    }


def vif_model(port, network, subnets, floating_by_fixed, preserve_on_delete=False):
    """The VIF dict of one Neutron port (with its network already fetched)."""
    return {
        'id': port['id'],
        'address': port.get('mac_address'),
        'network': network_model(network, port, subnets, floating_by_fixed),
        'type': port.get('binding:vif_type') or VIF_TYPE_UNBOUND,
        'details': dict(port.get('binding:vif_details') or {}),
        'devname': devname(port['id']),
        'ovs_interfaceid': port['id'],
        'qbh_params': None,
        'qbg_params': None,
        'active': port.get('status') == 'ACTIVE',
        'vnic_type': port.get('binding:vnic_type') or 'normal',
        'profile': dict(port.get('binding:profile') or {}),
        'preserve_on_delete': bool(preserve_on_delete),
        'delegate_create': True,
        'meta': {},
    }


def build_network_info(ports, networks, subnets, floatingips, preserved=()):
    """VIFs for ``ports`` (in order), given lists of the networks, subnets
    and floating IPs they refer to; ``preserved``: ids of ports the user
    brought (unbound, not deleted, when the server goes)."""
    networks_by_id = {n['id']: n for n in networks}
    subnets_by_id = {s['id']: s for s in subnets}
    floating_by_fixed = {}
    for fip in floatingips:
        if fip.get('fixed_ip_address') and fip.get('floating_ip_address'):
            floating_by_fixed.setdefault(fip['fixed_ip_address'], []).append(
                fip['floating_ip_address'])
    vifs = []
    for port in ports:
        network = networks_by_id.get(port.get('network_id')) or {'id': port.get('network_id')}
        vifs.append(vif_model(port, network, subnets_by_id, floating_by_fixed,
                              preserve_on_delete=port['id'] in preserved))
    return vifs


def fixed_ips(network_info):
    """Every fixed address of a network info list, in order."""
    return [ip['address'] for vif in network_info or []
            for subnet in (vif.get('network') or {}).get('subnets') or []
            for ip in subnet.get('ips') or []]


def preserved_port_ids(network_info):
    return {vif['id'] for vif in network_info or [] if vif.get('preserve_on_delete')}
