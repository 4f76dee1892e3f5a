"""network_data.json: an instance's network layout as guests (cloud-init) read it.

Built from the instance's network info (a list of VIF dicts in Nova's
network model shape).  Three lists: ``links`` (one per VIF), ``networks``
(one per fixed IP, or per DHCP subnet) and ``services`` (DNS servers).
"""

import ipaddress


def _get(obj, key, default=None):
    """Look up ``key`` in a dict-like model object that may be None."""
    if not obj:
        return default
    try:
        value = obj.get(key, default)
    except AttributeError:
        value = getattr(obj, key, default)
    return default if value is None else value


def _address(value):
    """An address field is either a string or an IP dict with 'address'."""
    if isinstance(value, str):
        return value
    return _get(value, 'address')


def _link_name(vif):
    return _get(vif, 'devname') or ('tap' + str(_get(vif, 'id', ''))[:11])


def _mtu(vif):
    network = _get(vif, 'network', {})
    return (_get(_get(network, 'meta', {}), 'mtu')
            or _get(_get(vif, 'meta', {}), 'mtu'))


def _link(vif):
    return {'id': _link_name(vif),
            'vif_id': _get(vif, 'id'),
            'type': _get(vif, 'type', 'vif'),
            'mtu': _mtu(vif),
            'ethernet_mac_address': _get(vif, 'address')}


def _dns_services(subnet):
    return [{'type': 'dns', 'address': _address(dns)}
            for dns in _get(subnet, 'dns', []) if _address(dns)]


def _routes(subnet, version):
    """The default route via the gateway, then the subnet's own routes."""
    routes = []
    gateway = _address(_get(subnet, 'gateway'))
    if gateway:
        if version == 4:
            routes.append({'network': '0.0.0.0', 'netmask': '0.0.0.0',
                           'gateway': gateway})
        else:
            routes.append({'network': '::', 'netmask': '::', 'gateway': gateway})
    for route in _get(subnet, 'routes', []):
        cidr = _get(route, 'cidr')
        if not cidr:
            continue
        net = ipaddress.ip_network(cidr, strict=False)
        routes.append({'network': str(net.network_address),
                       'netmask': str(net.netmask),
                       'gateway': _address(_get(route, 'gateway'))})
    return routes


def _network_type(subnet, version):
    """ipv4 / ipv4_dhcp / ipv6 / ipv6_slaac / ipv6_dhcpv6-stateful|-stateless."""
    meta = _get(subnet, 'meta', {})
    if version == 6:
        mode = _get(meta, 'ipv6_address_mode')
        if mode in ('slaac', 'dhcpv6-stateful', 'dhcpv6-stateless'):
            return 'ipv6_' + mode
        return 'ipv6'
    return 'ipv4_dhcp' if _get(meta, 'dhcp_server') else 'ipv4'


def _subnet_networks(vif, subnet, link_id, counter):
    cidr = _get(subnet, 'cidr')
    if not cidr:
        return []
    net = ipaddress.ip_network(cidr, strict=False)
    version = net.version
    net_type = _network_type(subnet, version)
    network_id = _get(_get(vif, 'network', {}), 'id')
    entries = []
    ips = [ip for ip in _get(subnet, 'ips', []) if _address(ip)]
    if net_type.endswith('_dhcp') or not ips:
        ips = [None] if net_type.endswith('_dhcp') else []
    for ip in ips:
        entry = {'id': 'network%d' % next(counter), 'type': net_type,
                 'link': link_id, 'network_id': network_id}
        if ip is not None and not net_type.endswith('_dhcp'):
            entry['ip_address'] = _address(ip)
            entry['netmask'] = str(net.netmask)
            entry['routes'] = _routes(subnet, version)
            entry['services'] = _dns_services(subnet)
        entries.append(entry)
    return entries


def _counter():
    number = 0
    while True:
        yield number
        number += 1


def network_data(network_info):
    """The network_data.json document for ``network_info`` (None: no networking)."""
    links, networks, services = [], [], []
    counter = _counter()
    for vif in network_info or []:
        link = _link(vif)
        links.append(link)
        for subnet in _get(_get(vif, 'network', {}), 'subnets', []):
            networks.extend(_subnet_networks(vif, subnet, link['id'], counter))
            for service in _dns_services(subnet):
                if service not in services:
                    services.append(service)
    return {'links': links, 'networks': networks, 'services': services}


def fixed_ips(network_info, version=None):
    """Every fixed IP address of the instance, in VIF order."""
    found = []
    for vif in network_info or []:
        for subnet in _get(_get(vif, 'network', {}), 'subnets', []):
            for ip in _get(subnet, 'ips', []):
                address = _address(ip)
                if not address:
                    continue
                if version and ipaddress.ip_address(address).version != version:
                    continue
                found.append(address)
    return found


def floating_ips(network_info):
    """Every floating IP address associated with a fixed IP of the instance."""
    found = []
    for vif in network_info or []:
        for subnet in _get(_get(vif, 'network', {}), 'subnets', []):
            for ip in _get(subnet, 'ips', []):
                for floating in _get(ip, 'floating_ips', []):
                    if _address(floating):
                        found.append(_address(floating))
    return found
