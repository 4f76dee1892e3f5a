"""``POST /servers/{id}/action`` and ``os-instance-actions`` through the paste app.

The instance lives in a real SQLite cell database and the compute RPC casts
go to oslo.messaging's fake transport, where nobody consumes them: these
tests see what the API itself does (schemas, policy, state checks, task
states, action records, view shapes); tests/functional/actions follows the
casts through a real compute service.
"""


import pytest
from oslo_utils import uuidutils

import nova.conf
from nova.compute import vm_states
from nova import context as nova_context
from nova import objects

CONF = nova.conf.CONF


@pytest.fixture
def server(active_server, cell1):
    """The shared ACTIVE server, with the 'create' action a boot would have recorded."""
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        objects.InstanceAction.action_start(cctxt, active_server.uuid, 'create',
                                            want_result=False)
    return active_server


def _reload(cell1, instance):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        return objects.Instance.get_by_uuid(cctxt, instance.uuid,
                                            expected_attrs=['system_metadata'])


def _action(client, server, body, version=None):
    return client.post('/servers/%s/action' % server.uuid, body, version=version)


@pytest.mark.parametrize('body,task_state,action', [
    ({'os-stop': None}, 'powering-off', 'stop'),
    ({'pause': None}, 'pausing', 'pause'),
    ({'suspend': None}, 'suspending', 'suspend'),
    ({'reboot': {'type': 'SOFT'}}, 'rebooting', 'reboot'),
    ({'reboot': {'type': 'hard'}}, 'rebooting_hard', 'reboot'),
])
def test_action_sets_task_state_and_records_the_action(user, server, cell1, body,
                                                       task_state, action):
    resp = _action(user, server, body)
    assert resp.status_int == 202, resp.body
    assert not resp.body
    assert _reload(cell1, server).task_state == task_state
    listed = user.get('/servers/%s/os-instance-actions' % server.uuid).json_body_or_none
    assert [a['action'] for a in listed['instanceActions']] == [action, 'create']
    # A second request meets the task under way (a hard reboot may repeat).
    again = _action(user, server, body)
    if task_state == 'rebooting_hard':
        assert again.status_int == 202
        return
    assert again.status_int == 409
    assert 'conflictingRequest' in again.json_body_or_none


@pytest.mark.parametrize('body', [
    {'os-start': None}, {'unpause': None}, {'resume': None}, {'restore': None}])
def test_wrong_vm_state_is_409_with_upstream_message(user, server, body):
    resp = _action(user, server, body)
    assert resp.status_int == 409
    message = resp.json_body_or_none['conflictingRequest']['message']
    assert message.endswith('while it is in vm_state active')
    assert message.startswith("Cannot '")


@pytest.mark.parametrize('body', [
    {'reboot': {}}, {'reboot': {'type': 'WARM'}}, {'pause': {'x': 1}},
    {'createImage': {}}, {'createImage': {'name': ''}},
    {'createBackup': {'name': 'b', 'backup_type': 'daily'}},
    {'createBackup': {'name': 'b', 'backup_type': 'daily', 'rotation': 'x'}},
    {'os-getConsoleOutput': {'length': 'abc'}},
    {'os-getConsoleOutput': {'length': -5}},
    {'os-resetState': {'state': 'stopped'}},
])
def test_bad_bodies_are_400(admin, server, body):
    resp = _action(admin, server, body)
    assert resp.status_int == 400, (body, resp.body)
    assert 'badRequest' in resp.json_body_or_none


def test_unknown_action_and_server(user, server):
    resp = _action(user, server, {'fly': None})
    assert resp.status_int == 404
    resp = user.post('/servers/%s/action' % uuidutils.generate_uuid(), {'os-stop': None})
    assert resp.status_int == 404
    assert 'itemNotFound' in resp.json_body_or_none
    assert _action(user, server, {'trigger_crash_dump': None}).status_int == 404


def test_lock_reason_and_unlock_override(user, admin, server, cell1, max_version):
    resp = _action(user, server, {'lock': {'locked_reason': 'maint'}}, version='2.73')
    assert resp.status_int == 202, resp.body
    inst = _reload(cell1, server)
    assert inst.locked and inst.locked_by == 'owner'
    assert inst.system_metadata['locked_reason'] == 'maint'
    shown = user.get('/servers/%s' % server.uuid, version='2.73').json_body_or_none
    assert shown['server']['locked_reason'] == 'maint'
    assert _action(user, server, {'os-stop': None}).status_int == 409
    assert _action(user, server, {'unlock': None}).status_int == 202
    assert 'locked_reason' not in _reload(cell1, server).system_metadata
    assert _action(admin, server, {'lock': None}).status_int == 202
    assert _reload(cell1, server).locked_by == 'admin'
    assert _action(user, server, {'unlock': None}).status_int == 403
    assert _action(admin, server, {'unlock': None}).status_int == 202


def test_reset_state_is_for_admins(user, admin, server, cell1):
    assert _action(user, server, {'os-resetState': {'state': 'error'}}).status_int == 403
    assert _action(admin, server, {'os-resetState': {'state': 'error'}}).status_int == 202
    assert _reload(cell1, server).vm_state == vm_states.ERROR


def test_console_output_of_a_server_whose_host_is_gone_is_409(user, server, cell1):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server.uuid)
        instance.host = 'no-such-host'
        instance.save()
    resp = _action(user, server, {'os-getConsoleOutput': {'length': 5}})
    assert resp.status_int == 409
    assert 'no-such-host' in resp.json_body_or_none['conflictingRequest']['message']


def _mapping(instance):
    return objects.InstanceMapping.get_by_instance_uuid(nova_context.get_admin_context(),
                                                        instance.uuid)


def test_soft_deleted_server_holds_no_quota_and_restore_checks_it(user, admin, server, cell1,
                                                                  monkeypatch):
    """Upstream counts a soft-deleted server nowhere (cells or mappings) and so re-checks
    the quota when it is restored."""
    monkeypatch.setattr(CONF, 'reclaim_instance_interval', 3600)
    flavor = objects.Flavor(memory_mb=512, vcpus=2, root_gb=1, ephemeral_gb=0, swap=0,
                            flavorid='f1', name='small', id=1, is_public=True,
                            rxtx_factor=1.0, vcpu_weight=0, disabled=False, extra_specs={})
    with nova_context.target_cell(nova_context.get_admin_context(), cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server.uuid)
        instance.flavor = flavor
        instance.vcpus, instance.memory_mb = 2, 512
        instance.save()
    quota_url = '/os-quota-sets/demoproject/detail'
    assert admin.get(quota_url).json_body_or_none['quota_set']['cores']['in_use'] == 2

    assert user.delete('/servers/%s' % server.uuid).status_int == 204
    assert _mapping(server).queued_for_delete
    with nova_context.target_cell(nova_context.get_admin_context(), cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server.uuid)
        instance.vm_state, instance.task_state = vm_states.SOFT_DELETED, None  # as compute
        instance.save()
    usage = admin.get(quota_url).json_body_or_none['quota_set']
    assert (usage['instances']['in_use'], usage['cores']['in_use']) == (0, 0)

    assert admin.put('/os-quota-sets/demoproject',
                     {'quota_set': {'cores': 1}}).status_int == 200
    res = _action(user, server, {'restore': None})
    assert res.status_int == 403, res.body
    assert 'Quota exceeded for cores' in res.json_body_or_none['forbidden']['message']
    assert _reload(cell1, server).vm_state == vm_states.SOFT_DELETED
    assert _mapping(server).queued_for_delete

    assert admin.put('/os-quota-sets/demoproject',
                     {'quota_set': {'cores': 4}}).status_int == 200
    assert _action(user, server, {'restore': None}).status_int == 202
    assert _reload(cell1, server).task_state == 'restoring'
    assert not _mapping(server).queued_for_delete
