"""A simulated fleet: one nova-compute whose fake driver reports many nodes.

Each node becomes its own compute node record, hypervisor and resource
provider in Placement; a min_count boot spreads over them and each server's
allocation is against the provider of the node it reports.
"""

import pytest
import requests

from nova.virt import fake
from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

NODES = ['fleet-node-%02d' % i for i in range(8)]
_PLACEMENT = {'X-Auth-Token': 'admin', 'OpenStack-API-Version': 'placement 1.39'}


@pytest.fixture
def fleet(tmp_path, glance_url):  # noqa: F811
    fake.set_nodes(NODES)
    try:
        with cloud.running_cloud(tmp_path, glance_url=glance_url,
                                 hosts=['fleet-compute']) as env:
            yield env
    finally:
        fake.restore_nodes()


def _placement(env, path):
    resp = requests.get(env['placement'] + path, headers=_PLACEMENT, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_one_compute_reports_many_nodes_and_boots_spread_over_them(fleet):
    admin = fleet['admin']

    def hypervisors():
        found = admin.get('/os-hypervisors/detail', version='2.53'
                          ).json_body_or_none['hypervisors']
        return len(found) == len(NODES) and found

    found = wait_for(hypervisors, timeout=180, what='every fake node a hypervisor')
    assert sorted(h['hypervisor_hostname'] for h in found) == NODES
    assert {h['service']['host'] for h in found} == {'fleet-compute'}
    node_uuid = {h['hypervisor_hostname']: h['id'] for h in found}
    providers = {p['uuid']: p['name'] for p in
                 _placement(fleet, '/resource_providers')['resource_providers']}
    assert {node_uuid[n] for n in NODES} <= set(providers)

    resp = fleet['client'].post('/servers', {'server': {
        'name': 'fleet', 'imageRef': fleet['image'], 'flavorRef': '1',
        'min_count': 4, 'max_count': 4}})
    assert resp.status_int == 202, resp.body

    def all_active():
        servers = admin.get('/servers/detail?all_tenants=1&name=fleet'
                            ).json_body_or_none['servers']
        return (len(servers) == 4 and all(s['status'] == 'ACTIVE' for s in servers)
                and servers)

    servers = wait_for(all_active, timeout=180, what='four servers ACTIVE')
    nodes = [s['OS-EXT-SRV-ATTR:hypervisor_hostname'] for s in servers]
    assert set(nodes) <= set(NODES)
    assert len(set(nodes)) > 1  # spread, not all on one node
    for server, node in zip(servers, nodes):
        allocations = _placement(fleet, '/allocations/%s' % server['id'])['allocations']
        assert list(allocations) == [node_uuid[node]]
