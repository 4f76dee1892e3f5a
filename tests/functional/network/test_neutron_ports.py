"""Servers' ports in the real Neutron (ML2/OVN, tests/fixtures/neutron.py) with
the fake driver: what a boot creates and binds, a delete removes, across
reschedules, failed builds and a Neutron that is down or answers 500.

Every nova service in this process (real RabbitMQ, Placement, Glance, SQLite
cells), three computes; Nova reaches Neutron through the fixture's fault
proxy. Failures of the hypervisor are injected into the fake driver's spawn.
"""

import threading

import pytest

from tests.fixtures import cloud
from tests.fixtures.neutron import neutron  # noqa: F401
from tests.fixtures.waiting import wait_for
from tests.functional.boot.test_boot_flow import _status
from tests.functional.boot.test_boot_flow import _usages
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

HOSTS = ('ports-compute-1', 'ports-compute-2', 'ports-compute-3')
ZERO = {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
ONE_TINY = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}
SETTLED = ('ACTIVE', 'ERROR')
# Fifty servers of one project at a time, built a few at a time per host (one
# Neutron API worker on a loaded two-core machine creates their ports).
UNLIMITED = ('\n[DEFAULT]\nmax_concurrent_builds = 2\n'
             '[quota]\ninstances = -1\ncores = -1\nram = -1\n')


@pytest.fixture(scope='module')
def env(tmp_path_factory, glance_url, neutron):  # noqa: F811
    neutron.add_hosts(HOSTS)
    with cloud.running_cloud(tmp_path_factory.mktemp('portscloud'), glance_url=glance_url,
                             hosts=HOSTS, extra=neutron.nova_conf() + UNLIMITED) as env:
        yield env


@pytest.fixture
def spawns(env, monkeypatch):
    """Fake driver spawns that fail on demand: a server named ``fail-*`` fails on
    every host, one named ``resched-*`` on the first host it reaches only.
    Yields {server name: [hosts tried]}."""
    tried, lock = {}, threading.Lock()
    for service in env['services'][2:]:
        driver = service.manager.driver
        real = driver.spawn

        def spawn(context, instance, *args, _real=real, _host=service.host, **kwargs):
            with lock:
                hosts = tried.setdefault(instance.display_name, [])
                hosts.append(_host)
                first = len(hosts) == 1
            name = instance.display_name
            if name.startswith('fail-') or (name.startswith('resched-') and first):
                raise RuntimeError('injected spawn failure on %s' % _host)
            return _real(context, instance, *args, **kwargs)
        monkeypatch.setattr(driver, 'spawn', spawn)
    return tried


def _boot(env, neutron, name, count=1):  # noqa: F811
    server = {'name': name, 'imageRef': env['image'], 'flavorRef': '1',
              'networks': [{'uuid': neutron.network_id}]}
    if count > 1:
        server.update(min_count=count, max_count=count, return_reservation_id=True)
    resp = env['client'].post('/servers', {'server': server})
    assert resp.status_int == 202, resp.body
    body = resp.json_body_or_none
    if count == 1:
        return [body['server']['id']]
    listed = env['client'].get('/servers?reservation_id=%s' % body['reservation_id'])
    ids = [s['id'] for s in listed.json_body_or_none['servers']]
    assert len(ids) == count
    return ids


def _server(env, server_id):
    return env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']


def _wait_settled(env, server_id):
    return wait_for(lambda: _status(env['client'], server_id) in SETTLED and
                    _status(env['client'], server_id), timeout=120,
                    what='server %s ACTIVE or ERROR' % server_id)


def _delete(env, server_id):
    assert env['client'].delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: env['client'].get('/servers/%s' % server_id).status_int == 404,
             timeout=60, what='server %s gone' % server_id)


def _our_ports(neutron, server_ids):  # noqa: F811
    wanted = set(server_ids)
    return [p for p in neutron.ports(network_id=neutron.network_id)
            if p['device_id'] in wanted]


def test_a_server_gets_a_bound_port_and_its_delete_removes_it(env, neutron):  # noqa: F811
    [server_id] = _boot(env, neutron, 'ported')
    wait_for(lambda: _status(env['client'], server_id) == 'ACTIVE', what='ACTIVE')
    server = _server(env, server_id)
    [port] = neutron.ports(device_id=server_id)
    assert port['binding:host_id'] == server['OS-EXT-SRV-ATTR:host']
    assert port['binding:vif_type'] == 'ovs'
    assert port['device_owner'] == 'compute:nova'
    assert port['network_id'] == neutron.network_id
    address = port['fixed_ips'][0]['ip_address']
    assert [a['addr'] for a in server['addresses']['private']] == [address]
    _delete(env, server_id)
    assert neutron.ports(device_id=server_id) == []


def test_fifty_boots_with_reschedules_and_failed_builds_leave_no_port(env, neutron,  # noqa: F811
                                                                     spawns):
    """30 servers in two multi-creates, 10 rescheduled once, 10 failing on every
    host: each ACTIVE server has one port, bound where it runs; a failed build
    has none; after the deletes no port of theirs is left, nor any usage."""
    ids = _boot(env, neutron, 'many-a', count=15) + _boot(env, neutron, 'many-b', count=15)
    resched = [_boot(env, neutron, 'resched-%d' % i)[0] for i in range(10)]
    failed = [_boot(env, neutron, 'fail-%d' % i)[0] for i in range(10)]
    everyone = ids + resched + failed
    assert len(everyone) == 50
    states = {server_id: _wait_settled(env, server_id) for server_id in everyone}
    assert {states[s] for s in ids + resched} == {'ACTIVE'}
    assert {states[s] for s in failed} == {'ERROR'}
    ports = {}
    for port in _our_ports(neutron, everyone):
        ports.setdefault(port['device_id'], []).append(port)
    for server_id in ids + resched:
        server = _server(env, server_id)
        [port] = ports.pop(server_id)
        assert port['binding:host_id'] == server['OS-EXT-SRV-ATTR:host']
        assert port['fixed_ips'][0]['ip_address'] in [
            a['addr'] for a in server['addresses']['private']]
    assert ports == {}  # the failed builds have none
    for i, server_id in enumerate(resched):
        tried = spawns['resched-%d' % i]
        assert len(tried) == 2 and tried[0] != tried[1]
        assert _server(env, server_id)['OS-EXT-SRV-ATTR:host'] == tried[1]
    assert all(len(spawns['fail-%d' % i]) == len(HOSTS) for i in range(10))
    for server_id in everyone:
        assert env['client'].delete('/servers/%s' % server_id).status_int == 204
    for server_id in everyone:
        wait_for(lambda: env['client'].get('/servers/%s' % server_id).status_int == 404,
                 timeout=60, what='server %s gone' % server_id)
    assert _our_ports(neutron, everyone) == []
    assert _usages(env) == ZERO


@pytest.mark.parametrize('status', [500, None], ids=['neutron-500', 'neutron-down'])
def test_a_boot_neutron_fails_ends_in_error_saying_so_with_nothing_left(env, neutron,  # noqa: F811
                                                                       status):
    """The API's checks pass, then Neutron fails the port's creation on the
    host: no reschedule (every host would fail alike), ERROR with a fault
    naming the networking service, no allocation, no port."""
    with neutron.proxy.failing(status, method='POST', path='/v2.0/ports'):
        [server_id] = _boot(env, neutron, 'neutron-failed')
        assert _wait_settled(env, server_id) == 'ERROR'
    server = _server(env, server_id)
    message = server['fault']['message']
    assert 'Failed to allocate the network(s), not rescheduling' in message
    assert 'networking service' in message.lower()
    assert _usages(env) == ZERO
    assert neutron.ports(device_id=server_id) == []
    _delete(env, server_id)


def test_a_create_while_neutron_is_down_is_refused_and_records_nothing(env, neutron):  # noqa: F811
    before = env['client'].get('/servers').json_body_or_none['servers']
    with neutron.proxy.failing(None):
        resp = env['client'].post('/servers', {'server': {
            'name': 'refused', 'imageRef': env['image'], 'flavorRef': '1',
            'networks': [{'uuid': neutron.network_id}]}})
    assert resp.status_int == 503, resp.body
    assert env['client'].get('/servers').json_body_or_none['servers'] == before


@pytest.mark.parametrize('status', [500, None], ids=['neutron-500', 'neutron-down'])
def test_a_delete_neutron_fails_keeps_the_server_until_a_later_delete(env, neutron,  # noqa: F811
                                                                     status):
    """As upstream: the guest is gone, but the server stays (ERROR, with a fault
    naming the networking service) with its port and allocation, so nothing is
    half-freed; deleting it again once Neutron answers removes everything."""
    [server_id] = _boot(env, neutron, 'undeletable')
    assert _wait_settled(env, server_id) == 'ACTIVE'
    with neutron.proxy.failing(status, method='DELETE' if status else None):
        assert env['client'].delete('/servers/%s' % server_id).status_int == 204
        wait_for(lambda: _status(env['client'], server_id) == 'ERROR', timeout=60,
                 what='the delete failed')
    server = _server(env, server_id)
    assert 'networking service' in server['fault']['message'].lower()
    assert len(neutron.ports(device_id=server_id)) == 1
    assert _usages(env) == ONE_TINY
    _delete(env, server_id)
    assert neutron.ports(device_id=server_id) == []
    assert _usages(env) == ZERO
