"""Live migration across ten fake compute services, through the REST API.

Every service in this process over the real RabbitMQ, Placement, Glance and
SQLite cells. After each migration the server, its migration records, the
fake hypervisors and Placement must agree: while it runs the migration
holds the source's allocation and the server the destination's; once done
only the server's (on the destination) is left; an abort, a refusal or a
failure leaves the server running where it was, holding exactly what it
held before.
"""

import pytest

from nova import exception
from nova.virt import fake
from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.boot.test_boot_flow import _usages
from tests.functional.image.test_glance_client import glance_url  # noqa: F401
from tests.functional.moves.test_resize_flow import _action
from tests.functional.moves.test_resize_flow import _allocations
from tests.functional.moves.test_resize_flow import _boot
from tests.functional.moves.test_resize_flow import _computes
from tests.functional.moves.test_resize_flow import _delete
from tests.functional.moves.test_resize_flow import _host
from tests.functional.moves.test_resize_flow import _migrations
from tests.functional.moves.test_resize_flow import _provider_of
from tests.functional.moves.test_resize_flow import _server

HOSTS = tuple('live-compute-%d' % i for i in range(1, 11))
TINY = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}


def _v(version):
    return {'X-OpenStack-Nova-API-Version': version}


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    with cloud.running_cloud(tmp_path_factory.mktemp('livecloud'), glance_url=glance_url,
                             hosts=HOSTS) as env:
        yield env


def _live(env, server_id, host=None, version='2.68', **extra):
    body = {'os-migrateLive': dict({'host': host, 'block_migration': 'auto'}, **extra)}
    return _action(env['admin'], server_id, body, headers=_v(version))


def _plus_one(usages):
    """Placement's usages with one more tiny server than ``usages``."""
    return {rc: usages.get(rc, 0) + n for rc, n in TINY.items()}


def _compute(env, host):
    return next(svc for svc in _computes(env) if svc.host == host)


def _guest_hosts(env, server_id):
    """The hosts whose fake hypervisor has the guest."""
    return [svc.host for svc in _computes(env) if server_id in svc.manager.driver.instances]


def _settled(env, server_id):
    server = _server(env, server_id)
    return server if server['status'] == 'ACTIVE' and \
        not server['OS-EXT-STS:task_state'] else None


def _live_migrations(env, server_id):
    return [m for m in _migrations(env, server_id) if m['migration_type'] == 'live-migration']


def _wait_migration(env, server_id, status):
    def reached():
        listed = _live_migrations(env, server_id)
        return listed and listed[0]['status'] == status
    wait_for(reached, timeout=60, what='live migration %s' % status)
    wait_for(lambda: _settled(env, server_id), timeout=60, what='server settled')
    return _live_migrations(env, server_id)[0]


def _in_progress(env, server_id):
    resp = env['admin'].get('/servers/%s/migrations' % server_id, headers=_v('2.80'))
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['migrations']


def _assert_only_on(env, server_id, host, migration_uuid):
    assert _host(env, server_id) == host
    assert _guest_hosts(env, server_id) == [host]
    assert _allocations(env, server_id) == {_provider_of(env, host): TINY}
    assert _allocations(env, migration_uuid) == {}


def test_scheduler_picked_then_named_host(cloud_env):
    baseline = _usages(cloud_env)
    server_id = _boot(cloud_env, 'wanderer')
    source = _host(cloud_env, server_id)
    resp = _live(cloud_env, server_id)
    assert resp.status_int == 202, resp.body
    first = _wait_migration(cloud_env, server_id, 'completed')
    dest = _host(cloud_env, server_id)
    assert dest != source
    assert (first['source_compute'], first['dest_compute']) == (source, dest)
    _assert_only_on(cloud_env, server_id, dest, first['uuid'])
    # The guest's console came along and kept going.
    console = cloud_env['client'].post('/servers/%s/action' % server_id,
                                       {'os-getConsoleOutput': {}}).json_body_or_none['output']
    assert 'booted' in console and 'arrived by live migration' in console

    # Back to the source, by name (2.30 without force: the scheduler checks it).
    resp = _live(cloud_env, server_id, host=source, version='2.30', force=False)
    assert resp.status_int == 202, resp.body
    wait_for(lambda: len(_live_migrations(cloud_env, server_id)) == 2, what='2nd migration')
    second = _wait_migration(cloud_env, server_id, 'completed')
    assert (second['source_compute'], second['dest_compute']) == (dest, source)
    _assert_only_on(cloud_env, server_id, source, second['uuid'])
    actions = cloud_env['admin'].get('/servers/%s/os-instance-actions' % server_id)
    assert [a['action'] for a in actions.json_body_or_none['instanceActions']].count(
        'live-migration') == 2
    assert _usages(cloud_env) == _plus_one(baseline)
    _delete(cloud_env, server_id)


def test_forced_host_and_2_1_body(cloud_env):
    server_id = _boot(cloud_env, 'forced')
    source = _host(cloud_env, server_id)
    target = next(h for h in HOSTS if h != source)
    resp = _live(cloud_env, server_id, host=target, version='2.30', force=True)
    assert resp.status_int == 202, resp.body
    migration = _wait_migration(cloud_env, server_id, 'completed')
    _assert_only_on(cloud_env, server_id, target, migration['uuid'])
    # 2.1's body: a boolean block_migration and disk_over_commit, checked while
    # the request waits (before 2.34).
    body = {'os-migrateLive': {'host': source, 'block_migration': False,
                               'disk_over_commit': False}}
    resp = _action(cloud_env['admin'], server_id, body, headers=_v('2.1'))
    assert resp.status_int == 202, resp.body
    wait_for(lambda: len(_live_migrations(cloud_env, server_id)) == 2, what='2nd migration')
    second = _wait_migration(cloud_env, server_id, 'completed')
    _assert_only_on(cloud_env, server_id, source, second['uuid'])
    _delete(cloud_env, server_id)


def test_refusals_change_nothing(cloud_env):
    server_id = _boot(cloud_env, 'refused')
    source = _host(cloud_env, server_id)
    before = _allocations(cloud_env, server_id)
    bad = [
        ('2.26', {'host': None, 'block_migration': 'auto', 'disk_over_commit': False}),
        ('2.68', {'host': None, 'block_migration': 'auto', 'force': True}),
        ('2.30', {'host': None, 'block_migration': 'auto', 'force': True}),
        ('2.1', {'host': None, 'block_migration': 'auto', 'disk_over_commit': False}),
        ('2.25', {'host': 'no-such-host', 'block_migration': 'auto'}),
        # Before 2.34 conductor's checks answer the request itself.
        ('2.25', {'host': source, 'block_migration': 'auto'}),
    ]
    for version, body in bad:
        resp = _action(cloud_env['admin'], server_id, {'os-migrateLive': body},
                       headers=_v(version))
        assert resp.status_int == 400, (version, body, resp.body)
        assert 'badRequest' in resp.json_body_or_none
    # Not an administrator: the policy refuses.
    resp = _action(cloud_env['client'], server_id,
                   {'os-migrateLive': {'host': None, 'block_migration': 'auto'}},
                   headers=_v('2.68'))
    assert resp.status_int == 403, resp.body
    # A stopped server cannot be live-migrated.
    assert _action(cloud_env['client'], server_id, {'os-stop': None}).status_int == 202
    wait_for(lambda: _server(cloud_env, server_id)['status'] == 'SHUTOFF', what='stopped')
    resp = _live(cloud_env, server_id)
    assert resp.status_int == 409, resp.body
    assert _host(cloud_env, server_id) == source
    assert _allocations(cloud_env, server_id) == before
    assert all(m['status'] == 'error' for m in _live_migrations(cloud_env, server_id))
    _delete(cloud_env, server_id)


def _slow(monkeypatch):
    """Migrations that run (making progress) until someone stops them."""
    monkeypatch.setattr(fake.FakeDriver, 'live_migration_steps', 100000)
    monkeypatch.setattr(fake.FakeDriver, 'live_migration_step_seconds', 0.05)


def _wait_running(env, server_id):
    def running():
        listed = _in_progress(env, server_id)
        return listed and listed[0]['status'] == 'running' and \
            listed[0]['memory_processed_bytes'] and listed[0]
    return wait_for(running, timeout=60, what='live migration running with progress')


def test_progress_then_abort_leaves_it_where_it_was(cloud_env, monkeypatch):
    _slow(monkeypatch)
    server_id = _boot(cloud_env, 'aborted')
    source = _host(cloud_env, server_id)
    assert _live(cloud_env, server_id).status_int == 202
    running = _wait_running(cloud_env, server_id)
    assert running['memory_total_bytes'] == 512 * 1024 * 1024
    assert running['memory_remaining_bytes'] == running['memory_total_bytes'] - \
        running['memory_processed_bytes']
    assert running['disk_total_bytes'] == 1024 ** 3  # no shared storage: the disk is copied
    shown = cloud_env['admin'].get('/servers/%s/migrations/%d' % (server_id, running['id']),
                                   headers=_v('2.24')).json_body_or_none['migration']
    assert shown['dest_compute'] == running['dest_compute'] != source
    # While it runs the migration holds the source, the server the destination.
    assert _allocations(cloud_env, running['uuid']) == {_provider_of(cloud_env, source): TINY}
    assert _allocations(cloud_env, server_id) == {
        _provider_of(cloud_env, running['dest_compute']): TINY}
    resp = cloud_env['admin'].delete('/servers/%s/migrations/%d' % (server_id, running['id']),
                                     headers=_v('2.24'))
    assert resp.status_int == 202, resp.body
    migration = _wait_migration(cloud_env, server_id, 'cancelled')
    _assert_only_on(cloud_env, server_id, source, migration['uuid'])
    assert _in_progress(cloud_env, server_id) == []
    _delete(cloud_env, server_id)


def test_force_complete_finishes_it(cloud_env, monkeypatch):
    _slow(monkeypatch)
    server_id = _boot(cloud_env, 'hurried')
    assert _live(cloud_env, server_id).status_int == 202
    running = _wait_running(cloud_env, server_id)
    resp = cloud_env['admin'].post(
        '/servers/%s/migrations/%d/action' % (server_id, running['id']),
        {'force_complete': None}, headers=_v('2.22'))
    assert resp.status_int == 202, resp.body
    migration = _wait_migration(cloud_env, server_id, 'completed')
    _assert_only_on(cloud_env, server_id, running['dest_compute'], migration['uuid'])
    _delete(cloud_env, server_id)


def test_a_refusing_destination_is_skipped(cloud_env, monkeypatch):
    baseline = _usages(cloud_env)
    server_id = _boot(cloud_env, 'picky')
    refused = []
    for svc in _computes(cloud_env):
        driver = svc.manager.driver
        real = driver.check_can_live_migrate_destination

        def refuse_once(*args, _real=real, _host=svc.host, **kwargs):
            if not refused:
                refused.append(_host)
                raise exception.MigrationPreCheckError(reason='injected refusal')
            return _real(*args, **kwargs)
        monkeypatch.setattr(driver, 'check_can_live_migrate_destination', refuse_once)
    assert _live(cloud_env, server_id).status_int == 202
    migration = _wait_migration(cloud_env, server_id, 'completed')
    assert refused and migration['dest_compute'] != refused[0]
    _assert_only_on(cloud_env, server_id, migration['dest_compute'], migration['uuid'])
    # The refused host's claim went: one server's worth more than before.
    assert _usages(cloud_env) == _plus_one(baseline)
    _delete(cloud_env, server_id)


def test_a_failed_migration_rolls_back(cloud_env, monkeypatch):
    baseline = _usages(cloud_env)
    server_id = _boot(cloud_env, 'unlucky')
    source = _host(cloud_env, server_id)
    driver = _compute(cloud_env, source).manager.driver

    def broken(*args, **kwargs):
        raise RuntimeError('injected: the migration stream broke')
    monkeypatch.setattr(driver, 'live_migration', broken)
    assert _live(cloud_env, server_id).status_int == 202
    migration = _wait_migration(cloud_env, server_id, 'error')
    _assert_only_on(cloud_env, server_id, source, migration['uuid'])
    assert _server(cloud_env, server_id)['status'] == 'ACTIVE'
    assert _usages(cloud_env) == _plus_one(baseline)
    _delete(cloud_env, server_id)
