"""Server groups, metadata, tags and external events against a whole in-process cloud:
API, conductor, scheduler and two fake computes over a private RabbitMQ vhost,
real Placement and Glance (the fixture of test_boot_flow)."""

import pytest

from tests.fixtures.waiting import wait_for
from tests.functional.boot.test_boot_flow import HOSTS
from tests.functional.boot.test_boot_flow import cloud_env  # noqa: F401
from tests.functional.image.test_glance_client import glance_url  # noqa: F401
from tests.functional.boot.test_boot_flow import _status


def _boot(env, name, group_id=None):
    body = {'server': {'name': name, 'imageRef': env['image'], 'flavorRef': '1'}}
    if group_id:
        body['os:scheduler_hints'] = {'group': group_id}
    resp = env['client'].post('/servers', body)
    assert resp.status_int == 202, resp.body
    return resp.json_body_or_none['server']['id']


def _host(env, server_id):
    return env['admin'].get('/servers/%s' % server_id).json_body_or_none['server'][
        'OS-EXT-SRV-ATTR:host']


def _delete_all(env, server_ids):
    client = env['client']
    for server_id in server_ids:
        client.delete('/servers/%s' % server_id)
    for server_id in server_ids:
        wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404,
                 what='server %s gone' % server_id)


@pytest.mark.parametrize('policy', ['anti-affinity', 'affinity'])
def test_group_policy_places_servers(cloud_env, policy):  # noqa: F811
    client = cloud_env['client']
    resp = client.post('/os-server-groups', {'server_group': {
        'name': policy, 'policy': policy}}, version='2.64')
    assert resp.status_int == 200, resp.body
    group = resp.json_body_or_none['server_group']
    servers = []
    try:
        for index in range(2):
            servers.append(_boot(cloud_env, '%s-%d' % (policy, index), group['id']))
            wait_for(lambda: _status(client, servers[-1]) == 'ACTIVE',
                     what='server ACTIVE')
        hosts = [_host(cloud_env, s) for s in servers]
        assert set(hosts) <= set(HOSTS)
        if policy == 'anti-affinity':
            assert hosts[0] != hosts[1]
            # Both hosts hold a member now: a third member has nowhere to go.
            servers.append(_boot(cloud_env, 'third', group['id']))
            wait_for(lambda: _status(client, servers[-1]) == 'ERROR', what='ERROR')
            fault = client.get('/servers/%s' % servers[-1]).json_body_or_none[
                'server']['fault']
            assert 'No valid host' in fault['message']
        else:
            assert hosts[0] == hosts[1]
        shown = client.get('/os-server-groups/%s' % group['id'],
                           version='2.64').json_body_or_none['server_group']
        assert sorted(shown['members']) == sorted(servers)
    finally:
        _delete_all(cloud_env, servers)
    # Deleted servers are no longer listed as members.
    shown = client.get('/os-server-groups/%s' % group['id'],
                       version='2.64').json_body_or_none['server_group']
    assert shown['members'] == []
    assert client.delete('/os-server-groups/%s' % group['id']).status_int == 204


def test_metadata_tags_and_power_update_event(cloud_env):  # noqa: F811
    client, admin = cloud_env['client'], cloud_env['admin']
    server_id = _boot(cloud_env, 'meta')
    try:
        wait_for(lambda: _status(client, server_id) == 'ACTIVE', what='server ACTIVE')
        base = '/servers/%s' % server_id
        resp = client.post(base + '/metadata', {'metadata': {'role': 'web'}})
        assert resp.json_body_or_none == {'metadata': {'role': 'web'}}
        assert client.put(base + '/tags/blue', version='2.26').status_int == 201
        shown = client.get(base, version='2.26').json_body_or_none['server']
        assert shown['metadata'] == {'role': 'web'} and shown['tags'] == ['blue']
        assert client.get(base + '/ips').json_body_or_none == {'addresses': {}}
        # Ironic-style power-update: the compute records the new power state.
        resp = admin.post('/os-server-external-events', {'events': [
            {'name': 'power-update', 'server_uuid': server_id, 'tag': 'POWER_OFF'},
            {'name': 'network-changed', 'server_uuid': server_id}]}, version='2.76')
        assert resp.status_int == 200, resp.body
        assert [e['code'] for e in resp.json_body_or_none['events']] == [200, 200]
        wait_for(lambda: _status(client, server_id) == 'SHUTOFF', what='SHUTOFF')
        shown = admin.get(base).json_body_or_none['server']
        assert shown['OS-EXT-STS:power_state'] == 4
    finally:
        _delete_all(cloud_env, [server_id])


def _group(env, policy, **rules):
    body = {'name': policy, 'policy': policy}
    if rules:
        body['rules'] = rules
    resp = env['client'].post('/os-server-groups', {'server_group': body}, version='2.64')
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['server_group']['id']


def _servers_named(env, name):
    listed = env['client'].get('/servers').json_body_or_none['servers']
    return [s['id'] for s in listed if s['name'].startswith(name)]


def test_max_server_per_host_in_one_multi_create(cloud_env):  # noqa: F811
    client = cloud_env['client']
    group_id = _group(cloud_env, 'anti-affinity', max_server_per_host=2)
    resp = client.post('/servers', {
        'server': {'name': 'pack', 'imageRef': cloud_env['image'], 'flavorRef': '1',
                   'min_count': 4},
        'os:scheduler_hints': {'group': group_id}})
    assert resp.status_int == 202, resp.body
    servers = _servers_named(cloud_env, 'pack')
    try:
        assert len(servers) == 4
        for server_id in servers:
            wait_for(lambda: _status(client, server_id) == 'ACTIVE', what='ACTIVE')
        hosts = [_host(cloud_env, s) for s in servers]
        assert sorted(hosts.count(h) for h in HOSTS) == [2, 2]
        servers.append(_boot(cloud_env, 'fifth', group_id))
        wait_for(lambda: _status(client, servers[-1]) == 'ERROR', what='ERROR')
    finally:
        _delete_all(cloud_env, servers)
    client.delete('/os-server-groups/%s' % group_id)


def test_soft_anti_affinity_spreads_without_refusing(cloud_env):  # noqa: F811
    client = cloud_env['client']
    group_id = _group(cloud_env, 'soft-anti-affinity')
    servers = []
    try:
        for index in range(3):
            servers.append(_boot(cloud_env, 'soft-%d' % index, group_id))
            wait_for(lambda: _status(client, servers[-1]) == 'ACTIVE', what='ACTIVE')
        hosts = [_host(cloud_env, s) for s in servers]
        # The first two go to different hosts; the third still finds a place.
        assert hosts[0] != hosts[1] and set(hosts) == set(HOSTS)
    finally:
        _delete_all(cloud_env, servers)
    client.delete('/os-server-groups/%s' % group_id)
