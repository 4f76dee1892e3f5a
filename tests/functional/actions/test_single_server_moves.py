"""Rebuild, rescue/unrescue and shelve/offload/unshelve over HTTP with every service
in this process: API (paste app, noauth2), conductor, scheduler and two fake
computes over a private RabbitMQ vhost, real Placement, real Glance, SQLite cells.

Each move is followed through upstream's states to its end, and what the
move touches outside the server record is checked where it lives: the
second image in Glance, the shelved snapshot, Placement's allocations, the
fake hypervisor's guests, the instance actions and their events.
"""

import oslo_messaging as messaging
import pytest
import requests

from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

HOSTS = ('moves-a', 'moves-b')
GLANCE_ADMIN = cloud.GLANCE_ADMIN


@pytest.fixture(scope='module')
def env(tmp_path_factory, glance_url):  # noqa: F811
    # Shelved servers stay on their host until offloaded by hand (or the periodic).
    extra = '\n[DEFAULT]\nshelved_offload_time = -1\n'
    with cloud.running_cloud(tmp_path_factory.mktemp('movescloud'), glance_url=glance_url,
                             hosts=HOSTS, extra=extra) as env:
        env['computes'] = {svc.host: svc for svc in env['services'][2:]}
        env['glance'] = glance_url
        env['image2'] = cloud.upload_image(glance_url)
        yield env


def _server(client, server_id, version='2.1'):
    resp = client.get('/servers/%s' % server_id, version=version)
    return resp.json_body_or_none['server'] if resp.status_int == 200 else None


def _wait_status(client, server_id, status, version='2.1'):
    def settled():
        server = _server(client, server_id, version=version)
        return (server is not None and server['status'] == status and
                server['OS-EXT-STS:task_state'] is None and server)
    return wait_for(settled, what='server %s %s' % (server_id, status))


def _boot(env, name):
    resp = env['client'].post('/servers', {'server': {
        'name': name, 'imageRef': env['image'], 'flavorRef': '1'}})
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    _wait_status(env['client'], server_id, 'ACTIVE')
    return server_id


def _action(client, server_id, body, version=None):
    return client.post('/servers/%s/action' % server_id, body, version=version)


def _host_of(env, server_id):
    return _server(env['admin'], server_id)['OS-EXT-SRV-ATTR:host']


def _guest(env, server_id):
    """The fake hypervisor's guest of the server, on whichever host has it."""
    found = [(host, svc.manager.driver.instances[server_id])
             for host, svc in env['computes'].items()
             if server_id in svc.manager.driver.instances]
    assert len(found) <= 1, found
    return found[0] if found else (None, None)


def _allocation_hosts(env, server_id):
    resp = requests.get(env['placement'] + '/allocations/%s' % server_id,
                        headers={'X-Auth-Token': 'admin',
                                 'OpenStack-API-Version': 'placement 1.28'}, timeout=10)
    resp.raise_for_status()
    return sorted(resp.json()['allocations'])


def _node_uuid(env, host):
    return env['computes'][host].manager.driver.node_uuid


def _events(client, server_id, action):
    actions = client.get('/servers/%s/os-instance-actions' % server_id,
                         version='2.51').json_body_or_none['instanceActions']
    found = [a for a in actions if a['action'] == action][0]
    shown = client.get('/servers/%s/os-instance-actions/%s' % (
        server_id, found['request_id']), version='2.51').json_body_or_none
    return sorted((e['event'], e['result']) for e in shown['instanceAction']['events'])


def _glance_image(env, image_id):
    resp = requests.get(env['glance'] + '/v2/images/%s' % image_id, headers=GLANCE_ADMIN,
                        timeout=30)
    return resp.json() if resp.status_code == 200 else None


def _delete(env, server_id):
    env['admin'].delete('/servers/%s' % server_id)
    wait_for(lambda: env['client'].get('/servers/%s' % server_id).status_int == 404,
             what='server %s deleted' % server_id)


# --- rebuild -----------------------------------------------------------------------

def test_rebuild_with_another_image_and_new_fields(env):
    client = env['client']
    server_id = _boot(env, 'rebuilt')
    try:
        host, guest = _guest(env, server_id)
        first_ephemeral = guest.ephemeral
        resp = _action(client, server_id, {'rebuild': {
            'imageRef': env['image2'], 'name': 'rebuilt-2', 'metadata': {'k': 'v'},
            'adminPass': 'secret123', 'preserve_ephemeral': True}}, version='2.75')
        assert resp.status_int == 202, resp.body
        body = resp.json_body_or_none['server']
        assert body['image']['id'] == env['image2']
        assert body['name'] == 'rebuilt-2'
        assert body['status'] == 'REBUILD'
        assert body['adminPass'] == 'secret123'
        # 2.75: the full server body, as GET shows it.
        assert 'OS-EXT-STS:vm_state' in body and body['server_groups'] == []
        assert resp.headers['Location'].endswith('/servers/%s' % server_id)

        server = _wait_status(client, server_id, 'ACTIVE')
        assert server['image']['id'] == env['image2']
        assert server['metadata'] == {'k': 'v'}
        new_host, guest = _guest(env, server_id)
        assert new_host == host  # a rebuild never moves the server
        assert guest.image_id == env['image2'] and guest.rebuilds == 1
        assert guest.ephemeral == first_ephemeral
        assert _allocation_hosts(env, server_id) == [_node_uuid(env, host)]
        assert _events(client, server_id, 'rebuild') == [
            ('compute_rebuild_instance', 'Success'),
            ('conductor_rebuild_server', 'Success')]

        # The same image again: no scheduler check, a fresh ephemeral disk.
        resp = _action(client, server_id, {'rebuild': {'imageRef': env['image2']}})
        assert resp.status_int == 202, resp.body
        body = resp.json_body_or_none['server']
        assert 'OS-EXT-STS:vm_state' not in body and 'key_name' not in body
        _wait_status(client, server_id, 'ACTIVE')
        _, guest = _guest(env, server_id)
        assert guest.rebuilds == 2 and guest.ephemeral != first_ephemeral
        assert _events(client, server_id, 'rebuild') == [
            ('compute_rebuild_instance', 'Success')]
    finally:
        _delete(env, server_id)


def test_rebuild_of_a_stopped_server_leaves_it_stopped(env):
    client = env['client']
    server_id = _boot(env, 'stopped-rebuild')
    try:
        assert _action(client, server_id, {'os-stop': None}).status_int == 202
        _wait_status(client, server_id, 'SHUTOFF')
        resp = _action(client, server_id, {'rebuild': {'imageRef': env['image2']}})
        assert resp.status_int == 202, resp.body
        server = _wait_status(client, server_id, 'SHUTOFF')
        assert server['image']['id'] == env['image2']
        assert server['OS-EXT-STS:power_state'] == 4
    finally:
        _delete(env, server_id)


def test_rebuild_refuses_bad_requests(env):
    client = env['client']
    server_id = _boot(env, 'bad-rebuild')
    try:
        missing = '8f7e6d5c-4b3a-4291-8807-6f5e4d3c2b1a'
        resp = _action(client, server_id, {'rebuild': {'imageRef': missing}})
        assert resp.status_int == 400
        assert resp.json_body_or_none['badRequest']['message'] == (
            'Cannot find image for rebuild')
        resp = _action(client, server_id, {'rebuild': {'imageRef': env['image'],
                                                       'key_name': 'nokey'}},
                       version='2.54')
        assert resp.status_int == 400
        resp = _action(client, server_id, {'rebuild': {'imageRef': env['image'],
                                                       'user_data': 'x'}}, version='2.56')
        assert resp.status_int == 400  # user_data only from 2.57
        resp = _action(client, server_id, {'rebuild': {
            'imageRef': env['image'], 'personality': [{'path': '/f', 'contents': 'eA=='}]}},
            version='2.57')
        assert resp.status_int == 400  # personality gone in 2.57
        assert _server(client, server_id)['status'] == 'ACTIVE'
        resp = _action(client, server_id, {'rebuild': {
            'imageRef': env['image'], 'user_data': 'aGVsbG8=', 'key_name': None,
            'hostname': 'new-host-name'}}, version='2.90')
        assert resp.status_int == 202, resp.body
        assert resp.json_body_or_none['server']['OS-EXT-SRV-ATTR:hostname'] == \
            'new-host-name'
        _wait_status(client, server_id, 'ACTIVE')
        # Nothing may run on a server being rebuilt.
        resp = _action(client, server_id, {'rebuild': {'imageRef': env['image']}})
        assert resp.status_int == 202
        again = _action(client, server_id, {'rebuild': {'imageRef': env['image']}})
        if again.status_int != 202:  # the first may already be done on a fast host
            assert again.status_int == 409
        _wait_status(client, server_id, 'ACTIVE')
    finally:
        _delete(env, server_id)


# --- rescue ------------------------------------------------------------------------

def test_rescue_and_unrescue(env):
    client = env['client']
    server_id = _boot(env, 'rescued')
    try:
        resp = _action(client, server_id, {'rescue': {'adminPass': 'rescue-pw',
                                                      'rescue_image_ref': env['image2']}})
        assert resp.status_int == 200, resp.body
        assert resp.json_body_or_none == {'adminPass': 'rescue-pw'}
        server = _wait_status(client, server_id, 'RESCUE')
        assert server['OS-EXT-STS:vm_state'] == 'rescued'
        _, guest = _guest(env, server_id)
        assert guest.rescue_image == env['image2']
        assert _action(client, server_id, {'os-stop': None}).status_int == 409
        assert _action(client, server_id, {'rescue': None}).status_int == 409
        assert _action(client, server_id, {'unrescue': None}).status_int == 202
        _wait_status(client, server_id, 'ACTIVE')
        assert guest.rescue_image is None
        assert _action(client, server_id, {'unrescue': None}).status_int == 409

        # Without a body: a generated password and the server's own image.
        resp = _action(client, server_id, {'rescue': None})
        assert resp.status_int == 200
        assert len(resp.json_body_or_none['adminPass']) == 12
        _wait_status(client, server_id, 'RESCUE')
        assert _guest(env, server_id)[1].rescue_image == env['image']
        assert _events(client, server_id, 'rescue') == [
            ('compute_rescue_instance', 'Success')]
        assert _action(client, server_id, {'unrescue': None}).status_int == 202
        _wait_status(client, server_id, 'ACTIVE')

        missing = '8f7e6d5c-4b3a-4291-8807-6f5e4d3c2b1a'
        resp = _action(client, server_id, {'rescue': {'rescue_image_ref': missing}})
        assert resp.status_int == 400
        assert _server(client, server_id)['status'] == 'ACTIVE'
    finally:
        _delete(env, server_id)


# --- shelve ------------------------------------------------------------------------

def test_shelve_offload_unshelve_on_another_host(env):
    client, admin = env['client'], env['admin']
    server_id = _boot(env, 'shelved')
    try:
        host = _host_of(env, server_id)
        other = [h for h in HOSTS if h != host][0]
        assert _action(client, server_id, {'shelve': None}).status_int == 202
        _wait_status(client, server_id, 'SHELVED')
        image_id = _shelved_image(env, server_id)
        image = _glance_image(env, image_id)
        assert image['name'] == 'shelved-shelved' and image['status'] == 'active'
        assert _guest(env, server_id)[0] == host  # kept, powered off
        assert _guest(env, server_id)[1].state == 4
        assert _allocation_hosts(env, server_id) == [_node_uuid(env, host)]
        assert _action(client, server_id, {'shelve': None}).status_int == 409

        # Offloading is for administrators by default.
        assert _action(client, server_id, {'shelveOffload': None}).status_int == 403
        assert _action(admin, server_id, {'shelveOffload': None}).status_int == 202
        _wait_status(client, server_id, 'SHELVED_OFFLOADED')
        assert _host_of(env, server_id) is None
        assert _guest(env, server_id) == (None, None)
        assert _allocation_hosts(env, server_id) == []

        # 2.91: an administrator names the other host.
        resp = _action(client, server_id, {'unshelve': {'host': other}}, version='2.91')
        assert resp.status_int == 403
        resp = _action(admin, server_id, {'unshelve': {'host': 'no-such-host'}},
                       version='2.91')
        assert resp.status_int == 400
        resp = _action(admin, server_id, {'unshelve': {'host': other}}, version='2.91')
        assert resp.status_int == 202, resp.body
        _wait_status(client, server_id, 'ACTIVE')
        assert _host_of(env, server_id) == other
        new_host, guest = _guest(env, server_id)
        assert new_host == other and guest.image_id == image_id
        assert _allocation_hosts(env, server_id) == [_node_uuid(env, other)]
        assert _server(client, server_id)['image']['id'] == env['image']
        # The shelved snapshot is gone once the server runs again.
        wait_for(lambda: _glance_image(env, image_id) in (None,) or
                 _glance_image(env, image_id)['status'] == 'deleted',
                 what='shelved image %s deleted' % image_id)
        names = [a['action'] for a in client.get(
            '/servers/%s/os-instance-actions' % server_id).json_body_or_none[
            'instanceActions']]
        assert names[:3] == ['unshelve', 'shelveOffload', 'shelve']
        # The compute's event finishes after the server is ACTIVE and the image gone.
        wait_for(lambda: _events(client, server_id, 'unshelve') == [
            ('compute_unshelve_instance', 'Success'),
            ('conductor_unshelve_instance', 'Success')], what='the unshelve events')
    finally:
        _delete(env, server_id)


def test_unshelve_of_a_shelved_server_starts_it_where_it_is(env):
    client = env['client']
    server_id = _boot(env, 'shelved-on-host')
    try:
        host = _host_of(env, server_id)
        assert _action(client, server_id, {'shelve': None}).status_int == 202
        _wait_status(client, server_id, 'SHELVED')
        image_id = _shelved_image(env, server_id)
        # Zone and host only make sense for an offloaded server.
        resp = _action(client, server_id, {'unshelve': {'availability_zone': 'nova'}},
                       version='2.77')
        assert resp.status_int == 409
        assert _action(client, server_id, {'unshelve': None}).status_int == 202
        server = _wait_status(client, server_id, 'ACTIVE')
        assert server['OS-EXT-STS:power_state'] == 1
        assert _host_of(env, server_id) == host
        assert _shelved_image(env, server_id) is None
        assert _glance_image(env, image_id) is None or \
            _glance_image(env, image_id)['status'] == 'deleted'
    finally:
        _delete(env, server_id)


def test_an_unshelve_whose_scheduling_times_out_ends_offloaded_and_unclaimed(
        env, monkeypatch):
    client, admin = env['client'], env['admin']
    server_id = _boot(env, 'unshelve-timeout')
    try:
        assert _action(client, server_id, {'shelve': None}).status_int == 202
        _wait_status(client, server_id, 'SHELVED')
        assert _action(admin, server_id, {'shelveOffload': None}).status_int == 202
        _wait_status(client, server_id, 'SHELVED_OFFLOADED')
        task_mgr = env['services'][0].manager.compute_task_mgr
        real = task_mgr.scheduler_rpcapi.select_destinations

        def claims_then_times_out(*args, **kwargs):
            # A scheduler too busy to answer in time: it still claimed a host.
            real(*args, **kwargs)
            raise messaging.MessagingTimeout('injected: no reply from the scheduler')
        monkeypatch.setattr(task_mgr.scheduler_rpcapi, 'select_destinations',
                            claims_then_times_out)
        assert _action(client, server_id, {'unshelve': None}).status_int == 202
        wait_for(lambda: _server(client, server_id)['OS-EXT-STS:task_state'] is None,
                 what='the unshelve ended')
        assert _server(admin, server_id)['status'] == 'SHELVED_OFFLOADED'
        assert ('conductor_unshelve_instance', 'Error') in _events(client, server_id,
                                                                   'unshelve')
        assert _allocation_hosts(env, server_id) == []
        monkeypatch.undo()
        assert _action(client, server_id, {'unshelve': None}).status_int == 202
        _wait_status(client, server_id, 'ACTIVE')
    finally:
        _delete(env, server_id)


def test_deleting_an_offloaded_server(env):
    client, admin = env['client'], env['admin']
    server_id = _boot(env, 'offloaded-delete')
    assert _action(client, server_id, {'shelve': None}).status_int == 202
    _wait_status(client, server_id, 'SHELVED')
    assert _action(admin, server_id, {'shelveOffload': None}).status_int == 202
    _wait_status(client, server_id, 'SHELVED_OFFLOADED')
    assert client.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404,
             what='offloaded server deleted')
    assert _allocation_hosts(env, server_id) == []


def _shelved_image(env, server_id):
    from nova import context as nova_context
    from nova import objects
    with nova_context.target_cell(env['ctxt'], env['cell1']) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server_id,
                                                expected_attrs=['system_metadata'])
    return instance.system_metadata.get('shelved_image_id')
