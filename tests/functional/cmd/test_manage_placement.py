"""``nova-manage placement`` against the real Placement of an in-process cloud.

Servers are booted through the API onto a fake compute; their allocations
are then broken directly in Placement and the commands must repair them:
heal_allocations puts a deleted allocation back, audit finds (and deletes)
an allocation no server owns, sync_aggregates restores a provider's
aggregate membership.
"""

import os
import subprocess
import sys
import uuid

import pytest
import requests

from nova.cmd import manage_placement
from nova import objects
from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

HOST = 'placement-cmd-compute'
HEADERS = {'X-Auth-Token': 'admin', 'OpenStack-API-Version': 'placement 1.39'}
TINY_RESOURCES = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    tmp = tmp_path_factory.mktemp('placementcmd')
    with cloud.running_cloud(tmp, glance_url=glance_url, hosts=(HOST,)) as env:
        env['conf_path'] = str(tmp / 'nova.conf')
        yield env


def _placement(env, method, path, body=None):
    return requests.request(method, env['placement'] + path, json=body, headers=HEADERS,
                            timeout=10)


def _allocations(env, consumer):
    return _placement(env, 'GET', '/allocations/%s' % consumer).json()


def _provider(env):
    providers = _placement(env, 'GET', '/resource_providers?name=%s' % HOST).json()
    return providers['resource_providers'][0]['uuid']


def _boot(env, name):
    client = env['client']
    resp = client.post('/servers', {'server': {'name': name, 'imageRef': env['image'],
                                               'flavorRef': '1'}})
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']

    def active():
        shown = client.get('/servers/%s' % server_id).json_body_or_none['server']
        return shown['status'] == 'ACTIVE' and shown['OS-EXT-STS:task_state'] is None
    wait_for(active, what='server ACTIVE')
    return server_id


def _delete(env, server_id):
    client = env['client']
    assert client.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404, what='gone')


def _run(capsys, command, **kwargs):
    capsys.readouterr()
    code = getattr(manage_placement.PlacementCommands(), command)(**kwargs)
    return code, capsys.readouterr().out


def test_heal_allocations_puts_deleted_allocations_back(cloud_env, capsys):
    server = _boot(cloud_env, 'healed')
    before = _allocations(cloud_env, server)
    rp_uuid = _provider(cloud_env)
    assert before['allocations'][rp_uuid]['resources'] == TINY_RESOURCES

    assert _placement(cloud_env, 'DELETE', '/allocations/%s' % server).status_code == 204
    code, out = _run(capsys, 'heal_allocations', dry_run=True, verbose=True)
    assert code == 4, out
    assert '[dry-run] Create allocations for instance %s' % server in out
    assert _allocations(cloud_env, server)['allocations'] == {}

    code, out = _run(capsys, 'heal_allocations', verbose=True)
    assert code == 0, out
    assert 'Successfully created allocations for instance %s.' % server in out
    assert 'Processed 1 instances.' in out
    after = _allocations(cloud_env, server)
    assert after['allocations'][rp_uuid]['resources'] == TINY_RESOURCES
    assert (after['project_id'], after['user_id']) == ('demo-project', 'demo')
    assert after['consumer_type'] == 'INSTANCE'

    code, out = _run(capsys, 'heal_allocations', verbose=True)
    assert code == 4, out
    assert 'The allocation of instance %s is up-to-date. Nothing to be healed.' % server in out

    # Allocations owned by someone else get the instance's project and user back.
    after['project_id'], after['user_id'] = 'someone', 'else'
    body = {'allocations': {rp_uuid: {'resources': TINY_RESOURCES}}, 'project_id': 'someone',
            'user_id': 'else', 'consumer_generation': after['consumer_generation'],
            'consumer_type': 'INSTANCE'}
    assert _placement(cloud_env, 'PUT', '/allocations/%s' % server, body).status_code == 204
    code, out = _run(capsys, 'heal_allocations', instance_uuid=server, verbose=True)
    assert code == 0, out
    assert 'Successfully updated allocations for instance %s.' % server in out
    fixed = _allocations(cloud_env, server)
    assert (fixed['project_id'], fixed['user_id']) == ('demo-project', 'demo')

    # --force rewrites allocations that are there but wrong.
    body = {'allocations': {rp_uuid: {'resources': {'VCPU': 1, 'MEMORY_MB': 1}}},
            'project_id': 'demo-project', 'user_id': 'demo',
            'consumer_generation': fixed['consumer_generation'], 'consumer_type': 'INSTANCE'}
    assert _placement(cloud_env, 'PUT', '/allocations/%s' % server, body).status_code == 204
    assert _run(capsys, 'heal_allocations', verbose=True)[0] == 4
    code, out = _run(capsys, 'heal_allocations', instance_uuid=server, force=True, verbose=True)
    assert code == 0, out
    assert 'Force flag passed for instance %s' % server in out
    assert _allocations(cloud_env, server)['allocations'][rp_uuid]['resources'] == (
        TINY_RESOURCES)
    _delete(cloud_env, server)


def test_heal_allocations_max_count_stops_and_reports_more_to_do(cloud_env, capsys):
    servers = [_boot(cloud_env, 'batch-%d' % index) for index in range(2)]
    for server in servers:
        _placement(cloud_env, 'DELETE', '/allocations/%s' % server)
    for _ in servers:
        code, out = _run(capsys, 'heal_allocations', max_count='1', verbose=True)
        assert code == 1, out
        assert 'Max count reached. Processed 1 instances.' in out
    for server in servers:
        assert _allocations(cloud_env, server)['allocations'], server
    assert _run(capsys, 'heal_allocations', max_count='1')[0] == 4
    for server in servers:
        _delete(cloud_env, server)


def test_heal_allocations_console_script(cloud_env):
    """The installed nova-manage, in its own process, heals over HTTP and exits 0."""
    script = os.path.join(os.path.dirname(sys.executable), 'nova-manage')
    if not os.path.exists(script):
        pytest.skip('nova-manage is not installed in this environment')
    server = _boot(cloud_env, 'console')
    _placement(cloud_env, 'DELETE', '/allocations/%s' % server)

    def nova_manage(*argv):
        return subprocess.run([script, '--config-file', cloud_env['conf_path'], 'placement']
                              + list(argv), capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
    result = nova_manage('heal_allocations', '--instance', server, '--verbose')
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'Successfully created allocations for instance %s.' % server in result.stdout
    assert _allocations(cloud_env, server)['allocations'][_provider(cloud_env)][
        'resources'] == TINY_RESOURCES
    result = nova_manage('heal_allocations', '--max-count', 'lots')
    assert result.returncode == 127
    assert result.stdout == 'Must supply a positive integer for --max-count.\n'
    _delete(cloud_env, server)


def test_audit_reports_and_deletes_orphaned_allocations(cloud_env, capsys):
    server = _boot(cloud_env, 'owned')
    rp_uuid = _provider(cloud_env)
    orphan = str(uuid.uuid4())
    body = {'allocations': {rp_uuid: {'resources': {'VCPU': 1, 'MEMORY_MB': 64}}},
            'project_id': 'demo-project', 'user_id': 'demo', 'consumer_generation': None,
            'consumer_type': 'INSTANCE'}
    assert _placement(cloud_env, 'PUT', '/allocations/%s' % orphan, body).status_code == 204

    code, out = _run(capsys, 'audit', verbose=True)
    assert code == 3, out
    assert ('Allocations for consumer UUID %s on Resource Provider %s can be deleted'
            % (orphan, rp_uuid)) in out
    assert server not in out
    assert 'Processed 1 allocation.' in out
    code, out = _run(capsys, 'audit', provider_uuid=rp_uuid)
    assert (code, out) == (3, '')
    assert _run(capsys, 'audit', provider_uuid=str(uuid.uuid4()))[0] == 127
    assert _run(capsys, 'audit', provider_uuid='not-a-uuid')[0] == 127

    code, out = _run(capsys, 'audit', delete=True, verbose=True)
    assert code == 4, out
    assert 'Deleted allocations for consumer UUID %s' % orphan in out
    assert _allocations(cloud_env, orphan)['allocations'] == {}
    assert _allocations(cloud_env, server)['allocations'][rp_uuid]['resources'] == (
        TINY_RESOURCES)
    assert _run(capsys, 'audit') == (0, '')
    _delete(cloud_env, server)


def test_sync_aggregates_restores_provider_membership(cloud_env, capsys):
    admin = cloud_env['admin']
    resp = admin.request('POST', '/os-aggregates', {'aggregate': {'name': 'sync-agg'}},
                         version='2.41')
    assert resp.status_int == 200, resp.body
    aggregate = resp.json_body_or_none['aggregate']
    resp = admin.post('/os-aggregates/%s/action' % aggregate['id'],
                      {'add_host': {'host': HOST}})
    assert resp.status_int == 200, resp.body
    rp_uuid = _provider(cloud_env)
    path = '/resource_providers/%s/aggregates' % rp_uuid
    current = _placement(cloud_env, 'GET', path).json()
    assert aggregate['uuid'] in current['aggregates']

    resp = _placement(cloud_env, 'PUT', path, {
        'aggregates': [], 'resource_provider_generation': current['resource_provider_generation']})
    assert resp.status_code == 200, resp.text
    code, out = _run(capsys, 'sync_aggregates', verbose=True)
    assert code == 0, out
    assert ('Successfully added host (%s) and provider (%s) to aggregate (%s).'
            % (HOST, rp_uuid, aggregate['uuid'])) in out
    assert _placement(cloud_env, 'GET', path).json()['aggregates'] == [aggregate['uuid']]

    # A member host nova-manage cannot find is reported, the others still synced.
    agg = objects.Aggregate.get_by_uuid(cloud_env['ctxt'], aggregate['uuid'])
    agg.add_host('no-such-host')
    try:
        code, out = _run(capsys, 'sync_aggregates')
        assert code == 4, out
        assert 'Missing: no-such-host' in out
    finally:
        agg.delete_host('no-such-host')
    assert _run(capsys, 'sync_aggregates') == (0, '')
