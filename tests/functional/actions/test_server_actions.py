"""Server actions over HTTP with every service in this process: API (paste
app, noauth2), conductor, scheduler and one fake compute over a private
RabbitMQ vhost, real Placement, real Glance, SQLite cells.

Each action is driven through ``POST /servers/{id}/action`` and followed to
the state upstream reaches; conflicts answer 409; every action appears in
``os-instance-actions`` with the compute event it caused.
"""

import pytest
import requests

from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

HOST = 'actions-compute'
RECLAIM_SECONDS = 2


@pytest.fixture(scope='module')
def env(tmp_path_factory, glance_url):  # noqa: F811
    extra = ('\n[DEFAULT]\nreclaim_instance_interval = %d\nsync_power_state_interval = 1\n'
             % RECLAIM_SECONDS)
    with cloud.running_cloud(tmp_path_factory.mktemp('actionscloud'), glance_url=glance_url,
                             hosts=(HOST,), extra=extra) as env:
        env.update(compute=env['services'][-1], glance=glance_url)
        try:
            yield env
        finally:
            # A restart test replaces env['compute']: the cloud stops the current one.
            env['services'][-1] = env['compute']


def _server(client, server_id, version=None):
    resp = client.get('/servers/%s' % server_id, version=version)
    return resp.json_body_or_none['server'] if resp.status_int == 200 else None


def _wait_status(client, server_id, status, task=None):
    def settled():
        server = _server(client, server_id, version='2.1')
        return (server is not None and server['status'] == status and
                server['OS-EXT-STS:task_state'] == task and server)
    return wait_for(settled, what='server %s %s' % (server_id, status))


def _boot(env, name='act'):
    client = env['client']
    resp = client.post('/servers', {'server': {
        'name': name, 'imageRef': env['image'], 'flavorRef': '1'}})
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    _wait_status(client, server_id, 'ACTIVE')
    return server_id


def _action(client, server_id, body, version=None):
    return client.post('/servers/%s/action' % server_id, body, version=version)


def _gone(env, server_id):
    """Delete (a soft delete here) and wait until compute has reclaimed the server."""
    env['admin'].delete('/servers/%s' % server_id)
    wait_for(lambda: env['client'].get('/servers/%s' % server_id).status_int == 404,
             what='server %s reclaimed' % server_id)


def _driver_state(env, server_id):
    return env['compute'].manager.driver.instances[server_id].state


def _actions(client, server_id, version='2.1'):
    resp = client.get('/servers/%s/os-instance-actions' % server_id, version=version)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['instanceActions']


def test_power_actions_move_through_upstream_states(env):
    client = env['client']
    server_id = _boot(env)
    try:
        assert _action(client, server_id, {'os-stop': None}).status_int == 202
        server = _wait_status(client, server_id, 'SHUTOFF')
        assert server['OS-EXT-STS:vm_state'] == 'stopped'
        assert server['OS-EXT-STS:power_state'] == 4
        assert _driver_state(env, server_id) == 4

        resp = _action(client, server_id, {'os-stop': None})
        assert resp.status_int == 409
        assert resp.json_body_or_none['conflictingRequest']['message'] == (
            "Cannot 'stop' instance %s while it is in vm_state stopped" % server_id)
        assert _action(client, server_id, {'pause': None}).status_int == 409

        assert _action(client, server_id, {'os-start': None}).status_int == 202
        _wait_status(client, server_id, 'ACTIVE')
        assert _action(client, server_id, {'os-start': None}).status_int == 409

        assert _action(client, server_id, {'pause': None}).status_int == 202
        server = _wait_status(client, server_id, 'PAUSED')
        assert server['OS-EXT-STS:power_state'] == 3
        assert _action(client, server_id, {'suspend': None}).status_int == 409
        assert _action(client, server_id, {'unpause': None}).status_int == 202
        _wait_status(client, server_id, 'ACTIVE')

        assert _action(client, server_id, {'suspend': None}).status_int == 202
        server = _wait_status(client, server_id, 'SUSPENDED')
        assert server['OS-EXT-STS:power_state'] == 7
        assert _action(client, server_id, {'resume': None}).status_int == 202
        _wait_status(client, server_id, 'ACTIVE')

        for kind in ('SOFT', 'HARD'):
            assert _action(client, server_id,
                           {'reboot': {'type': kind}}).status_int == 202
            _wait_status(client, server_id, 'ACTIVE')
        assert env['compute'].manager.driver.instances[server_id].reboots == ['SOFT', 'HARD']

        actions = _actions(client, server_id)
        assert [a['action'] for a in actions] == [
            'reboot', 'reboot', 'resume', 'suspend', 'unpause', 'pause', 'start', 'stop',
            'create']
        stop = [a for a in actions if a['action'] == 'stop'][0]
        shown = client.get('/servers/%s/os-instance-actions/%s' % (
            server_id, stop['request_id']), version='2.51').json_body_or_none
        events = shown['instanceAction']['events']
        assert [(e['event'], e['result']) for e in events] == [
            ('compute_stop_instance', 'Success')]
        assert 'traceback' not in events[0]
    finally:
        _gone(env, server_id)


def test_reboot_of_a_stopped_server_must_be_hard(env):
    client = env['client']
    server_id = _boot(env, 'rebooter')
    try:
        _action(client, server_id, {'os-stop': None})
        _wait_status(client, server_id, 'SHUTOFF')
        resp = _action(client, server_id, {'reboot': {'type': 'SOFT'}})
        assert resp.status_int == 409
        assert _action(client, server_id, {'reboot': {'type': 'HARD'}}).status_int == 202
        server = _wait_status(client, server_id, 'ACTIVE')
        assert server['OS-EXT-STS:power_state'] == 1
        assert _action(client, server_id, {'reboot': {'type': 'WARM'}}).status_int == 400
    finally:
        _gone(env, server_id)


def test_lock_blocks_the_owner_until_unlocked(env):
    client, admin = env['client'], env['admin']
    server_id = _boot(env, 'locked')
    try:
        resp = _action(client, server_id, {'lock': {'locked_reason': 'maintenance'}},
                       version='2.73')
        assert resp.status_int == 202, resp.body
        server = _server(client, server_id, version='2.73')
        assert server['locked'] is True and server['locked_reason'] == 'maintenance'
        resp = _action(client, server_id, {'os-stop': None})
        assert resp.status_int == 409
        assert 'is locked' in resp.json_body_or_none['conflictingRequest']['message']
        assert client.delete('/servers/%s' % server_id).status_int == 409
        assert _action(client, server_id, {'unlock': None}).status_int == 202
        assert _server(client, server_id, version='2.73')['locked_reason'] is None

        # A lock an administrator takes, the owner cannot lift (unlock_override).
        assert _action(admin, server_id, {'lock': None}).status_int == 202
        assert _action(client, server_id, {'unlock': None}).status_int == 403
        assert _action(admin, server_id, {'os-stop': None}).status_int == 202
        _wait_status(client, server_id, 'SHUTOFF')
        assert _action(admin, server_id, {'unlock': None}).status_int == 202
        names = [a['action'] for a in _actions(client, server_id)]
        assert names[:5] == ['unlock', 'stop', 'lock', 'unlock', 'lock']
    finally:
        _gone(env, server_id)


def test_other_projects_get_404_and_reset_state_is_admin_only(env):
    client, other, admin = env['client'], env['other'], env['admin']
    server_id = _boot(env, 'private')
    try:
        assert _action(other, server_id, {'os-stop': None}).status_int == 404
        assert other.get('/servers/%s/os-instance-actions' % server_id).status_int == 404
        assert _action(client, server_id,
                       {'os-resetState': {'state': 'error'}}).status_int == 403
        assert _action(admin, server_id,
                       {'os-resetState': {'state': 'bogus'}}).status_int == 400
        assert _action(admin, server_id,
                       {'os-resetState': {'state': 'error'}}).status_int == 202
        assert _server(client, server_id)['status'] == 'ERROR'
        # ERROR allows a hard reboot (and a stop), not a soft one, as upstream.
        assert _action(client, server_id, {'reboot': {'type': 'SOFT'}}).status_int == 409
        assert _action(client, server_id, {'reboot': {'type': 'HARD'}}).status_int == 202
        _wait_status(client, server_id, 'ACTIVE')
        assert _action(admin, server_id,
                       {'os-resetState': {'state': 'error'}}).status_int == 202
        assert _action(admin, server_id,
                       {'os-resetState': {'state': 'active'}}).status_int == 202
        assert _server(client, server_id)['status'] == 'ACTIVE'
        assert _actions(client, server_id)[0]['action'] == 'resetState'
        assert _action(client, server_id, {'noSuchAction': None}).status_int == 404
    finally:
        _gone(env, server_id)


def _glance_image(env, image_id):
    return requests.get(env['glance'] + '/v2/images/%s' % image_id,
                        headers={'X-Roles': 'admin'}, timeout=10).json()


def test_create_image_goes_active_in_glance(env):
    client = env['client']
    server_id = _boot(env, 'snapper')
    try:
        resp = _action(client, server_id, {'createImage': {
            'name': 'snap-1', 'metadata': {'purpose': 'test'}}}, version='2.45')
        assert resp.status_int == 202, resp.body
        image_id = resp.json_body_or_none['image_id']
        wait_for(lambda: _glance_image(env, image_id)['status'] == 'active',
                 what='snapshot active')
        image = _glance_image(env, image_id)
        assert image['name'] == 'snap-1' and image['purpose'] == 'test'
        assert image['instance_uuid'] == server_id and image['image_type'] == 'snapshot'
        assert image['size'] > 0
        _wait_status(client, server_id, 'ACTIVE')

        resp = _action(client, server_id, {'createImage': {'name': 'snap-2'}},
                       version='2.44')
        assert resp.status_int == 202 and not resp.body
        old_style_id = resp.headers['Location'].rsplit('/', 1)[-1]
        wait_for(lambda: _glance_image(env, old_style_id)['status'] == 'active',
                 what='second snapshot active')
        assert _action(client, server_id, {'createImage': {}}).status_int == 400
        action = _actions(client, server_id)[0]
        assert action['action'] == 'createImage'
        events = env['admin'].get('/servers/%s/os-instance-actions/%s' % (
            server_id, action['request_id'])).json_body_or_none['instanceAction']['events']
        assert [e['event'] for e in events] == ['compute_snapshot_instance']
        for image in (image_id, old_style_id):
            requests.delete(env['glance'] + '/v2/images/%s' % image,
                            headers={'X-Roles': 'admin'}, timeout=10)
    finally:
        _gone(env, server_id)


def test_create_backup_rotates_old_backups(env):
    client = env['client']
    server_id = _boot(env, 'backed-up')
    made = []
    try:
        for index in range(3):
            resp = _action(client, server_id, {'createBackup': {
                'name': 'daily-%d' % index, 'backup_type': 'daily', 'rotation': 2}},
                version='2.45')
            assert resp.status_int == 202, resp.body
            made.append(resp.json_body_or_none['image_id'])
            _wait_status(client, server_id, 'ACTIVE')

        def backups():
            return requests.get(env['glance'] + '/v2/images?instance_uuid=%s' % server_id,
                                headers={'X-Roles': 'admin'}, timeout=10).json()['images']
        # rotation runs after the task state is cleared (as upstream), so it may still be
        # deleting the oldest backup when the server reads ACTIVE
        wait_for(lambda: len(backups()) <= 2, timeout=30)
        listed = backups()
        assert sorted(i['id'] for i in listed) == sorted(made[1:])
        assert all(i['status'] == 'active' for i in listed)
        assert _action(client, server_id, {'createBackup': {
            'name': 'x', 'backup_type': 'daily', 'rotation': -1}}).status_int == 400
    finally:
        for image in made:
            requests.delete(env['glance'] + '/v2/images/%s' % image,
                            headers={'X-Roles': 'admin'}, timeout=10)
        _gone(env, server_id)


def test_console_output_and_crash_dump(env):
    client = env['client']
    server_id = _boot(env, 'console')
    try:
        resp = _action(client, server_id, {'os-getConsoleOutput': {}})
        assert resp.status_int == 200
        output = resp.json_body_or_none['output']
        assert 'FAKE CONSOLE OUTPUT' in output and 'booted' in output
        resp = _action(client, server_id, {'os-getConsoleOutput': {'length': 1}})
        assert resp.json_body_or_none['output'].count('\n') == 0
        assert _action(client, server_id,
                       {'os-getConsoleOutput': {'length': -2}}).status_int == 400
        assert _action(client, server_id, {'trigger_crash_dump': None},
                       version='2.16').status_int == 404
        assert _action(client, server_id, {'trigger_crash_dump': None},
                       version='2.17').status_int == 202
        wait_for(lambda: env['compute'].manager.driver.instances[server_id].crash_dumps == 1,
                 what='crash dump')
        _action(client, server_id, {'os-stop': None})
        _wait_status(client, server_id, 'SHUTOFF')
        assert _action(client, server_id, {'trigger_crash_dump': None},
                       version='2.17').status_int == 409
    finally:
        _gone(env, server_id)


def test_diagnostics_and_network_info_reach_the_compute_host(env):
    from tests.unit.api import shapes
    client, admin = env['client'], env['admin']
    server_id = _boot(env, 'diagnosed')
    url = '/servers/%s/diagnostics' % server_id
    try:
        assert client.get(url, version='2.48').status_int == 403
        resp = admin.get(url, version='2.48')
        assert resp.status_int == 200, resp.body
        sample = shapes.load('os-server-diagnostics/v2.48/server-diagnostics-get-resp.json')
        assert shapes.diff(sample, resp.json_body_or_none) == []
        assert resp.json_body_or_none['state'] == 'running'
        legacy = admin.get(url, version='2.47').json_body_or_none
        assert legacy['memory'] == 512 * 1024 and 'state' not in legacy

        assert _action(admin, server_id, {'injectNetworkInfo': None}).status_int == 202
        wait_for(lambda: env['compute'].manager.driver.instances[server_id].network_info
                 is not None, what='network info injected')
        assert _action(admin, server_id, {'resetNetwork': None}).status_int == 410

        _action(client, server_id, {'os-stop': None})
        _wait_status(client, server_id, 'SHUTOFF')
        resp = admin.get(url, version='2.48')
        assert resp.status_int == 409
        assert 'power state shutdown' in resp.json_body_or_none['conflictingRequest'][
            'message']
    finally:
        _gone(env, server_id)


def test_guest_dying_outside_nova_is_seen_as_shutoff(env):
    client = env['client']
    server_id = _boot(env, 'victim')
    try:
        # Lifecycle event path (what libvirt reports after a virsh destroy).
        env['compute'].manager.driver.simulate_guest_shutdown(server_id)
        server = _wait_status(client, server_id, 'SHUTOFF')
        assert server['OS-EXT-STS:power_state'] == 4
        assert _actions(client, server_id)[0]['action'] == 'stop'
        _action(client, server_id, {'os-start': None})
        _wait_status(client, server_id, 'ACTIVE')
        # Periodic sync path: the guest stops without any event.
        env['compute'].manager.driver.instances[server_id].state = 4
        _wait_status(client, server_id, 'SHUTOFF')
    finally:
        _gone(env, server_id)


def test_soft_delete_restore_and_reclaim(env):
    client, admin = env['client'], env['admin']
    from nova import conf
    server_id = _boot(env, 'deferred')
    # While the restore is checked the periodic reclaim must not win the race (on a busy
    # machine the steps below take longer than the cloud's short interval).
    conf.CONF.set_override('reclaim_instance_interval', 3600)
    try:
        resp = client.delete('/servers/%s' % server_id)
        assert resp.status_int == 204
        server = wait_for(lambda: (_server(client, server_id) or {}).get('status') ==
                          'SOFT_DELETED' and _server(client, server_id), what='soft deleted')
        assert server['OS-EXT-STS:power_state'] == 4
        assert _action(client, server_id, {'os-start': None}).status_int == 409
        assert _action(client, server_id, {'restore': None}).status_int == 202
        server = _wait_status(client, server_id, 'ACTIVE')
        assert server['OS-EXT-STS:power_state'] == 1
        assert _action(client, server_id, {'restore': None}).status_int == 409
        names = [a['action'] for a in _actions(client, server_id)]
        assert names[:2] == ['restore', 'delete']
    finally:
        conf.CONF.clear_override('reclaim_instance_interval')
    # Deleted again, compute reclaims it once the interval has passed.
    assert client.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404,
             timeout=30, what='reclaimed')
    assert server_id not in env['compute'].manager.driver.instances
    # The action log of a deleted server stays readable from 2.21.
    assert admin.get('/servers/%s/os-instance-actions' % server_id,
                     version='2.20').status_int == 404
    names = [a['action'] for a in _actions(admin, server_id, version='2.21')]
    assert names[0] == 'delete'


def test_force_delete_skips_the_wait(env):
    client = env['client']
    from nova import conf
    # Long enough that the periodic reclaim cannot be the one deleting it.
    conf.CONF.set_override('reclaim_instance_interval', 3600)
    try:
        server_id = _boot(env, 'forced')
        assert client.delete('/servers/%s' % server_id).status_int == 204
        _wait_status(client, server_id, 'SOFT_DELETED')
        assert _action(client, server_id, {'forceDelete': None}).status_int == 202
        wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404,
                 what='gone')
    finally:
        conf.CONF.clear_override('reclaim_instance_interval')


def test_instance_action_paging_from_258(env):
    client = env['client']
    server_id = _boot(env, 'pager')
    try:
        _action(client, server_id, {'os-stop': None})
        _wait_status(client, server_id, 'SHUTOFF')
        full = _actions(client, server_id, version='2.58')
        assert [a['action'] for a in full] == ['stop', 'create']
        assert all('updated_at' in a for a in full)
        assert 'updated_at' not in _actions(client, server_id, version='2.57')[0]
        resp = client.get('/servers/%s/os-instance-actions?limit=1' % server_id,
                          version='2.58').json_body_or_none
        assert [a['action'] for a in resp['instanceActions']] == ['stop']
        assert 'marker=%s' % full[0]['request_id'] in resp['links'][0]['href']
        rest = client.get('/servers/%s/os-instance-actions?marker=%s' % (
            server_id, full[0]['request_id']), version='2.58').json_body_or_none
        assert [a['action'] for a in rest['instanceActions']] == ['create']
        assert client.get('/servers/%s/os-instance-actions?marker=nope' % server_id,
                          version='2.58').status_int == 400
        assert client.get('/servers/%s/os-instance-actions?changes-since=bad' % server_id,
                          version='2.58').status_int == 400
        shown = env['admin'].get('/servers/%s/os-instance-actions/%s' % (
            server_id, full[0]['request_id']), version='2.84').json_body_or_none
        event = shown['instanceAction']['events'][0]
        assert event['host'] == HOST and event['hostId'] and 'details' in event
        user_view = client.get('/servers/%s/os-instance-actions/%s' % (
            server_id, full[0]['request_id']), version='2.84').json_body_or_none
        event = user_view['instanceAction']['events'][0]
        assert 'host' not in event and 'traceback' not in event and event['hostId']
        assert client.get('/servers/%s/os-instance-actions/req-nope' % server_id
                          ).status_int == 404
    finally:
        _gone(env, server_id)


def _set_task_state(env, server_id, task_state):
    """What a nova-compute killed mid-operation leaves in the database."""
    from nova import context, objects
    ctxt = env['ctxt']
    mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, server_id)
    with context.target_cell(ctxt, mapping.cell_mapping) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server_id)
        instance.task_state = task_state
        instance.save()


def test_restart_reports_guests_truthfully_and_settles_interrupted_work(env):
    from nova import conf, service
    client = env['client']
    running, stopped, interrupted = (_boot(env, name) for name in
                                     ('survivor', 'sleeper', 'interrupted'))
    try:
        _action(client, stopped, {'os-stop': None})
        _wait_status(client, stopped, 'SHUTOFF')
        _set_task_state(env, interrupted, 'powering-off')
        # nova-compute restarts; the fake driver's guests died with the process
        # (as after a host reboot), so only resume_guests_state_on_host_boot
        # brings back the one that should run.
        env['compute'].stop()
        conf.CONF.set_override('resume_guests_state_on_host_boot', True)
        try:
            env['compute'] = service.Service.create(host=HOST, binary='nova-compute')
            env['compute'].start()
        finally:
            conf.CONF.clear_override('resume_guests_state_on_host_boot')
        server = _wait_status(client, running, 'ACTIVE')
        assert server['OS-EXT-STS:power_state'] == 1
        assert _driver_state(env, running) == 1
        # The stopped guest is reported as it is: not running.
        server = _wait_status(client, stopped, 'SHUTOFF')
        assert server['OS-EXT-STS:power_state'] in (0, 4)
        # The power-off that was under way is finished, not left hanging.
        server = _wait_status(client, interrupted, 'SHUTOFF')
        assert server['OS-EXT-STS:task_state'] is None
        # And the stopped one starts again on the new service.
        assert _action(client, stopped, {'os-start': None}).status_int == 202
        assert _wait_status(client, stopped, 'ACTIVE')['OS-EXT-STS:power_state'] == 1
    finally:
        for server_id in (running, stopped, interrupted):
            _gone(env, server_id)


def test_a_failing_driver_leaves_a_fault_and_an_error_event(env, monkeypatch):
    client, admin = env['client'], env['admin']
    server_id = _boot(env, 'fragile')
    driver = env['compute'].manager.driver

    def broken(*args, **kwargs):
        raise RuntimeError('injected hypervisor failure')
    try:
        # Fault injection: the fake driver's pause and reboot fail.
        monkeypatch.setattr(driver, 'pause', broken)
        monkeypatch.setattr(driver, 'reboot', broken)
        assert _action(client, server_id, {'pause': None}).status_int == 202
        server = _wait_status(client, server_id, 'ACTIVE')  # task cleared, not stuck
        action = _actions(client, server_id)[0]
        assert action['action'] == 'pause' and action['message'] == 'Error'
        events = admin.get('/servers/%s/os-instance-actions/%s' % (
            server_id, action['request_id'])).json_body_or_none['instanceAction']['events']
        assert events[0]['result'] == 'Error' and 'in broken' in events[0]['traceback']
        # A failed reboot leaves the server in ERROR with the fault, as upstream.
        assert _action(client, server_id, {'reboot': {'type': 'HARD'}}).status_int == 202
        server = _wait_status(client, server_id, 'ERROR')
        # Only a Nova error's text is shown; anything else by its class, as upstream.
        assert server['fault']['message'] == 'RuntimeError'
    finally:
        monkeypatch.undo()
        _gone(env, server_id)
