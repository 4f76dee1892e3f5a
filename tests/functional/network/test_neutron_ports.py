"""Servers' ports in the real Neutron (ML2/OVN, tests/fixtures/neutron.py) with
the fake driver: what a boot creates and binds, a delete removes.

Every nova service in this process (real RabbitMQ, Placement, Glance, SQLite
cells); Nova reaches Neutron through the fixture's fault proxy.
"""

import pytest

from tests.fixtures import cloud
from tests.fixtures.neutron import neutron  # noqa: F401
from tests.fixtures.waiting import wait_for
from tests.functional.boot.test_boot_flow import _status
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

HOSTS = ('ports-compute-1', 'ports-compute-2')


@pytest.fixture(scope='module')
def env(tmp_path_factory, glance_url, neutron):  # noqa: F811
    neutron.add_hosts(HOSTS)
    with cloud.running_cloud(tmp_path_factory.mktemp('portscloud'), glance_url=glance_url,
                             hosts=HOSTS, extra=neutron.nova_conf()) as env:
        yield env


def _boot(env, neutron, name, **extra):  # noqa: F811
    server = {'name': name, 'imageRef': env['image'], 'flavorRef': '1',
              'networks': [{'uuid': neutron.network_id}]}
    server.update(extra)
    resp = env['client'].post('/servers', {'server': server})
    assert resp.status_int == 202, resp.body
    return resp.json_body_or_none['server']['id']


def _delete(env, server_id):
    assert env['client'].delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: env['client'].get('/servers/%s' % server_id).status_int == 404,
             what='server %s gone' % server_id)


def test_a_server_gets_a_bound_port_and_its_delete_removes_it(env, neutron):  # noqa: F811
    server_id = _boot(env, neutron, 'ported')
    wait_for(lambda: _status(env['client'], server_id) == 'ACTIVE', what='ACTIVE')
    server = env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']
    [port] = neutron.ports(device_id=server_id)
    assert port['binding:host_id'] == server['OS-EXT-SRV-ATTR:host']
    assert port['binding:vif_type'] == 'ovs'
    assert port['device_owner'] == 'compute:nova'
    assert port['network_id'] == neutron.network_id
    address = port['fixed_ips'][0]['ip_address']
    assert [a['addr'] for a in server['addresses']['private']] == [address]
    _delete(env, server_id)
    assert neutron.ports(device_id=server_id) == []
