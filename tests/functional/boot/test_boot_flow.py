"""Boot, list and delete servers through the REST API with every service in
this process: API (paste app), conductor, scheduler and two fake computes over
a private RabbitMQ vhost, real Placement, real Glance, SQLite cells."""

import pytest
import requests

from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

HOSTS = ('boot-compute-1', 'boot-compute-2')
# Flavor '2' fits no host.
FLAVORS = (cloud.TINY, ('m1.huge', 1, 512, 700000))


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    with cloud.running_cloud(tmp_path_factory.mktemp('bootcloud'), glance_url=glance_url,
                             hosts=HOSTS, flavors=FLAVORS) as env:
        yield env


def _usages(env):
    headers = {'X-Auth-Token': 'admin', 'OpenStack-API-Version': 'placement 1.39'}
    totals = {}
    providers = requests.get(env['placement'] + '/resource_providers', headers=headers,
                             timeout=10).json()['resource_providers']
    for provider in providers:
        usages = requests.get(env['placement'] + '/resource_providers/%s/usages'
                              % provider['uuid'], headers=headers, timeout=10).json()['usages']
        for rc, amount in usages.items():
            totals[rc] = totals.get(rc, 0) + amount
    return totals


def _status(client, server_id):
    resp = client.get('/servers/%s' % server_id)
    return resp.json_body_or_none['server']['status'] if resp.status_int == 200 else resp


def test_boot_show_list_delete(cloud_env):
    client = cloud_env['client']
    resp = client.post('/servers', {'server': {
        'name': 'demo', 'imageRef': cloud_env['image'], 'flavorRef': '1'}})
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    wait_for(lambda: _status(client, server_id) == 'ACTIVE', what='server ACTIVE')
    shown = client.get('/servers/%s' % server_id).json_body_or_none['server']
    assert shown['name'] == 'demo' and shown['addresses'] == {}
    admin_view = cloud_env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']
    assert admin_view['OS-EXT-SRV-ATTR:host'] in HOSTS
    listed = client.get('/servers').json_body_or_none['servers']
    assert [s['id'] for s in listed] == [server_id]
    assert _usages(cloud_env) == {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}
    assert client.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404, what='gone')
    assert _usages(cloud_env) == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
    actions = _instance_actions(cloud_env, server_id)
    assert [a.action for a in actions] == ['delete', 'create']


def _instance_actions(env, server_id):
    from nova import context, objects
    ctxt = env['ctxt']
    mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, server_id)
    with context.target_cell(ctxt, mapping.cell_mapping) as cctxt:
        return list(objects.InstanceActionList.get_by_instance_uuid(cctxt, server_id))


def test_min_count_boot_lands_all_and_usage_adds_up(cloud_env):
    client = cloud_env['client']
    resp = client.post('/servers', {'server': {
        'name': 'many', 'imageRef': cloud_env['image'], 'flavorRef': '1',
        'min_count': 5, 'max_count': 5}}, version='2.1')
    assert resp.status_int == 202, resp.body

    def all_active():
        servers = client.get('/servers/detail?name=many').json_body_or_none['servers']
        return len(servers) == 5 and all(s['status'] == 'ACTIVE' for s in servers) and servers
    servers = wait_for(all_active, what='five ACTIVE')
    assert sorted(s['name'] for s in servers) == ['many-%d' % i for i in range(1, 6)]
    assert _usages(cloud_env) == {'VCPU': 5, 'MEMORY_MB': 2560, 'DISK_GB': 5}
    for server in servers:
        assert client.delete('/servers/%s' % server['id']).status_int == 204
    wait_for(lambda: client.get('/servers?name=many').json_body_or_none['servers'] == [],
             what='all deleted')
    assert _usages(cloud_env) == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}


@pytest.mark.parametrize('host', HOSTS)
def test_requested_host_is_where_the_server_lands(cloud_env, host):
    admin = cloud_env['admin']
    resp = admin.post('/servers', {'server': {
        'name': 'pinned', 'imageRef': cloud_env['image'], 'flavorRef': '1',
        'networks': 'none', 'host': host,
        'trusted_image_certificates': ['cert-%s' % host]}}, version='2.74')
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    wait_for(lambda: _status(admin, server_id) == 'ACTIVE', what='server ACTIVE')
    shown = admin.get('/servers/%s' % server_id, version='2.74').json_body_or_none['server']
    assert shown['OS-EXT-SRV-ATTR:host'] == host
    # Certificates asked for at boot (2.63) follow the server into its cell.
    assert shown['trusted_image_certificates'] == ['cert-%s' % host]
    assert admin.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: admin.get('/servers/%s' % server_id).status_int == 404, what='gone')


def test_no_valid_host_puts_the_server_in_cell0_in_error(cloud_env):
    client = cloud_env['client']
    resp = client.post('/servers', {'server': {
        'name': 'toobig', 'imageRef': cloud_env['image'], 'flavorRef': '2'}})
    assert resp.status_int == 202
    server_id = resp.json_body_or_none['server']['id']
    wait_for(lambda: _status(client, server_id) == 'ERROR', what='ERROR')
    server = client.get('/servers/%s' % server_id).json_body_or_none['server']
    assert 'No valid host was found' in server['fault']['message']
    from nova import objects
    mapping = objects.InstanceMapping.get_by_instance_uuid(cloud_env['ctxt'], server_id)
    assert mapping.cell_mapping.uuid == objects.CellMapping.CELL0_UUID
    assert _usages(cloud_env) == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
    assert client.delete('/servers/%s' % server_id).status_int == 204
    assert client.get('/servers/%s' % server_id).status_int == 404


def test_bad_input_leaves_nothing_behind(cloud_env):
    client = cloud_env['client']
    before = client.get('/servers').json_body_or_none['servers']
    cases = [
        ({'server': {'name': 'x', 'imageRef': cloud_env['image'], 'flavorRef': '99'}}, 400),
        ({'server': {'name': 'x', 'imageRef': 'f0000000-0000-0000-0000-000000000000',
                     'flavorRef': '1'}}, 400),
        ({'server': {'name': 'x', 'imageRef': cloud_env['image'], 'flavorRef': '1',
                     'min_count': -1}}, 400),
        ({'server': {'name': 'x', 'imageRef': cloud_env['image'], 'flavorRef': '1',
                     'key_name': 'nosuchkey'}}, 400),
    ]
    for body, code in cases:
        resp = client.post('/servers', body)
        assert resp.status_int == code, (body, resp.body)
        assert 'badRequest' in resp.json_body_or_none
    assert client.post('/servers', raw=b'{not json').status_int == 400
    assert client.get('/servers?limit=abc').status_int == 400
    assert client.get('/servers?marker=bogus').status_int == 400
    assert client.get('/servers', version='9.99').status_int == 406
    assert client.get('/servers').json_body_or_none['servers'] == before


class _SpawnFailures(object):
    """Make the real fake driver's spawn fail on chosen attempts (fault injection)."""

    def __init__(self, services, fail_attempts, error=None):
        self.computes = [s for s in services if s.binary == 'nova-compute']
        self.fail_attempts = fail_attempts
        self.error = error
        self.attempts = []
        self._originals = []

    def __enter__(self):
        for svc in self.computes:
            driver = svc.manager.driver
            original = driver.spawn
            self._originals.append((driver, original))

            def spawn(context, instance, *args, _original=original, _host=svc.host,
                      **kwargs):
                self.attempts.append(_host)
                if len(self.attempts) in self.fail_attempts:
                    raise self.error or RuntimeError('injected spawn failure on %s' % _host)
                return _original(context, instance, *args, **kwargs)
            driver.spawn = spawn
        return self

    def __exit__(self, *exc):
        for driver, original in self._originals:
            driver.spawn = original


def test_failed_build_reschedules_to_the_alternate(cloud_env):
    client = cloud_env['client']
    with _SpawnFailures(cloud_env['services'], fail_attempts={1}) as failures:
        resp = client.post('/servers', {'server': {
            'name': 'retry', 'imageRef': cloud_env['image'], 'flavorRef': '1'}})
        server_id = resp.json_body_or_none['server']['id']
        wait_for(lambda: _status(client, server_id) in ('ACTIVE', 'ERROR'), what='settled')
    assert _status(client, server_id) == 'ACTIVE'
    first, second = failures.attempts
    assert first != second  # built on the alternate, not retried in place
    host = cloud_env['admin'].get('/servers/%s' % server_id).json_body_or_none[
        'server']['OS-EXT-SRV-ATTR:host']
    assert host == second
    assert _usages(cloud_env) == {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}
    client.delete('/servers/%s' % server_id)
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404, what='gone')


def test_build_failing_everywhere_ends_in_error_with_a_fault(cloud_env):
    client = cloud_env['client']
    with _SpawnFailures(cloud_env['services'], fail_attempts={1, 2, 3}) as failures:
        resp = client.post('/servers', {'server': {
            'name': 'doomed', 'imageRef': cloud_env['image'], 'flavorRef': '1'}})
        server_id = resp.json_body_or_none['server']['id']
        wait_for(lambda: _status(client, server_id) == 'ERROR', what='ERROR')
    assert len(failures.attempts) == 2  # both hosts tried, no more alternates
    server = cloud_env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']
    assert 'injected spawn failure' in server['fault']['message']
    assert _usages(cloud_env) == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
    assert client.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404, what='gone')


def test_unusable_image_aborts_the_build_without_rescheduling(cloud_env):
    """No other host can boot an image the driver refused: ERROR at once."""
    from nova import exception
    client = cloud_env['client']
    error = exception.ImageUnacceptable(image_id=cloud_env['image'],
                                        reason='injected: not a disk')
    with _SpawnFailures(cloud_env['services'], fail_attempts={1, 2}, error=error) as failures:
        resp = client.post('/servers', {'server': {
            'name': 'bad-image', 'imageRef': cloud_env['image'], 'flavorRef': '1'}})
        server_id = resp.json_body_or_none['server']['id']
        wait_for(lambda: _status(client, server_id) == 'ERROR', what='ERROR')
    assert len(failures.attempts) == 1  # the alternate was not tried
    server = cloud_env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']
    assert 'aborted' in server['fault']['message']
    assert 'injected: not a disk' in server['fault']['message']
    assert _usages(cloud_env) == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
    assert client.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404, what='gone')
