"""What devstack creates in Neutron, created through Neutron's API once.

``private``: a tenant (geneve) network of the admin project with an IPv4
subnet served by OVN's native DHCP. ``public``: the external flat network on
the physical network the external bridge carries, its subnet the range the
host has an address in (so the host reaches routers' gateways and floating
IPs). ``router1`` joins them, its gateway on ``public``. Neutron makes each
project's ``default`` security group with its default rules on first use; the
admin project's is made here by listing it.
"""

import urllib.parse

from tools.allinone_lib import ovn
from tools.allinone_lib import resources

PRIVATE_CIDR = '10.0.0.0/26'


def _api(state, token, method, path, body=None):
    return resources._request(method, state.url('neutron') + '/v2.0' + path, token,
                              body=body)


def _find(state, token, collection, **filters):
    query = urllib.parse.urlencode(filters)
    found = _api(state, token, 'GET', '/%s?%s' % (collection, query))[collection]
    return found[0] if found else None


def _ensure(state, token, collection, singular, body, **filters):
    return _find(state, token, collection, **filters) or \
        _api(state, token, 'POST', '/' + collection, {singular: body})[singular]


def create(state, token, project_id):
    """Create what is missing; return {name: id}."""
    public_net = ovn.public_network(state)
    hosts = list(public_net.hosts())
    private = _ensure(state, token, 'networks', 'network',
                      {'name': 'private', 'project_id': project_id}, name='private')
    private_subnet = _ensure(state, token, 'subnets', 'subnet', {
        'name': 'private-subnet', 'network_id': private['id'], 'ip_version': 4,
        'cidr': PRIVATE_CIDR, 'enable_dhcp': True, 'project_id': project_id},
        name='private-subnet')
    public = _ensure(state, token, 'networks', 'network', {
        'name': 'public', 'router:external': True, 'provider:network_type': 'flat',
        'provider:physical_network': ovn.PHYSNET, 'project_id': project_id},
        name='public')
    public_subnet = _ensure(state, token, 'subnets', 'subnet', {
        'name': 'public-subnet', 'network_id': public['id'], 'ip_version': 4,
        'cidr': str(public_net), 'gateway_ip': str(hosts[0]), 'enable_dhcp': False,
        'allocation_pools': [{'start': str(hosts[1]), 'end': str(hosts[-1])}],
        'project_id': project_id}, name='public-subnet')
    router = _ensure(state, token, 'routers', 'router', {
        'name': 'router1', 'project_id': project_id,
        'external_gateway_info': {'network_id': public['id']}}, name='router1')
    if not _find(state, token, 'ports', device_id=router['id'],
                 network_id=private['id']):
        _api(state, token, 'PUT', '/routers/%s/add_router_interface' % router['id'],
             {'subnet_id': private_subnet['id']})
    _api(state, token, 'GET', '/security-groups?project_id=%s' % project_id)
    return {'private': private['id'], 'private-subnet': private_subnet['id'],
            'public': public['id'], 'public-subnet': public_subnet['id'],
            'router1': router['id']}
