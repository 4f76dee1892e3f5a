"""Evacuate across fake compute services: only from a host whose nova-compute
is down, onto another host, and the source's clean-up when it comes back.

Every service in this process over the real RabbitMQ (a private vhost), real
Placement, real Glance and SQLite cells. The source's nova-compute is stopped
and forced down (2.53) as an operator would after fencing the host; while it
is away the evacuation's migration holds the source's allocation, and the
source frees it (and removes its copy of the guest) when it starts again.
"""

import pytest

from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.boot.test_boot_flow import _status
from tests.functional.image.test_glance_client import glance_url  # noqa: F401
from tests.functional.moves.test_resize_flow import _allocations, _host
from tests.functional.moves.test_resize_flow import _migration_status, _migrations, _provider_of

HOSTS = ('evacuate-compute-1', 'evacuate-compute-2', 'evacuate-compute-3')
TINY = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    tmp = tmp_path_factory.mktemp('evacuatecloud')
    with cloud.running_cloud(tmp, glance_url=glance_url, hosts=HOSTS) as env:
        env['tmp'] = tmp
        yield env


def _version(version):
    return {'X-OpenStack-Nova-API-Version': version}


def _boot_on(env, host):
    resp = env['admin'].post('/servers', {'server': {
        'name': 'evacuee', 'imageRef': env['image'], 'flavorRef': '1', 'host': host,
        'networks': 'none'}},
        headers=_version('2.74'))
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    wait_for(lambda: _status(env['admin'], server_id) == 'ACTIVE', what='server ACTIVE')
    return server_id


def _service_id(env, host):
    resp = env['admin'].get('/os-services?host=%s&binary=nova-compute' % host,
                            headers=_version('2.53'))
    return resp.json_body_or_none['services'][0]['id']


def _force_down(env, host, down):
    resp = env['admin'].put('/os-services/%s' % _service_id(env, host),
                            {'forced_down': down}, headers=_version('2.53'))
    assert resp.status_int == 200, resp.body


def _evacuate(env, server_id, body, version='2.68'):
    return env['admin'].post('/servers/%s/action' % server_id, {'evacuate': body},
                             headers=_version(version))


def _stop_compute(env, host):
    svc = next(s for s in env['services'] if getattr(s, 'host', None) == host and
               s.binary == 'nova-compute')
    svc.stop()
    env['services'].remove(svc)


def _start_compute(env, host):
    return cloud.start_compute(env, host, HOSTS.index(host))


def test_evacuation_needs_the_source_down(cloud_env):
    server_id = _boot_on(cloud_env, HOSTS[0])
    resp = _evacuate(cloud_env, server_id, {})
    assert resp.status_int == 400, resp.body
    assert 'is still in use' in resp.json_body_or_none['badRequest']['message']
    same = _evacuate(cloud_env, server_id, {'host': HOSTS[0]})
    assert same.status_int == 400
    missing = _evacuate(cloud_env, server_id, {'host': 'nowhere'})
    assert missing.status_int == 404
    assert _evacuate(cloud_env, server_id, {'onSharedStorage': False},
                     version='2.13').status_int == 400  # still in use
    assert _evacuate(cloud_env, server_id, {'onSharedStorage': False},
                     version='2.14').status_int == 400  # gone in 2.14
    assert _evacuate(cloud_env, server_id, {'force': True},
                     version='2.68').status_int == 400  # gone in 2.68
    # Another project's server is not there for a user.
    assert cloud_env['client'].post('/servers/%s/action' % server_id, {
        'evacuate': {'onSharedStorage': False}}).status_int == 404
    assert _migrations(cloud_env, server_id) == []
    assert cloud_env['admin'].delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: cloud_env['admin'].get('/servers/%s' % server_id).status_int == 404,
             what='server gone')


def test_evacuate_then_the_source_cleans_up_when_it_returns(cloud_env):
    source = HOSTS[1]
    server_id = _boot_on(cloud_env, source)
    original = _allocations(cloud_env, server_id)
    _stop_compute(cloud_env, source)
    _force_down(cloud_env, source, True)
    try:
        resp = _evacuate(cloud_env, server_id, {}, version='2.95')
        assert resp.status_int == 200, resp.body
        # 2.95: the evacuated server stays stopped.
        wait_for(lambda: _status(cloud_env['admin'], server_id) == 'SHUTOFF', timeout=60,
                 what='evacuated, stopped')
        dest = _host(cloud_env, server_id)
        assert dest not in (source, None)
        [migration] = _migrations(cloud_env, server_id)
        assert (migration['migration_type'], migration['status']) == ('evacuation', 'done')
        assert (migration['source_compute'], migration['dest_compute']) == (source, dest)
        assert _allocations(cloud_env, server_id) == {_provider_of(cloud_env, dest): TINY}
        assert _allocations(cloud_env, migration['uuid']) == original
    finally:
        _start_compute(cloud_env, source)
        _force_down(cloud_env, source, False)
    wait_for(lambda: _migration_status(cloud_env, server_id) == 'completed',
             timeout=60, what='source cleaned up')
    assert _allocations(cloud_env, migration['uuid']) == {}
    assert _allocations(cloud_env, server_id) == {_provider_of(cloud_env, dest): TINY}
    actions = cloud_env['admin'].get('/servers/%s/os-instance-actions' % server_id)
    assert 'evacuate' in [a['action'] for a in actions.json_body_or_none['instanceActions']]
    assert cloud_env['admin'].delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: cloud_env['admin'].get('/servers/%s' % server_id).status_int == 404,
             what='server gone')


def test_a_forced_evacuation_to_a_named_host_keeps_the_server_running(cloud_env):
    source, target = HOSTS[0], HOSTS[2]
    server_id = _boot_on(cloud_env, source)
    _stop_compute(cloud_env, source)
    _force_down(cloud_env, source, True)
    try:
        resp = _evacuate(cloud_env, server_id, {'host': target, 'force': True},
                         version='2.29')
        assert resp.status_int == 200, resp.body
        wait_for(lambda: _host(cloud_env, server_id) == target and
                 _status(cloud_env['admin'], server_id) == 'ACTIVE', timeout=60,
                 what='evacuated, running')
        assert _allocations(cloud_env, server_id) == {_provider_of(cloud_env, target): TINY}
    finally:
        _start_compute(cloud_env, source)
        _force_down(cloud_env, source, False)
    wait_for(lambda: _migration_status(cloud_env, server_id) == 'completed',
             timeout=60, what='source cleaned up')
    assert _allocations(cloud_env, _migrations(cloud_env, server_id)[0]['uuid']) == {}
    assert cloud_env['admin'].delete('/servers/%s' % server_id).status_int == 204
