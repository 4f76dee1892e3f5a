"""Security groups through the compute API: the os-security-groups and
os-security-group-rules proxies (up to 2.35, 404 after) in upstream's shapes
with upstream's 400/403/404s, the server's groups (its ports'), the
addSecurityGroup/removeSecurityGroup actions, and what a cloud without a
network service answers. Neutron is the in-memory one of the network tests
(no daemon runs in the unit tier)."""

import uuid

import pytest

from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.network import fake_neutron

PROJECT = 'demoproject'


@pytest.fixture
def neutron(monkeypatch):
    n = fake_neutron.install(monkeypatch, host_bindable=('host1',))
    n.private = n.add_network('private', project_id=PROJECT, cidr='10.0.0.0/26')
    n.default = n.add_security_group('default', project_id=PROJECT, description='default')
    n.add_security_group('default', project_id='another-project')
    return n


def _keys(name):
    body = sample('os-security-groups/%s' % name)
    return sorted(next(iter(body.values())))


def _create(client, name='web', description='web servers', version=None):
    return client.post('/os-security-groups', {'security_group': {
        'name': name, 'description': description}}, version=version)


def test_groups_crud_in_upstreams_shape(user, neutron):
    listed = user.get('/os-security-groups').json_body_or_none['security_groups']
    assert [(g['name'], g['tenant_id']) for g in listed] == [('default', PROJECT)]
    assert sorted(listed[0]) == sorted(sample(
        'os-security-groups/security-groups-list-get-resp.json')['security_groups'][0])
    # Neutron's default group lets its members in: one IPv4 and one IPv6 ingress rule
    assert [(r['ip_protocol'], r['group'], r['ip_range']) for r in listed[0]['rules']] == \
        [(None, {'name': 'default', 'tenant_id': PROJECT}, {})] * 2

    res = _create(user)
    assert res.status_int == 200, res.body
    group = res.json_body_or_none['security_group']
    assert sorted(group) == _keys('security-groups-create-resp.json')
    assert (group['name'], group['description'], group['tenant_id'], group['rules']) == \
        ('web', 'web servers', PROJECT, [])
    url = '/os-security-groups/%s' % group['id']
    assert user.get(url).json_body_or_none == {'security_group': group}
    res = user.put(url, {'security_group': {'name': 'www', 'description': 'new'}})
    assert res.status_int == 200, res.body
    assert res.json_body_or_none['security_group']['name'] == 'www'
    assert [g['name'] for g in user.get('/os-security-groups').json_body_or_none[
        'security_groups']] == ['default', 'www']
    assert user.delete(url).status_int == 202
    assert group['id'] not in neutron.security_groups
    msg = _error(user.get(url), 404)
    assert msg == 'Security group %s does not exist' % group['id']
    for method in ('get', 'delete'):
        _error(getattr(user, method)('/os-security-groups', version='2.36')
               if method == 'get' else user.delete(url, version='2.36'), 404)
    _error(_create(user, version='2.36'), 404)


def test_group_refusals(user, neutron):
    msg = _error(user.post('/os-security-groups', {'security_group': {'name': 'x'}}), 400)
    assert msg == 'Security group description is not a string or unicode'
    msg = _error(_create(user, name='  '), 400)
    assert msg == 'name has a minimum character requirement of 1.'
    msg = _error(_create(user, name='n' * 256), 400)
    assert msg == 'name has more than 255 characters.'
    assert _error(user.post('/os-security-groups', {'other': {}}), 400) == \
        'Missing parameter security_group'
    assert _error(user.get('/os-security-groups/not-a-uuid'), 400) == \
        'Security group id should be uuid'
    _error(user.delete('/os-security-groups/%s' % uuid.uuid4()), 404)
    neutron.quota['security_group'] = 1
    _error(_create(user), 403)


def _rule(client, **kw):
    return client.post('/os-security-group-rules', {'security_group_rule': kw})


def test_rules_in_upstreams_shape_and_refusals(user, neutron):
    parent = neutron.default['id']
    res = _rule(user, parent_group_id=parent, ip_protocol='tcp', from_port=22, to_port=22,
                cidr='10.0.0.0/24')
    assert res.status_int == 200, res.body
    rule = res.json_body_or_none['security_group_rule']
    assert sorted(rule) == _keys('security-group-rules-post-resp.json')
    assert (rule['parent_group_id'], rule['ip_protocol'], rule['from_port'], rule['to_port'],
            rule['ip_range'], rule['group']) == (parent, 'tcp', 22, 22,
                                                 {'cidr': '10.0.0.0/24'}, {})
    made = neutron.rule(rule['id'])[1]
    assert (made['direction'], made['ethertype'], made['port_range_min']) == \
        ('ingress', 'IPv4', 22)
    web = neutron.add_security_group('web', project_id=PROJECT)
    res = _rule(user, parent_group_id=web['id'], ip_protocol='icmp', group_id=parent)
    icmp = res.json_body_or_none['security_group_rule']
    assert (icmp['from_port'], icmp['to_port'], icmp['group']) == \
        (-1, -1, {'name': 'default', 'tenant_id': PROJECT})
    shown = user.get('/os-security-groups/%s' % web['id']).json_body_or_none
    assert [r['id'] for r in shown['security_group']['rules']] == [icmp['id']]

    bad = dict(parent_group_id=parent, ip_protocol='tcp', from_port=22, to_port=22)
    assert _error(_rule(user, **dict(bad, cidr='10.0.0.0/24')), 400).startswith(
        'Security group rule already exists.')
    assert _error(_rule(user, **dict(bad, ip_protocol='gre')), 400) == \
        'Invalid IP protocol gre.'
    assert _error(_rule(user, **dict(bad, from_port=80, to_port=22)), 400) == \
        'Invalid port range 80:22. Former value cannot be greater than the later'
    assert _error(_rule(user, **dict(bad, to_port=70000)), 400) == \
        'Invalid port range 22:70000. Valid TCP ports should be between 1-65535'
    assert _error(_rule(user, **dict(bad, from_port='ssh')), 400) == \
        'Invalid input received: To and From ports must be integers'
    assert _error(_rule(user, **dict(bad, cidr='10.0.0.0/33')), 400) == \
        '10.0.0.0/33 is not a valid IP network.'
    assert _error(_rule(user, **dict(bad, cidr='10.1.0.0/0')), 400) == \
        'Bad prefix for network in cidr 10.1.0.0/0'
    assert _error(_rule(user, parent_group_id=parent, cidr='10.0.0.0/8'), 400) == \
        'Not enough parameters to build a valid rule.'
    _error(_rule(user, **dict(bad, parent_group_id=str(uuid.uuid4()))), 404)
    _error(_rule(user, **dict(bad, parent_group_id='x')), 400)

    assert user.delete('/os-security-group-rules/%s' % rule['id']).status_int == 202
    assert neutron.rule(rule['id']) == (None, None)
    msg = _error(user.delete('/os-security-group-rules/%s' % rule['id']), 404)
    assert msg == 'Security group rule %s does not exist' % rule['id']
    _error(user.delete('/os-security-group-rules/%s' % icmp['id'], version='2.36'), 404)


@pytest.fixture
def server(active_server, neutron):
    neutron.client(admin=True).create_port({
        'network_id': neutron.private['id'], 'device_id': active_server.uuid,
        'device_owner': 'compute:nova', 'binding:host_id': 'host1',
        'security_groups': [neutron.default['id']]})
    return active_server


def _action(client, server, body):
    return client.post('/servers/%s/action' % server.uuid, body)


def _server_groups(client, server, version=None):
    res = client.get('/servers/%s/os-security-groups' % server.uuid, version=version)
    assert res.status_int == 200, res.body
    return [g['name'] for g in res.json_body_or_none['security_groups']]


def test_server_groups_added_and_removed_on_its_ports(user, server, neutron):
    assert _server_groups(user, server) == ['default']
    res = user.get('/servers/%s/os-security-groups' % server.uuid)
    assert sorted(res.json_body_or_none['security_groups'][0]) == sorted(sample(
        'os-security-groups/server-security-groups-list-resp.json')['security_groups'][0])
    web = neutron.add_security_group('web', project_id=PROJECT)
    res = _action(user, server, {'addSecurityGroup': {'name': 'web'}})
    assert res.status_int == 202, res.body
    (port,) = neutron.ports.values()
    assert port['security_groups'] == [neutron.default['id'], web['id']]
    assert _server_groups(user, server, version='2.90') == ['default', 'web']
    shown = user.get('/servers/%s' % server.uuid).json_body_or_none['server']
    assert shown['security_groups'] == [{'name': 'default'}, {'name': 'web'}]
    listed = user.get('/servers/detail').json_body_or_none['servers']
    assert [s['security_groups'] for s in listed] == [shown['security_groups']]
    assert _action(user, server, {'addSecurityGroup': {'name': 'web'}}).status_int == 202
    assert port['security_groups'] == [neutron.default['id'], web['id']]
    res = _action(user, server, {'removeSecurityGroup': {'name': 'default'}})
    assert res.status_int == 202, res.body
    assert port['security_groups'] == [web['id']]
    shown = user.get('/servers/%s' % server.uuid).json_body_or_none['server']
    assert shown['security_groups'] == [{'name': 'web'}]
    msg = _error(_action(user, server, {'removeSecurityGroup': {'name': 'default'}}), 404)
    assert msg == ('Security group default not associated with the instance %s'
                   % server.uuid)


def test_server_group_action_refusals(user, active_server, neutron):
    server = active_server
    msg = _error(_action(user, server, {'addSecurityGroup': {'name': 'nope'}}), 404)
    assert msg == 'Security group nope is not found for project %s' % PROJECT
    msg = _error(_action(user, server, {'addSecurityGroup': {'name': 'default'}}), 404)
    assert msg == 'instance_id %s could not be found as device id on any ports' % server.uuid
    assert _error(_action(user, server, {'addSecurityGroup': {}}), 400) == \
        'Security group not specified'
    assert _error(_action(user, server, {'addSecurityGroup': {'name': ' '}}), 400) == \
        'Security group name cannot be empty'
    neutron.client(admin=True).create_port({
        'network_id': neutron.private['id'], 'device_id': server.uuid,
        'port_security_enabled': False})
    _error(_action(user, server, {'addSecurityGroup': {'name': 'default'}}), 400)
    neutron.add_security_group('twin', project_id=PROJECT)
    neutron.add_security_group('twin', project_id=PROJECT)
    _error(_action(user, server, {'addSecurityGroup': {'name': 'twin'}}), 409)


def test_without_a_network_service(user, active_server):
    assert user.get('/os-security-groups').json_body_or_none == {'security_groups': []}
    _error(user.get('/os-security-groups/%s' % uuid.uuid4()), 404)
    _error(_create(user), 501)
    assert _server_groups(user, active_server) == []
    _error(_action(user, active_server, {'addSecurityGroup': {'name': 'default'}}), 501)
