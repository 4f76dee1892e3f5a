"""``[quota] count_usage_from_placement = True`` against the real Placement: cores
and RAM in use are what Placement holds for the project, servers are the
instance mappings not queued for delete."""

import pytest

from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

HOSTS = ('quota-compute-1',)
# Flavor '2' fits no host: its server ends in cell0 without allocations.
FLAVORS = (cloud.TINY, ('m1.huge', 1, 512, 700000))
CORES = 2


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    with cloud.running_cloud(tmp_path_factory.mktemp('quotacloud'), glance_url=glance_url,
                             hosts=HOSTS, flavors=FLAVORS,
                             extra='[quota]\ncount_usage_from_placement = True\n') as env:
        res = env['admin'].put('/os-quota-sets/demo-project',
                               {'quota_set': {'cores': CORES}})
        assert res.status_int == 200, res.body
        yield env


def _boot(client, image, flavor='1', name='q'):
    return client.post('/servers', {'server': {'name': name, 'imageRef': image,
                                               'flavorRef': flavor}})


def _status(client, server_id):
    resp = client.get('/servers/%s' % server_id)
    return resp.json_body_or_none['server']['status'] if resp.status_int == 200 else None


def _in_use(env):
    detail = env['client'].get('/os-quota-sets/demo-project/detail').json_body_or_none
    return {name: detail['quota_set'][name]['in_use'] for name in ('instances', 'cores',
                                                                    'ram')}


def _delete(client, server_id):
    assert client.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404, what='gone')


def test_cores_quota_counts_placement_and_a_delete_frees_it(cloud_env):
    client = cloud_env['client']
    assert cloud_env['conf'].quota.count_usage_from_placement is True
    servers = []
    for index in range(CORES):
        resp = _boot(client, cloud_env['image'], name='q%d' % index)
        assert resp.status_int == 202, resp.body
        servers.append(resp.json_body_or_none['server']['id'])
        wait_for(lambda: _status(client, servers[-1]) == 'ACTIVE', what='server ACTIVE')
    assert _in_use(cloud_env) == {'instances': CORES, 'cores': CORES, 'ram': 512 * CORES}
    absolute = client.get('/limits').json_body_or_none['limits']['absolute']
    assert absolute['totalCoresUsed'] == CORES and absolute['maxTotalCores'] == CORES

    refused = _boot(client, cloud_env['image'], name='one-too-many')
    assert refused.status_int == 403, refused.body
    message = refused.json_body_or_none['forbidden']['message']
    assert 'Quota exceeded for cores' in message
    assert 'already used %d of %d cores' % (CORES, CORES) in message
    # The refused request left no server behind.
    names = [s['name'] for s in client.get('/servers').json_body_or_none['servers']]
    assert 'one-too-many' not in names

    _delete(client, servers.pop(0))
    wait_for(lambda: _in_use(cloud_env)['cores'] == CORES - 1, what='cores freed')
    assert _in_use(cloud_env) == {'instances': CORES - 1, 'cores': CORES - 1,
                                  'ram': 512 * (CORES - 1)}
    resp = _boot(client, cloud_env['image'], name='fits-again')
    assert resp.status_int == 202, resp.body
    servers.append(resp.json_body_or_none['server']['id'])
    wait_for(lambda: _status(client, servers[-1]) == 'ACTIVE', what='server ACTIVE')
    for server_id in servers:
        _delete(client, server_id)
    wait_for(lambda: _in_use(cloud_env) == {'instances': 0, 'cores': 0, 'ram': 0},
             what='usage back to nothing')


def test_a_server_without_allocations_counts_as_a_server_only(cloud_env):
    """Counted from the cells, the ERROR server in cell0 would use a core; Placement
    holds nothing for it, so only the instance mapping counts."""
    client = cloud_env['client']
    resp = _boot(client, cloud_env['image'], flavor='2', name='nowhere')
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    wait_for(lambda: _status(client, server_id) == 'ERROR', what='server ERROR')
    assert _in_use(cloud_env) == {'instances': 1, 'cores': 0, 'ram': 0}
    _delete(client, server_id)
    assert _in_use(cloud_env)['instances'] == 0
