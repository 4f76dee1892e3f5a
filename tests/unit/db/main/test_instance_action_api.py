"""The cell database's instance action log against a migrated SQLite file: events
filed under the request's latest action, an error event failing the action,
newest-first listing with a request-id marker."""

import datetime

import pytest
from oslo_utils import uuidutils

from nova.db.main import instance_action_api as db
from nova import exception

INSTANCE = uuidutils.generate_uuid()
UTC = datetime.timezone.utc


def _start(ctxt, request_id, action='reboot', **values):
    return db.action_start(ctxt, dict(instance_uuid=INSTANCE, request_id=request_id,
                                      action=action, **values))


def _event(request_id, event='compute_reboot', **values):
    return dict(instance_uuid=INSTANCE, request_id=request_id, event=event, **values)


def test_times_are_stored_naive_utc(ctxt):
    start = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=datetime.timezone(
        datetime.timedelta(hours=2)))
    action = _start(ctxt, 'req-1', start_time=start)
    assert action['start_time'] == datetime.datetime(2026, 1, 1, 10, 0)


def test_an_event_goes_under_the_requests_latest_action(ctxt):
    _start(ctxt, 'req-1', action='stop')
    latest = _start(ctxt, 'req-1', action='start')
    event = db.action_event_start(ctxt, _event('req-1', start_time=datetime.datetime.now(UTC)))
    assert event['action_id'] == latest['id']
    with pytest.raises(exception.InstanceActionNotFound):
        db.action_event_start(ctxt, _event('req-unknown'))


def test_an_error_event_fails_the_action(ctxt):
    action = _start(ctxt, 'req-1')
    db.action_event_start(ctxt, _event('req-1'))
    db.action_event_start(ctxt, _event('req-1', event='other'))
    db.action_event_finish(ctxt, _event('req-1', event='other', result='Success'))
    assert db.action_get_by_id(ctxt, action['id'])['message'] is None
    finished = db.action_event_finish(ctxt, _event('req-1', result='Error',
                                                   traceback='Traceback...'))
    assert finished['result'] == 'Error'
    assert db.action_get_by_id(ctxt, action['id'])['message'] == 'Error'
    with pytest.raises(exception.InstanceActionEventNotFound):
        db.action_event_finish(ctxt, _event('req-1', event='never_started'))
    events = db.action_events_get(ctxt, action['id'])
    assert [e['event'] for e in events] == ['other', 'compute_reboot']
    assert db.action_event_get_by_id(ctxt, action['id'], events[0]['id'])['event'] == 'other'
    assert db.action_event_get_by_id(ctxt, action['id'] + 1, events[0]['id']) is None


def test_finishing_an_unknown_action(ctxt):
    with pytest.raises(exception.InstanceActionNotFound):
        db.action_finish(ctxt, {'instance_uuid': INSTANCE, 'request_id': 'req-x'})
    _start(ctxt, 'req-x')
    assert db.action_finish(ctxt, {'instance_uuid': INSTANCE, 'request_id': 'req-x',
                                   'message': 'done'})['message'] == 'done'
    with pytest.raises(exception.InstanceActionNotFound):
        db.action_get_by_id(ctxt, 12345)


def test_listing_newest_first_with_a_request_id_marker(ctxt):
    for n in range(3):
        _start(ctxt, 'req-%d' % n)
    listed = db.actions_get(ctxt, INSTANCE)
    assert [a['request_id'] for a in listed] == ['req-2', 'req-1', 'req-0']
    assert [a['request_id'] for a in db.actions_get(ctxt, INSTANCE, marker='req-2',
                                                    limit=1)] == ['req-1']
    with pytest.raises(exception.MarkerNotFound):
        db.actions_get(ctxt, INSTANCE, marker='req-unknown')
    assert db.action_get_by_request_id(ctxt, INSTANCE, 'req-1')['request_id'] == 'req-1'
    assert db.action_get_by_request_id(ctxt, INSTANCE, 'req-9') is None
    assert db.actions_get(ctxt, uuidutils.generate_uuid()) == []
