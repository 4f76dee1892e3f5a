"""Instance actions and events recorded as a request moves through the services."""

import sys

import pytest
from oslo_utils import uuidutils

from nova import exception
from nova import objects


@pytest.fixture
def instance(ctxt):
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id='p', user_id='u')
    inst.create()
    return inst


def test_action_and_events(ctxt, instance):
    action = objects.InstanceAction.action_start(ctxt, instance.uuid, 'create')
    assert action.request_id == ctxt.request_id and action.action == 'create'
    objects.InstanceActionEvent.event_start(ctxt, instance.uuid, 'compute_build', host='h1')
    objects.InstanceActionEvent.event_finish(ctxt, instance.uuid, 'compute_build')
    objects.InstanceActionEvent.event_start(ctxt, instance.uuid, 'compute_spawn')
    try:
        raise exception.NoValidHost(reason='none left')
    except exception.NoValidHost as error:
        objects.InstanceActionEvent.event_finish_with_failure(
            ctxt, instance.uuid, 'compute_spawn', exc_val=error, exc_tb=sys.exc_info()[2])
    finished = objects.InstanceAction.action_finish(ctxt, instance.uuid)
    assert finished.finish_time is not None and finished.message == 'Error'
    got = objects.InstanceAction.get_by_request_id(ctxt, instance.uuid, ctxt.request_id)
    events = objects.InstanceActionEventList.get_by_action(ctxt, got.id)
    by_name = {e.event: e for e in events}
    assert by_name['compute_build'].result == 'Success'
    assert by_name['compute_build'].host == 'h1'
    spawn = by_name['compute_spawn']
    assert spawn.result == 'Error' and 'NoValidHost' not in spawn.details
    assert 'none left' in spawn.details and 'raise' in spawn.traceback
    same = objects.InstanceActionEvent.get_by_id(ctxt, got.id, spawn.id)
    assert same.event == 'compute_spawn'
    actions = objects.InstanceActionList.get_by_instance_uuid(ctxt, instance.uuid)
    assert [a.action for a in actions] == ['create']


def test_event_object_finish(ctxt, instance):
    objects.InstanceAction.action_start(ctxt, instance.uuid, 'reboot')
    event = objects.InstanceActionEvent.event_start(ctxt, instance.uuid, 'compute_reboot')
    event.finish_with_failure(exc_val='went wrong', exc_tb='Traceback...')
    assert event.result == 'Error' and event.details == 'went wrong'


def test_event_without_action(ctxt, instance):
    with pytest.raises(exception.InstanceActionNotFound):
        objects.InstanceActionEvent.event_start(ctxt, instance.uuid, 'x')
    assert objects.InstanceAction.get_by_request_id(ctxt, instance.uuid, 'req-nope') is None


def test_list_marker_and_limit(ctxt, instance):
    from nova import context as nova_context
    request_ids = []
    for name in ('create', 'stop', 'start'):
        c = nova_context.RequestContext(user_id='u', project_id='p', is_admin=True,
                                        overwrite=False)
        objects.InstanceAction.action_start(c, instance.uuid, name)
        request_ids.append(c.request_id)
    actions = objects.InstanceActionList.get_by_instance_uuid(ctxt, instance.uuid)
    assert [a.action for a in actions] == ['start', 'stop', 'create']
    page = objects.InstanceActionList.get_by_instance_uuid(ctxt, instance.uuid, limit=1,
                                                           marker=request_ids[2])
    assert [a.action for a in page] == ['stop']
