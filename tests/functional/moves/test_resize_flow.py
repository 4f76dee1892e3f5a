"""Resize (confirm, revert) and cold migration across ten fake compute services.

Every service in this process over the real RabbitMQ (a private vhost), real
Placement, real Glance and SQLite cells, driven through the REST API. After
each step the server, its migration record and Placement must agree: while
a resize waits for confirmation the migration holds the source allocation
and the server the destination's; a confirm drops the source's, a revert
gives the original back exactly.
"""

import pytest
import requests

from nova import exception
from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.boot.test_boot_flow import _status, _usages
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

HOSTS = tuple('move-compute-%d' % i for i in range(1, 11))
# '1' tiny, '2' small (more RAM and disk), '3' a bigger disk than any host has
# room for, '4' as tiny but without a root disk.
FLAVORS = (cloud.TINY, ('m1.small', 2, 1024, 2), ('m1.giant', 1, 512, 700000),
           ('m1.nodisk', 1, 512, 0))
PLACEMENT = {'X-Auth-Token': 'admin', 'OpenStack-API-Version': 'placement 1.39'}
ADMIN_256 = {'X-OpenStack-Nova-API-Version': '2.56'}


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    with cloud.running_cloud(tmp_path_factory.mktemp('movecloud'), glance_url=glance_url,
                             hosts=HOSTS, flavors=FLAVORS) as env:
        yield env


def _allocations(env, consumer):
    """{provider uuid: resources} the consumer holds."""
    resp = requests.get(env['placement'] + '/allocations/%s' % consumer, headers=PLACEMENT,
                        timeout=10).json()
    return {rp: alloc['resources'] for rp, alloc in resp['allocations'].items()}


def _provider_of(env, host):
    resp = requests.get(env['placement'] + '/resource_providers?name=%s' % host,
                        headers=PLACEMENT, timeout=10).json()
    return resp['resource_providers'][0]['uuid']


def _server(env, server_id):
    return env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']


def _host(env, server_id):
    return _server(env, server_id)['OS-EXT-SRV-ATTR:host']


def _boot(env, name, flavor='1'):
    resp = env['client'].post('/servers', {'server': {
        'name': name, 'imageRef': env['image'], 'flavorRef': flavor}})
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    wait_for(lambda: _status(env['client'], server_id) == 'ACTIVE', what='server ACTIVE')
    return server_id


def _action(client, server_id, body, headers=None):
    return client.post('/servers/%s/action' % server_id, body, headers=headers)


def _migrations(env, server_id):
    resp = env['admin'].get('/os-migrations?instance_uuid=%s' % server_id,
                            headers={'X-OpenStack-Nova-API-Version': '2.59'})
    return resp.json_body_or_none['migrations']


def _migration_status(env, server_id):
    """The status of the server's newest migration (None before conductor made one)."""
    migrations = _migrations(env, server_id)
    return migrations[0]['status'] if migrations else None


def _wait_status(env, server_id, status):
    wait_for(lambda: _status(env['client'], server_id) == status, timeout=60,
             what='server %s' % status)


def _resize_to_verify(env, server_id, flavor='2'):
    """Resize the server to ``flavor`` and wait for VERIFY_RESIZE."""
    resp = _action(env['client'], server_id, {'resize': {'flavorRef': flavor}})
    assert resp.status_int == 202, resp.body
    _wait_status(env, server_id, 'VERIFY_RESIZE')


def _delete(env, server_id):
    assert env['client'].delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: env['client'].get('/servers/%s' % server_id).status_int == 404,
             what='server gone')


def test_resize_then_confirm_moves_the_allocation(cloud_env):
    server_id = _boot(cloud_env, 'grow')
    source = _host(cloud_env, server_id)
    original = _allocations(cloud_env, server_id)
    _resize_to_verify(cloud_env, server_id)
    server = _server(cloud_env, server_id)
    dest = server['OS-EXT-SRV-ATTR:host']
    assert dest != source  # allow_resize_to_same_host is off
    assert server['flavor']['id'] == '2'
    [migration] = _migrations(cloud_env, server_id)
    assert (migration['status'], migration['migration_type']) == ('finished', 'resize')
    assert (migration['source_compute'], migration['dest_compute']) == (source, dest)
    # The migration holds the source's allocation, the server the new flavor's.
    assert _allocations(cloud_env, migration['uuid']) == original
    assert _allocations(cloud_env, server_id) == {
        _provider_of(cloud_env, dest): {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 2}}

    resp = _action(cloud_env['client'], server_id, {'confirmResize': None})
    assert resp.status_int == 204, resp.body
    wait_for(lambda: _migration_status(cloud_env, server_id) == 'confirmed',
             what='migration confirmed')
    _wait_status(cloud_env, server_id, 'ACTIVE')
    assert _allocations(cloud_env, migration['uuid']) == {}
    assert _allocations(cloud_env, server_id) == {
        _provider_of(cloud_env, dest): {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 2}}
    assert _host(cloud_env, server_id) == dest
    events = cloud_env['client'].get('/servers/%s/os-instance-actions' % server_id)
    actions = [a['action'] for a in events.json_body_or_none['instanceActions']]
    assert 'resize' in actions and 'confirmResize' in actions
    _delete(cloud_env, server_id)
    assert _allocations(cloud_env, server_id) == {}


def test_revert_restores_the_original_allocation_exactly(cloud_env):
    server_id = _boot(cloud_env, 'revert')
    source = _host(cloud_env, server_id)
    original = _allocations(cloud_env, server_id)
    _resize_to_verify(cloud_env, server_id)
    [migration] = _migrations(cloud_env, server_id)
    resp = _action(cloud_env['client'], server_id, {'revertResize': None})
    assert resp.status_int == 202, resp.body
    wait_for(lambda: _migration_status(cloud_env, server_id) == 'reverted',
             what='migration reverted')
    _wait_status(cloud_env, server_id, 'ACTIVE')
    server = _server(cloud_env, server_id)
    assert server['OS-EXT-SRV-ATTR:host'] == source
    assert server['flavor']['id'] == '1'
    assert _allocations(cloud_env, server_id) == original
    assert _allocations(cloud_env, migration['uuid']) == {}
    _delete(cloud_env, server_id)


def test_cold_migration_to_a_named_host(cloud_env):
    server_id = _boot(cloud_env, 'cold')
    source = _host(cloud_env, server_id)
    target = next(h for h in HOSTS if h != source)
    # Only administrators migrate.
    assert _action(cloud_env['client'], server_id, {'migrate': None}).status_int == 403
    resp = _action(cloud_env['admin'], server_id, {'migrate': {'host': target}},
                   headers=ADMIN_256)
    assert resp.status_int == 202, resp.body
    _wait_status(cloud_env, server_id, 'VERIFY_RESIZE')
    [migration] = _migrations(cloud_env, server_id)
    assert (migration['migration_type'], migration['dest_compute']) == ('migration', target)
    assert _allocations(cloud_env, server_id) == {
        _provider_of(cloud_env, target): {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}}
    assert _action(cloud_env['client'], server_id,
                   {'confirmResize': None}).status_int == 204
    _wait_status(cloud_env, server_id, 'ACTIVE')
    assert _host(cloud_env, server_id) == target
    assert _allocations(cloud_env, migration['uuid']) == {}
    _delete(cloud_env, server_id)


def test_refused_moves_change_nothing(cloud_env):
    server_id = _boot(cloud_env, 'refused')
    original = _allocations(cloud_env, server_id)
    client = cloud_env['client']
    same = _action(client, server_id, {'resize': {'flavorRef': '1'}})
    assert same.status_int == 400
    assert 'must change flavor' in same.json_body_or_none['badRequest']['message']
    shrink = _action(client, server_id, {'resize': {'flavorRef': '4'}})
    assert shrink.status_int == 400, shrink.body
    assert _action(client, server_id, {'resize': {'flavorRef': '99'}}).status_int == 400
    assert _action(client, server_id, {'resize': {}}).status_int == 400
    assert _action(client, server_id, {'confirmResize': None}).status_int == 409
    assert _action(client, server_id, {'revertResize': None}).status_int == 409
    unknown = _action(cloud_env['admin'], server_id, {'migrate': {'host': 'nowhere'}},
                      headers=ADMIN_256)
    assert unknown.status_int == 400, unknown.body
    assert _status(client, server_id) == 'ACTIVE'
    assert _migrations(cloud_env, server_id) == []
    assert _allocations(cloud_env, server_id) == original
    _delete(cloud_env, server_id)


def test_a_resize_no_host_fits_leaves_the_server_as_it_was(cloud_env):
    server_id = _boot(cloud_env, 'nofit')
    original = _allocations(cloud_env, server_id)
    source = _host(cloud_env, server_id)
    assert _action(cloud_env['client'], server_id,
                   {'resize': {'flavorRef': '3'}}).status_int == 202
    wait_for(lambda: _migration_status(cloud_env, server_id) == 'error',
             what='migration error')
    _wait_status(cloud_env, server_id, 'ACTIVE')
    assert _host(cloud_env, server_id) == source
    assert _allocations(cloud_env, server_id) == original
    [migration] = _migrations(cloud_env, server_id)
    assert _allocations(cloud_env, migration['uuid']) == {}
    _delete(cloud_env, server_id)


def _computes(env):
    return [svc for svc in env['services'] if svc.binary == 'nova-compute']


def test_a_failing_destination_reschedules_to_an_alternate(cloud_env, monkeypatch):
    server_id = _boot(cloud_env, 'resched')
    failed = []
    for svc in _computes(cloud_env):
        rt = svc.manager.rt
        real = rt.move_claim

        def failing_once(context, uuid, flavor, node, _real=real, _host=svc.host):
            if not failed:
                failed.append(_host)
                raise RuntimeError('injected: the destination refuses the claim')
            return _real(context, uuid, flavor, node)
        monkeypatch.setattr(rt, 'move_claim', failing_once)
    _resize_to_verify(cloud_env, server_id)
    dest = _host(cloud_env, server_id)
    assert failed and dest != failed[0]
    [migration] = _migrations(cloud_env, server_id)
    assert migration['dest_compute'] == dest
    assert _allocations(cloud_env, server_id) == {
        _provider_of(cloud_env, dest): {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 2}}
    assert _action(cloud_env['client'], server_id,
                   {'confirmResize': None}).status_int == 204
    _wait_status(cloud_env, server_id, 'ACTIVE')
    assert _usages(cloud_env) == {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 2}
    _delete(cloud_env, server_id)


def test_every_destination_failing_gives_the_server_back(cloud_env, monkeypatch):
    server_id = _boot(cloud_env, 'allfail')
    original = _allocations(cloud_env, server_id)
    source = _host(cloud_env, server_id)

    def refuse(*args, **kwargs):
        raise RuntimeError('injected: no destination takes it')
    for svc in _computes(cloud_env):
        monkeypatch.setattr(svc.manager.rt, 'move_claim', refuse)
    assert _action(cloud_env['client'], server_id,
                   {'resize': {'flavorRef': '2'}}).status_int == 202
    wait_for(lambda: _migration_status(cloud_env, server_id) == 'error',
             timeout=60, what='migration error')
    _wait_status(cloud_env, server_id, 'ACTIVE')
    assert _host(cloud_env, server_id) == source
    assert _allocations(cloud_env, server_id) == original
    assert _usages(cloud_env) == {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}
    _delete(cloud_env, server_id)


def test_a_copy_the_source_rolled_back_leaves_the_server_active_where_it_was(
        cloud_env, monkeypatch):
    server_id = _boot(cloud_env, 'copyfail')
    original = _allocations(cloud_env, server_id)
    source = _host(cloud_env, server_id)

    def copy_fails(context, instance, *args, **kwargs):
        # What the libvirt driver raises once it has put the guest back as it was.
        raise exception.InstanceFaultRollback(inner_exception=exception.MigrationError(
            reason='injected: the destination refused the disks'))
    for svc in _computes(cloud_env):
        monkeypatch.setattr(svc.manager.driver, 'migrate_disk_and_power_off', copy_fails)
    assert _action(cloud_env['client'], server_id,
                   {'resize': {'flavorRef': '2'}}).status_int == 202
    wait_for(lambda: _migration_status(cloud_env, server_id) == 'error',
             timeout=60, what='migration error')
    wait_for(lambda: _server(cloud_env, server_id)['OS-EXT-STS:task_state'] is None,
             timeout=30, what='the task state cleared')
    server = _server(cloud_env, server_id)
    assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == ('ACTIVE', source)
    assert server['flavor']['id'] == '1'
    assert _allocations(cloud_env, server_id) == original
    [migration] = _migrations(cloud_env, server_id)
    assert _allocations(cloud_env, migration['uuid']) == {}
    assert _usages(cloud_env) == {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}
    actions = cloud_env['admin'].get('/servers/%s/os-instance-actions' % server_id)
    resize_action = [a for a in actions.json_body_or_none['instanceActions']
                     if a['action'] == 'resize'][0]
    detail = cloud_env['admin'].get('/servers/%s/os-instance-actions/%s' % (
        server_id, resize_action['request_id'])).json_body_or_none['instanceAction']
    assert any(e['event'] == 'compute_resize_instance' and e['result'] == 'Error'
               for e in detail['events'])
    _delete(cloud_env, server_id)


def test_an_unshelve_after_a_resize_claims_the_new_flavor(cloud_env):
    server_id = _boot(cloud_env, 'resize-shelve')
    _resize_to_verify(cloud_env, server_id)
    assert _action(cloud_env['client'], server_id,
                   {'confirmResize': None}).status_int == 204
    _wait_status(cloud_env, server_id, 'ACTIVE')
    assert _action(cloud_env['client'], server_id, {'shelve': None}).status_int == 202
    _wait_status(cloud_env, server_id, 'SHELVED_OFFLOADED')
    assert _allocations(cloud_env, server_id) == {}
    assert _action(cloud_env['client'], server_id, {'unshelve': None}).status_int == 202
    _wait_status(cloud_env, server_id, 'ACTIVE')
    host = _host(cloud_env, server_id)
    assert _allocations(cloud_env, server_id) == {
        _provider_of(cloud_env, host): {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 2}}
    _delete(cloud_env, server_id)


def test_a_resize_is_confirmed_after_the_confirm_window(cloud_env):
    server_id = _boot(cloud_env, 'autoconfirm')
    _resize_to_verify(cloud_env, server_id)
    dest = _host(cloud_env, server_id)
    compute = next(s for s in _computes(cloud_env) if s.host == dest)
    cloud_env['conf'].set_override('resize_confirm_window', 1)
    try:
        def polled():
            compute.manager._poll_unconfirmed_resizes(cloud_env['ctxt'])
            return _migrations(cloud_env, server_id)[0]['status'] == 'confirmed'
        wait_for(polled, timeout=60, what='resize confirmed automatically')
    finally:
        cloud_env['conf'].clear_override('resize_confirm_window')
    _wait_status(cloud_env, server_id, 'ACTIVE')
    [migration] = _migrations(cloud_env, server_id)
    assert _allocations(cloud_env, migration['uuid']) == {}
    _delete(cloud_env, server_id)


def test_deleting_a_resized_server_frees_both_allocations(cloud_env):
    server_id = _boot(cloud_env, 'deleted-resized')
    _resize_to_verify(cloud_env, server_id)
    [migration] = _migrations(cloud_env, server_id)
    assert _allocations(cloud_env, migration['uuid'])
    _delete(cloud_env, server_id)
    assert _allocations(cloud_env, server_id) == {}
    assert _allocations(cloud_env, migration['uuid']) == {}
    assert _usages(cloud_env) == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
