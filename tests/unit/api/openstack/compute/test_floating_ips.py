"""Floating IPs through the compute API: the os-floating-ips and
os-floating-ip-pools proxies (up to 2.35, 404 after), the addFloatingIp and
removeFloatingIp actions (up to 2.43) with upstream's errors, the server's
addresses showing the floating IP at once, and what a cloud without a network
service answers. Neutron is the in-memory one of the network tests (no daemon
runs in the unit tier)."""

import pytest

from nova import context as nova_context
from nova.network import model
from nova import objects
from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.network import fake_neutron

PROJECT = 'demoproject'


@pytest.fixture
def neutron(monkeypatch):
    n = fake_neutron.install(monkeypatch, host_bindable=('host1',))
    n.private = n.add_network('private', project_id=PROJECT, cidr='10.0.0.0/26')
    n.public = n.add_network('public', project_id='admin', external=True,
                             shared=False, cidr='172.24.4.0/24')
    return n


@pytest.fixture
def server(active_server, neutron):
    """The active server with one port on private, cached as compute would."""
    port = neutron.client(admin=True).create_port({
        'network_id': neutron.private['id'], 'device_id': active_server.uuid,
        'device_owner': 'compute:nova', 'binding:host_id': 'host1'})
    nets, subnets = list(neutron.networks.values()), list(neutron.subnets.values())
    ctxt = nova_context.get_admin_context()
    instance = objects.Instance.get_by_uuid(ctxt, active_server.uuid,
                                            expected_attrs=['info_cache'])
    instance.info_cache.network_info = model.build_network_info([port], nets, subnets, [])
    instance.info_cache.save()
    active_server.fixed_ip = port['fixed_ips'][0]['ip_address']
    active_server.port_id = port['id']
    return active_server


def _action(client, server_id, body, version=None):
    return client.post('/servers/%s/action' % server_id, body, version=version)


def _allocate(client):
    res = client.post('/os-floating-ips', {'pool': 'public'})
    assert res.status_int == 200, res.body
    return res.json_body_or_none['floating_ip']


def test_pools_and_allocation_in_upstreams_shape(user, server, neutron):
    res = user.get('/os-floating-ip-pools')
    assert res.json_body_or_none == {'floating_ip_pools': [{'name': 'public'}]}
    fip = _allocate(user)
    assert sorted(fip) == sorted(sample('os-floating-ips/floating-ips-create-resp.json')
                                 ['floating_ip'])
    assert fip['pool'] == 'public' and fip['instance_id'] is None
    assert fip['ip'].startswith('172.24.4.')
    assert user.get('/os-floating-ips/%s' % fip['id']).json_body_or_none == {
        'floating_ip': fip}
    assert user.get('/os-floating-ips').json_body_or_none == {'floating_ips': [fip]}
    assert user.delete('/os-floating-ips/%s' % fip['id']).status_int == 202
    assert neutron.floatingips == {}
    assert user.get('/os-floating-ips').json_body_or_none == {'floating_ips': []}


def test_allocation_errors(user, server, neutron):
    msg = _error(user.post('/os-floating-ips', {'pool': 'nope'}), 404)
    assert msg == 'Floating IP pool not found.'
    # The default pool is [neutron] default_floating_pool ('nova'): none here.
    _error(user.post('/os-floating-ips'), 404)
    small = neutron.add_network('tiny', project_id='admin', external=True,
                                cidr='172.25.0.0/30')
    assert small
    assert user.post('/os-floating-ips', {'pool': 'tiny'}).status_int == 200
    msg = _error(user.post('/os-floating-ips', {'pool': 'tiny'}), 404)
    assert msg == 'No more floating IPs in pool tiny.'
    assert _error(user.get('/os-floating-ips/nope'), 404) == \
        'Floating IP not found for ID nope.'
    _error(user.delete('/os-floating-ips/nope'), 404)


def test_proxies_end_at_2_35(user, server, neutron):
    fip = _allocate(user)
    for path in ('/os-floating-ip-pools', '/os-floating-ips',
                 '/os-floating-ips/%s' % fip['id']):
        assert user.get(path, version='2.35').status_int == 200
        assert user.get(path, version='2.36').status_int == 404
    assert user.post('/os-floating-ips', {'pool': 'public'}, version='2.36').status_int == 404


def test_add_and_remove_floating_ip(user, server, neutron):
    fip = _allocate(user)
    res = _action(user, server.uuid, {'addFloatingIp': {'address': fip['ip']}})
    assert res.status_int == 202, res.body
    stored = neutron.floatingips[fip['id']]
    assert stored['port_id'] == server.port_id
    assert stored['fixed_ip_address'] == server.fixed_ip
    shown = user.get('/servers/%s' % server.uuid).json_body_or_none['server']
    assert [(a['addr'], a['OS-EXT-IPS:type']) for a in shown['addresses']['private']] == [
        (server.fixed_ip, 'fixed'), (fip['ip'], 'floating')]
    listed = user.get('/os-floating-ips/%s' % fip['id']).json_body_or_none['floating_ip']
    assert listed['instance_id'] == server.uuid and listed['fixed_ip'] == server.fixed_ip

    res = _action(user, server.uuid, {'removeFloatingIp': {'address': fip['ip']}})
    assert res.status_int == 202, res.body
    assert neutron.floatingips[fip['id']]['port_id'] is None
    shown = user.get('/servers/%s' % server.uuid).json_body_or_none['server']
    assert [a['addr'] for a in shown['addresses']['private']] == [server.fixed_ip]
    msg = _error(_action(user, server.uuid, {'removeFloatingIp': {'address': fip['ip']}}),
                 409)
    assert msg == 'Floating IP %s is not associated with instance %s.' % (fip['ip'],
                                                                           server.uuid)


def test_add_floating_ip_errors(user, server, neutron):
    fip = _allocate(user)
    msg = _error(_action(user, server.uuid, {'addFloatingIp': {'address': '172.24.4.250'}}),
                 404)
    assert msg == 'floating IP not found'
    msg = _error(_action(user, server.uuid, {'addFloatingIp': {
        'address': fip['ip'], 'fixed_address': '10.0.0.60'}}), 400)
    assert msg == 'Specified fixed address not assigned to instance'
    _error(_action(user, server.uuid, {'addFloatingIp': {'address': 'not-an-ip'}}), 400)
    _error(_action(user, server.uuid, {'addFloatingIp': {}}), 400)
    msg = _error(_action(user, server.uuid, {'removeFloatingIp': {'address': '172.24.4.9'}}),
                 404)
    assert msg == 'floating IP not found'
    assert neutron.floatingips[fip['id']]['port_id'] is None


def test_server_without_ports_has_no_network_yet(user, active_server, neutron):
    fip = _allocate(user)
    msg = _error(_action(user, active_server.uuid, {'addFloatingIp': {'address': fip['ip']}}),
                 400)
    assert msg == 'Instance network is not ready yet'


def test_actions_end_at_2_43(user, server, neutron):
    fip = _allocate(user)
    body = {'addFloatingIp': {'address': fip['ip']}}
    assert _action(user, server.uuid, body, version='2.44').status_int == 404
    assert _action(user, server.uuid, body, version='2.43').status_int == 202


def test_without_a_network_service(user, active_server):
    assert user.get('/os-floating-ip-pools').json_body_or_none == {'floating_ip_pools': []}
    assert user.get('/os-floating-ips').json_body_or_none == {'floating_ips': []}
    _error(user.get('/os-floating-ips/x'), 404)
    _error(user.post('/os-floating-ips', {'pool': 'public'}), 404)
    _error(user.delete('/os-floating-ips/x'), 404)
    _error(_action(user, active_server.uuid, {'addFloatingIp': {'address': '172.24.4.3'}}),
           400)
    _error(_action(user, active_server.uuid, {'removeFloatingIp': {'address': '172.24.4.3'}}),
           404)
