"""A server's port across its moves, in the real Neutron (ML2/OVN,
tests/fixtures/neutron.py), with the fake driver on three fake compute hosts.

One server with a port goes through resize and confirm, cold migration and
revert, cold migration and confirm, shelve offload and unshelve, live
migration (aborted once, completed once) and evacuation. After each step
Neutron binds the port to the host the server names and to no other: the
port's ``binding:host_id`` and its list of bindings (Neutron's
``binding-extended``) hold exactly that host's ACTIVE binding. While a live
migration runs the destination holds an INACTIVE binding besides; an abort
drops it, a completion activates it and drops the source's. A shelved
offloaded server's port is bound nowhere. The delete leaves no port.
"""

import pytest

from tests.fixtures import cloud
from tests.fixtures.neutron import neutron  # noqa: F401
from tests.fixtures.waiting import wait_for
from tests.functional.boot.test_boot_flow import _status
from tests.functional.image.test_glance_client import glance_url  # noqa: F401
from tests.functional.moves.test_evacuate_flow import _force_down
from tests.functional.moves.test_live_migration_flow import _live
from tests.functional.moves.test_live_migration_flow import _slow
from tests.functional.moves.test_live_migration_flow import _v
from tests.functional.moves.test_live_migration_flow import _in_progress
from tests.functional.moves.test_live_migration_flow import _live_migrations
from tests.functional.moves.test_live_migration_flow import _settled
from tests.functional.moves.test_resize_flow import _action
from tests.functional.moves.test_resize_flow import _host
from tests.functional.moves.test_resize_flow import _migration_status

HOSTS = ('portmove-compute-1', 'portmove-compute-2', 'portmove-compute-3')
FLAVORS = (cloud.TINY, ('m1.small', 2, 1024, 2))
# On a loaded machine this Neutron (one process, API and OVN events) has been
# seen to take a minute over one port update: Nova waits for it, so do the waits.
NEUTRON_TIMEOUT = 120
WAIT = 180


@pytest.fixture(scope='module')
def env(tmp_path_factory, glance_url, neutron):  # noqa: F811
    neutron.add_hosts(HOSTS)
    with cloud.running_cloud(tmp_path_factory.mktemp('portmovecloud'), glance_url=glance_url,
                             hosts=HOSTS, flavors=FLAVORS,
                             extra=neutron.nova_conf(timeout=NEUTRON_TIMEOUT)) as env:
        yield env


def _bindings(neutron, port_id):  # noqa: F811
    listed = neutron.get('/ports/%s/bindings' % port_id)['bindings']
    return sorted((b['host'], b['status']) for b in listed)


def _port(neutron, server_id):  # noqa: F811
    [port] = neutron.ports(device_id=server_id)
    return port


def _bound_where_it_runs(env, neutron, server_id, address):  # noqa: F811
    """The port is bound to the server's host, only there; the server (its info
    cache) still shows the port's address. The host."""
    host = _host(env, server_id)
    port = _port(neutron, server_id)
    assert (port['binding:host_id'], port['binding:vif_type']) == (host, 'ovs')
    assert _bindings(neutron, port['id']) == [(host, 'ACTIVE')]
    server = env['client'].get('/servers/%s' % server_id).json_body_or_none['server']
    assert [a['addr'] for a in server['addresses']['private']] == [address]
    return host


def _wait_status(env, server_id, status):
    wait_for(lambda: _status(env['client'], server_id) == status, timeout=WAIT,
             what='server %s' % status)


def _wait_migration(env, server_id, status):
    wait_for(lambda: _live_migrations(env, server_id)[0]['status'] == status, timeout=WAIT,
             what='live migration %s' % status)
    wait_for(lambda: _settled(env, server_id), timeout=WAIT, what='server settled')


def _wait_running(env, server_id):
    def running():
        listed = _in_progress(env, server_id)
        return listed and listed[0]['status'] == 'running' and listed[0]
    return wait_for(running, timeout=WAIT, what='live migration running')


def _delete(env, server_id):
    assert env['client'].delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: env['client'].get('/servers/%s' % server_id).status_int == 404,
             timeout=WAIT, what='server gone')


def _cold_move(env, server_id, body):
    assert _action(env['admin'], server_id, body).status_int == 202
    _wait_status(env, server_id, 'VERIFY_RESIZE')


def _settle(env, server_id, body, status):
    resp = _action(env['client'], server_id, body)
    assert resp.status_int in (202, 204), resp.body
    wait_for(lambda: _migration_status(env, server_id) == status, timeout=WAIT,
             what='migration ' + status)
    _wait_status(env, server_id, 'ACTIVE')


def _live_running(env, neutron, server_id, source):  # noqa: F811
    """Start a (slow) live migration; once it runs, the destination holds an
    inactive binding beside the source's active one. The running migration."""
    assert _live(env, server_id).status_int == 202
    running = _wait_running(env, server_id)
    dest = running['dest_compute']
    assert _bindings(neutron, _port(neutron, server_id)['id']) == sorted(
        [(source, 'ACTIVE'), (dest, 'INACTIVE')])
    assert _port(neutron, server_id)['binding:host_id'] == source
    return running


def test_the_port_follows_every_move(env, neutron, monkeypatch):  # noqa: F811
    resp = env['client'].post('/servers', {'server': {
        'name': 'mover', 'imageRef': env['image'], 'flavorRef': '1',
        'networks': [{'uuid': neutron.network_id}]}})
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    _wait_status(env, server_id, 'ACTIVE')
    address = _port(neutron, server_id)['fixed_ips'][0]['ip_address']
    first = _bound_where_it_runs(env, neutron, server_id, address)

    # Resize: bound to the destination when the guest starts there; confirmed.
    _cold_move(env, server_id, {'resize': {'flavorRef': '2'}})
    resized = _bound_where_it_runs(env, neutron, server_id, address)
    assert resized != first
    _settle(env, server_id, {'confirmResize': None}, 'confirmed')
    assert _bound_where_it_runs(env, neutron, server_id, address) == resized

    # Cold migration reverted: bound back to where it was.
    _cold_move(env, server_id, {'migrate': None})
    assert _bound_where_it_runs(env, neutron, server_id, address) != resized
    _settle(env, server_id, {'revertResize': None}, 'reverted')
    assert _bound_where_it_runs(env, neutron, server_id, address) == resized

    # Cold migration confirmed.
    _cold_move(env, server_id, {'migrate': None})
    _settle(env, server_id, {'confirmResize': None}, 'confirmed')
    migrated = _bound_where_it_runs(env, neutron, server_id, address)
    assert migrated != resized

    # Shelve offload: the port stays the server's, bound nowhere; unshelve binds it.
    assert _action(env['client'], server_id, {'shelve': None}).status_int == 202
    _wait_status(env, server_id, 'SHELVED_OFFLOADED')
    port = _port(neutron, server_id)
    assert (port['binding:host_id'], port['device_id']) == ('', server_id)
    assert _action(env['client'], server_id, {'unshelve': None}).status_int == 202
    _wait_status(env, server_id, 'ACTIVE')
    unshelved = _bound_where_it_runs(env, neutron, server_id, address)

    # Live migration aborted: the destination's inactive binding goes.
    _slow(monkeypatch)
    running = _live_running(env, neutron, server_id, unshelved)
    resp = env['admin'].delete('/servers/%s/migrations/%d' % (server_id, running['id']),
                               headers=_v('2.24'))
    assert resp.status_int == 202, resp.body
    _wait_migration(env, server_id, 'cancelled')
    # The destination is told to roll back by a cast: its binding goes soon after.
    port_id = _port(neutron, server_id)['id']
    wait_for(lambda: len(_bindings(neutron, port_id)) == 1, timeout=WAIT,
             what='destination binding gone')
    assert _bound_where_it_runs(env, neutron, server_id, address) == unshelved

    # Live migration completed: the destination's binding is activated and the
    # source's (inactive after that) dropped.
    running = _live_running(env, neutron, server_id, unshelved)
    resp = env['admin'].post('/servers/%s/migrations/%d/action' % (server_id, running['id']),
                             {'force_complete': None}, headers=_v('2.22'))
    assert resp.status_int == 202, resp.body
    _wait_migration(env, server_id, 'completed')
    live = _bound_where_it_runs(env, neutron, server_id, address)
    assert live == running['dest_compute'] != unshelved

    # Evacuation from a host whose nova-compute is down: bound to the new host.
    svc = next(s for s in env['services'] if getattr(s, 'host', None) == live and
               s.binary == 'nova-compute')
    svc.stop()
    env['services'].remove(svc)
    _force_down(env, live, True)
    resp = env['admin'].post('/servers/%s/action' % server_id, {'evacuate': {}},
                             headers=_v('2.68'))
    assert resp.status_int == 200, resp.body
    wait_for(lambda: _host(env, server_id) != live and
             _status(env['client'], server_id) == 'ACTIVE', timeout=WAIT, what='evacuated')
    assert _bound_where_it_runs(env, neutron, server_id, address) != live

    _delete(env, server_id)
    assert neutron.ports(device_id=server_id) == []
