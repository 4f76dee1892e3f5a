"""Versioned notifications on the real RabbitMQ: boot and delete a server through
the REST API of an in-process cloud (API, conductor, scheduler, two fake
computes, real Placement and Glance) while a listener consumes
``versioned_notifications.info`` and ``.error`` on the test's own vhost."""

import contextlib
import threading

import oslo_messaging as messaging
import pytest

from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.boot import test_boot_flow
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

EXTRA = ('\n[notifications]\nnotification_format = versioned\n'
         'notify_on_state_change = vm_and_task_state\n'
         '[oslo_messaging_notifications]\ndriver = messagingv2\n')


class _Collector(object):
    """Notification listener endpoint that remembers everything it is given."""

    def __init__(self):
        self.received = []
        self._lock = threading.Lock()

    def _record(self, priority, publisher_id, event_type, payload):
        with self._lock:
            self.received.append({'priority': priority, 'publisher_id': publisher_id,
                                  'event_type': event_type, 'payload': payload})

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record('INFO', publisher_id, event_type, payload)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record('ERROR', publisher_id, event_type, payload)

    def for_instance(self, uuid):
        with self._lock:
            return [n for n in self.received
                    if n['payload'].get('nova_object.data', {}).get('uuid') == uuid]


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    collector = _Collector()
    with cloud.running_cloud(
            tmp_path_factory.mktemp('notifycloud'), glance_url=glance_url,
            hosts=test_boot_flow.HOSTS, flavors=test_boot_flow.FLAVORS, extra=EXTRA,
            before_services=lambda conf: _listening(conf, collector)) as env:
        env['notifications'] = collector
        yield env


@contextlib.contextmanager
def _listening(conf, collector):
    listener = _start_listener(conf, collector)
    try:
        yield
    finally:
        listener.stop()
        listener.wait()


def _start_listener(conf, collector):
    """Consume the versioned topic before anything is sent, so nothing is missed."""
    transport = messaging.get_notification_transport(conf)
    targets = [messaging.Target(topic=topic)
               for topic in conf.notifications.versioned_notifications_topics]
    listener = messaging.get_notification_listener(transport, targets, [collector],
                                                   executor='threading')
    listener.start()
    return listener


def _events(collector, uuid):
    return [n['event_type'] for n in collector.for_instance(uuid)]


def _boot(env, name):
    resp = env['client'].post('/servers', {'server': {
        'name': name, 'imageRef': env['image'], 'flavorRef': '1'}})
    assert resp.status_int == 202, resp.body
    return resp.json_body_or_none['server']['id']


def test_boot_and_delete_send_versioned_notifications(cloud_env):
    collector, client = cloud_env['notifications'], cloud_env['client']
    server_id = _boot(cloud_env, 'notified')
    wait_for(lambda: 'instance.create.end' in _events(collector, server_id),
             what='instance.create.end')
    assert client.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: 'instance.delete.end' in _events(collector, server_id),
             what='instance.delete.end')

    sent = collector.for_instance(server_id)
    by_type = {}
    for notification in sent:
        by_type.setdefault(notification['event_type'], []).append(notification)
    for event_type in ('instance.create.start', 'instance.create.end',
                       'instance.delete.start', 'instance.delete.end'):
        assert len(by_type[event_type]) == 1, event_type
    events = [n['event_type'] for n in sent if n['event_type'] != 'instance.update']
    assert events == ['instance.create.start', 'instance.create.end',
                      'instance.delete.start', 'instance.delete.end']

    create_end = by_type['instance.create.end'][0]
    assert create_end['priority'] == 'INFO'
    host = create_end['payload']['nova_object.data']['host']
    assert host in test_boot_flow.HOSTS
    assert create_end['publisher_id'] == 'nova-compute:%s' % host
    assert create_end['payload']['nova_object.name'] == 'InstanceCreatePayload'
    assert create_end['payload']['nova_object.version'] == '1.13'
    data = create_end['payload']['nova_object.data']
    assert data['state'] == 'active' and data['display_name'] == 'notified'
    assert data['flavor']['nova_object.data']['name'] == 'm1.tiny'
    assert data['fault'] is None
    start_data = by_type['instance.create.start'][0]['payload']['nova_object.data']
    assert start_data['state'] == 'building'

    delete_end = by_type['instance.delete.end'][0]
    assert delete_end['payload']['nova_object.name'] == 'InstanceActionPayload'
    assert delete_end['payload']['nova_object.version'] == '1.9'
    assert delete_end['payload']['nova_object.data']['state'] == 'deleted'
    assert delete_end['payload']['nova_object.data']['deleted_at']

    # Every state change of the build and the delete was reported as instance.update.
    transitions = [(n['payload']['nova_object.data']['state_update']['nova_object.data'])
                   for n in by_type.get('instance.update', [])]
    assert {'old_state': 'building', 'state': 'active', 'old_task_state': 'spawning',
            'new_task_state': None} in transitions
    assert all(n['payload']['nova_object.version'] == '2.1'
               for n in by_type['instance.update'])


def test_failed_spawn_sends_create_error_on_the_error_queue(cloud_env):
    collector = cloud_env['notifications']
    with test_boot_flow._SpawnFailures(cloud_env['services'], fail_attempts={1}) as failures:
        server_id = _boot(cloud_env, 'retried')
        wait_for(lambda: 'instance.create.end' in _events(collector, server_id),
                 what='instance.create.end after the reschedule')
    first, second = failures.attempts
    events = [(n['event_type'], n['priority'], n['publisher_id'])
              for n in collector.for_instance(server_id)
              if n['event_type'] != 'instance.update']
    assert events == [('instance.create.start', 'INFO', 'nova-compute:%s' % first),
                      ('instance.create.error', 'ERROR', 'nova-compute:%s' % first),
                      ('instance.create.start', 'INFO', 'nova-compute:%s' % second),
                      ('instance.create.end', 'INFO', 'nova-compute:%s' % second)]
    error = [n for n in collector.for_instance(server_id)
             if n['event_type'] == 'instance.create.error'][0]
    fault = error['payload']['nova_object.data']['fault']
    assert fault['nova_object.name'] == 'ExceptionPayload'
    assert fault['nova_object.version'] == '1.1'
    assert fault['nova_object.data']['exception'] == 'RuntimeError'
    assert 'injected spawn failure' in fault['nova_object.data']['exception_message']
    assert fault['nova_object.data']['function_name'] == 'spawn'
    cloud_env['client'].delete('/servers/%s' % server_id)
    wait_for(lambda: 'instance.delete.end' in _events(collector, server_id), what='deleted')


def test_delete_of_never_built_server_is_reported_by_the_api(cloud_env):
    collector = cloud_env['notifications']
    resp = cloud_env['client'].post('/servers', {'server': {
        'name': 'too-big', 'imageRef': cloud_env['image'], 'flavorRef': '2'}})
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    # No host has 700000 GB: no valid host, the server lands in cell0 in ERROR
    # without reaching a compute, so its delete is the API's own.
    wait_for(lambda: test_boot_flow._status(cloud_env['client'], server_id) == 'ERROR',
             what='server ERROR')
    assert cloud_env['client'].delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: 'instance.delete.end' in _events(collector, server_id),
             what='instance.delete.end from the API')
    deletes = [n for n in collector.for_instance(server_id)
               if n['event_type'].startswith('instance.delete')]
    assert [(n['event_type'], n['publisher_id'].split(':')[0]) for n in deletes] == [
        ('instance.delete.start', 'nova-api'), ('instance.delete.end', 'nova-api')]


def test_unversioned_format_sends_nothing_to_versioned_topic(cloud_env):
    collector, conf = cloud_env['notifications'], cloud_env['conf']
    conf.set_override('notification_format', 'unversioned', group='notifications')
    try:
        server_id = _boot(cloud_env, 'quiet')
        wait_for(lambda: test_boot_flow._status(cloud_env['client'], server_id) == 'ACTIVE',
                 what='server ACTIVE')
        assert cloud_env['client'].delete('/servers/%s' % server_id).status_int == 204
        wait_for(lambda: cloud_env['client'].get('/servers/%s' % server_id).status_int == 404,
                 what='server gone')
        # The compute's delete is over (its last notification included) once it
        # lets go of the instance's lock; only then may the format change back.
        computes = [s for s in cloud_env['services'] if s.binary == 'nova-compute']
        wait_for(lambda: all(server_id not in s.manager._instance_locks for s in computes),
                 what='compute finished the delete')
        # A later notification proves the listener was still consuming: anything
        # the quiet server had sent would have arrived before it.
        conf.clear_override('notification_format', group='notifications')
        marker_id = _boot(cloud_env, 'marker')
        wait_for(lambda: 'instance.create.end' in _events(collector, marker_id),
                 what='marker instance.create.end')
        assert collector.for_instance(server_id) == []
        cloud_env['client'].delete('/servers/%s' % marker_id)
        wait_for(lambda: 'instance.delete.end' in _events(collector, marker_id),
                 what='marker deleted')
    finally:
        conf.clear_override('notification_format', group='notifications')


def _action(env, server_id, body, expected_status):
    resp = env['client'].post('/servers/%s/action' % server_id, body)
    assert resp.status_int in (202, 200), resp.body
    wait_for(lambda: test_boot_flow._status(env['client'], server_id) == expected_status,
             what='server %s' % expected_status)


def test_server_actions_send_start_and_end_with_upstream_names(cloud_env):
    collector = cloud_env['notifications']
    server_id = _boot(cloud_env, 'acted-on')
    wait_for(lambda: 'instance.create.end' in _events(collector, server_id),
             what='instance.create.end')
    steps = [({'os-stop': None}, 'SHUTOFF', 'instance.power_off.end'),
             ({'os-start': None}, 'ACTIVE', 'instance.power_on.end'),
             ({'pause': None}, 'PAUSED', 'instance.pause.end'),
             ({'unpause': None}, 'ACTIVE', 'instance.unpause.end'),
             ({'suspend': None}, 'SUSPENDED', 'instance.suspend.end'),
             ({'resume': None}, 'ACTIVE', 'instance.resume.end'),
             ({'reboot': {'type': 'SOFT'}}, 'ACTIVE', 'instance.reboot.end'),
             ({'lock': None}, 'ACTIVE', 'instance.lock'),
             ({'unlock': None}, 'ACTIVE', 'instance.unlock')]
    for body, status, last_event in steps:
        _action(cloud_env, server_id, body, status)
        wait_for(lambda: last_event in _events(collector, server_id), what=last_event)
    events = [e for e in _events(collector, server_id)
              if e != 'instance.update' and not e.startswith('instance.create')]
    assert events == [
        'instance.power_off.start', 'instance.power_off.end',
        'instance.power_on.start', 'instance.power_on.end',
        'instance.pause.start', 'instance.pause.end',
        'instance.unpause.start', 'instance.unpause.end',
        'instance.suspend.start', 'instance.suspend.end',
        'instance.resume.start', 'instance.resume.end',
        'instance.reboot.start', 'instance.reboot.end',
        'instance.lock', 'instance.unlock']
    by_type = {n['event_type']: n for n in collector.for_instance(server_id)}
    off_end = by_type['instance.power_off.end']['payload']
    assert off_end['nova_object.name'] == 'InstanceActionPayload'
    assert off_end['nova_object.version'] == '1.9'
    assert off_end['nova_object.data']['power_state'] == 'shutdown'
    assert by_type['instance.lock']['publisher_id'].startswith('nova-api:')
    assert by_type['instance.lock']['payload']['nova_object.data']['locked'] is True
    assert by_type['instance.pause.end']['publisher_id'].startswith('nova-compute:')
    cloud_env['client'].delete('/servers/%s' % server_id)
    wait_for(lambda: 'instance.delete.end' in _events(collector, server_id), what='deleted')
