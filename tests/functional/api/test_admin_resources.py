"""Admin resources against a running cloud in this process: real Placement, RabbitMQ,
conductor, scheduler and two fake computes (the boot tests' fixture).

Aggregate membership is checked in Placement itself, disabling a compute in
its provider traits, hypervisor uptime over compute RPC, and quota under
concurrent boots.
"""

import threading

import requests

from tests.fixtures.waiting import wait_for
from tests.functional.boot.test_boot_flow import HOSTS
from tests.functional.boot.test_boot_flow import _status
from tests.functional.boot.test_boot_flow import cloud_env  # noqa: F401
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

_PLACEMENT = {'X-Auth-Token': 'admin', 'OpenStack-API-Version': 'placement 1.39'}


def _placement_get(env, path):
    resp = requests.get(env['placement'] + path, headers=_PLACEMENT, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _nodes(env):
    """{host: compute node uuid} from the API (2.53 ids are the provider uuids)."""
    hypervisors = env['admin'].get('/os-hypervisors/detail', version='2.53'
                                   ).json_body_or_none['hypervisors']
    return {h['service']['host']: h['id'] for h in hypervisors}


def _provider_aggregates(env, rp_uuid):
    return set(_placement_get(env, '/resource_providers/%s/aggregates' % rp_uuid)
               ['aggregates'])


def _boot(client, env, name, **extra):
    server = {'name': name, 'imageRef': env['image'], 'flavorRef': '1'}
    server.update(extra)
    return client.post('/servers', {'server': server})


def _delete_all(client, ids):
    for server_id in ids:
        client.delete('/servers/%s' % server_id)
    for server_id in ids:
        wait_for(lambda sid=server_id: client.get('/servers/%s' % sid).status_int == 404,
                 what='server %s gone' % server_id)


def test_aggregate_hosts_are_mirrored_in_placement(cloud_env):  # noqa: F811
    admin = cloud_env['admin']
    nodes = _nodes(cloud_env)
    assert set(nodes) == set(HOSTS)
    agg = admin.post('/os-aggregates', {'aggregate': {'name': 'mirror', 'availability_zone':
                                                      'az-mirror'}}, version='2.41'
                     ).json_body_or_none['aggregate']
    action = '/os-aggregates/%s/action' % agg['id']
    assert admin.post(action, {'add_host': {'host': HOSTS[0]}}).status_int == 200
    assert _provider_aggregates(cloud_env, nodes[HOSTS[0]]) == {agg['uuid']}
    assert _provider_aggregates(cloud_env, nodes[HOSTS[1]]) == set()

    # A writer racing us bumps the provider generation between our read and
    # our write: the client re-reads and still lands both aggregates.
    from nova import context as nova_context
    from nova.scheduler.client import report
    client = report.SchedulerReportClient()
    real_get = client.get_provider_aggregates
    raced = []

    def get_then_race(context, rp_uuid):
        result = real_get(context, rp_uuid)
        if not raced:
            raced.append(True)
            aggregates, generation = result
            resp = requests.put(
                cloud_env['placement'] + '/resource_providers/%s/aggregates' % rp_uuid,
                json={'aggregates': sorted(aggregates | {'1b8e5a3c-0000-4000-8000-000000000001'}),
                      'resource_provider_generation': generation},
                headers=_PLACEMENT, timeout=10)
            assert resp.status_code == 200, resp.text
        return result
    client.get_provider_aggregates = get_then_race
    other = '2c9f6b4d-0000-4000-8000-000000000002'
    client.aggregate_add_host(nova_context.get_admin_context(), other, nodes[HOSTS[0]])
    assert raced
    assert _provider_aggregates(cloud_env, nodes[HOSTS[0]]) == {
        agg['uuid'], other, '1b8e5a3c-0000-4000-8000-000000000001'}
    for extra in (other, '1b8e5a3c-0000-4000-8000-000000000001'):
        report.SchedulerReportClient().aggregate_remove_host(
            nova_context.get_admin_context(), extra, nodes[HOSTS[0]])

    # The zone shows in the zone list and in a server booted into it.
    zones = admin.get('/os-availability-zone').json_body_or_none['availabilityZoneInfo']
    assert {'zoneName': 'az-mirror', 'zoneState': {'available': True},
            'hosts': None} in zones
    user = cloud_env['client']
    resp = _boot(user, cloud_env, 'in-az', availability_zone='az-mirror')
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    wait_for(lambda: _status(user, server_id) == 'ACTIVE', what='ACTIVE')
    shown = admin.get('/servers/%s' % server_id).json_body_or_none['server']
    assert shown['OS-EXT-SRV-ATTR:host'] == HOSTS[0]
    assert shown['OS-EXT-AZ:availability_zone'] == 'az-mirror'
    # the host runs a server of that zone: leaving the zone would strand it
    assert admin.post(action, {'remove_host': {'host': HOSTS[0]}}).status_int == 409
    _delete_all(user, [server_id])

    assert admin.post(action, {'remove_host': {'host': HOSTS[0]}}).status_int == 200
    assert _provider_aggregates(cloud_env, nodes[HOSTS[0]]) == set()
    assert admin.delete('/os-aggregates/%s' % agg['id']).status_int == 200


def test_disabling_a_compute_sets_the_trait_in_placement(cloud_env):  # noqa: F811
    admin = cloud_env['admin']
    nodes = _nodes(cloud_env)
    services = admin.get('/os-services?binary=nova-compute', version='2.53'
                         ).json_body_or_none['services']
    service = [s for s in services if s['host'] == HOSTS[1]][0]

    def traits():
        return set(_placement_get(cloud_env, '/resource_providers/%s/traits'
                                  % nodes[HOSTS[1]])['traits'])
    res = admin.put('/os-services/%s' % service['id'], {'status': 'disabled',
                                                        'disabled_reason': 'maint'},
                    version='2.53')
    assert res.status_int == 200, res.body
    assert 'COMPUTE_STATUS_DISABLED' in traits()
    res = admin.put('/os-services/enable', {'host': HOSTS[1], 'binary': 'nova-compute'})
    assert res.status_int == 200
    assert 'COMPUTE_STATUS_DISABLED' not in traits()


def test_hypervisor_uptime_and_statistics(cloud_env):  # noqa: F811
    admin = cloud_env['admin']
    listed = admin.get('/os-hypervisors').json_body_or_none['hypervisors']
    res = admin.get('/os-hypervisors/%s/uptime' % listed[0]['id'])
    assert res.status_int == 200, res.body
    assert 'load average' in res.json_body_or_none['hypervisor']['uptime']
    nodes = _nodes(cloud_env)
    shown = admin.get('/os-hypervisors/%s' % nodes[HOSTS[0]], version='2.88'
                      ).json_body_or_none['hypervisor']
    assert 'load average' in shown['uptime']
    stats = admin.get('/os-hypervisors/statistics').json_body_or_none['hypervisor_statistics']
    assert stats['count'] == 2
    assert admin.get('/os-hypervisors/statistics', version='2.88').status_int == 404


def test_concurrent_boots_never_exceed_the_instance_quota(cloud_env):  # noqa: F811
    admin, user = cloud_env['admin'], cloud_env['client']
    used = user.get('/limits').json_body_or_none['limits']['absolute']['totalInstancesUsed']
    limit = used + 3
    assert admin.put('/os-quota-sets/demo-project',
                     {'quota_set': {'instances': limit}}).status_int == 200
    results = []

    def boot(index):
        resp = _boot(user, cloud_env, 'race-%d' % index)
        results.append((resp.status_int, resp.json_body_or_none))
    threads = [threading.Thread(target=boot, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(code for code, _body in results)
    assert set(codes) <= {202, 403}, results
    accepted = [body['server']['id'] for code, body in results if code == 202]
    # Requests that all recount after everyone committed may all step back
    # (as upstream's recheck does); never may more than the limit get through.
    assert len(accepted) <= 3
    refused = [body for code, body in results if code == 403]
    assert all('Quota exceeded for instances' in body['forbidden']['message']
               for body in refused)
    # Never more than the limit exist, whatever got through.
    for server_id in accepted:
        wait_for(lambda sid=server_id: _status(user, sid) in ('ACTIVE', 'ERROR'),
                 what='settled')
    absolute = user.get('/limits').json_body_or_none['limits']['absolute']
    assert absolute['totalInstancesUsed'] <= limit
    detail = user.get('/os-quota-sets/demo-project/detail').json_body_or_none['quota_set']
    assert detail['instances']['in_use'] == absolute['totalInstancesUsed']
    assert detail['instances']['limit'] == limit
    # Whatever stepped back left nothing behind: the room left is bootable, one more
    # is refused with upstream's message.
    while absolute['totalInstancesUsed'] < limit:
        resp = _boot(user, cloud_env, 'fill')
        assert resp.status_int == 202, resp.body
        accepted.append(resp.json_body_or_none['server']['id'])
        absolute = user.get('/limits').json_body_or_none['limits']['absolute']
    resp = _boot(user, cloud_env, 'one-too-many')
    assert resp.status_int == 403
    assert 'Quota exceeded for instances' in resp.json_body_or_none['forbidden']['message']
    for server_id in accepted:
        wait_for(lambda sid=server_id: _status(user, sid) in ('ACTIVE', 'ERROR'),
                 what='settled')
    _delete_all(user, accepted)
    assert admin.delete('/os-quota-sets/demo-project').status_int == 202


def test_quota_refusals_on_boot(cloud_env):  # noqa: F811
    admin, user = cloud_env['admin'], cloud_env['client']
    assert admin.put('/os-quota-sets/demo-project',
                     {'quota_set': {'metadata_items': 1, 'cores': 0}}).status_int == 200
    try:
        resp = _boot(user, cloud_env, 'meta', metadata={'a': '1', 'b': '2'})
        assert resp.status_int == 403, resp.body
        resp = _boot(user, cloud_env, 'cores')
        assert resp.status_int == 403, resp.body
        assert 'Quota exceeded for cores' in resp.json_body_or_none['forbidden']['message']
    finally:
        assert admin.delete('/os-quota-sets/demo-project').status_int == 202


def test_usage_and_migrations_listing(cloud_env):  # noqa: F811
    admin, user = cloud_env['admin'], cloud_env['client']
    resp = _boot(user, cloud_env, 'usage')
    server_id = resp.json_body_or_none['server']['id']
    wait_for(lambda: _status(user, server_id) == 'ACTIVE', what='ACTIVE')
    body = admin.get('/os-simple-tenant-usage?detailed=1&start=2000-01-01T00:00:00'
                     ).json_body_or_none
    servers = [s for u in body['tenant_usages'] for s in u['server_usages']]
    assert server_id in [s['instance_id'] for s in servers]
    mine = user.get('/os-simple-tenant-usage/demo-project?start=2000-01-01T00:00:00'
                    ).json_body_or_none['tenant_usage']
    assert server_id in [s['instance_id'] for s in mine['server_usages']]
    assert admin.get('/os-migrations', version='2.80').json_body_or_none == {'migrations': []}
    _delete_all(user, [server_id])
