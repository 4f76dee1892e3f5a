"""Waiting for events other services announce: registered before the body runs, each
delivered to its waiter, a deadline over all of them, a failed one to the error
callback, nothing left registered afterwards."""

import pytest

from nova.compute import instance_events
from nova import exception
from nova import objects
from tests.unit.compute.test_external_events import _event, _instance


def test_waiting_for_events(ctxt):
    objects.register_all()
    instance = _instance(ctxt)
    events = instance_events.InstanceEvents()
    with pytest.raises(exception.InstanceEventTimeout) as err:
        with events.wait_for(instance, [('network-vif-plugged', 'a')], deadline=0):
            pass
    assert 'network-vif-plugged-a' in err.value.format_message()
    failures = []
    with events.wait_for(instance, [('network-vif-plugged', 'b')], deadline=5,
                         error_callback=lambda name, inst: failures.append(name)):
        event = _event(ctxt, instance, name='network-vif-plugged', tag='b')
        event.status = 'failed'
        assert events.deliver(event) is True
    assert failures == ['network-vif-plugged']
    assert events.deliver(event) is False


class _Event(object):
    def __init__(self, uuid, key, status='completed'):
        self.instance_uuid, self.key, self.status = uuid, key, status


class _Instance(object):
    uuid = 'a0000000-0000-0000-0000-000000000001'


def test_the_key_of_an_event():
    assert instance_events.InstanceEvents.key('network-vif-plugged', 'p1') == \
        'network-vif-plugged-p1'
    assert instance_events.InstanceEvents.key('power-update') == 'power-update'


def test_an_event_goes_to_its_waiter_once():
    events = instance_events.InstanceEvents()
    waiter = events.prepare('u1', 'network-vif-plugged', 'p1')
    other = events.prepare('u1', 'network-vif-plugged', 'p2')
    assert not events.deliver(_Event('u2', 'network-vif-plugged-p1'))
    assert events.deliver(_Event('u1', 'network-vif-plugged-p1'))
    assert waiter.wait(0) and not other.wait(0)
    assert not events.deliver(_Event('u1', 'network-vif-plugged-p1'))
    events.clear('u1')
    assert not events.deliver(_Event('u1', 'network-vif-plugged-p2'))


def test_an_event_arriving_during_the_body_is_not_lost():
    events = instance_events.InstanceEvents()
    with events.wait_for(_Instance(), [('network-vif-plugged', 'p1'),
                                       ('network-vif-plugged', 'p2')], deadline=0):
        events.deliver(_Event(_Instance.uuid, 'network-vif-plugged-p1'))
        events.deliver(_Event(_Instance.uuid, 'network-vif-plugged-p2'))
    assert events._waiters == {}


def test_the_timeout_names_only_the_missing_events():
    events = instance_events.InstanceEvents()
    with pytest.raises(exception.InstanceEventTimeout) as err:
        with events.wait_for(_Instance(), [('network-vif-plugged', 'p1'),
                                           ('network-vif-plugged', 'p2')], deadline=0):
            events.deliver(_Event(_Instance.uuid, 'network-vif-plugged-p1'))
    message = err.value.format_message()
    assert 'network-vif-plugged-p2' in message and 'p1' not in message
    assert events._waiters == {}


def test_a_failing_body_leaves_no_waiter():
    events = instance_events.InstanceEvents()
    with pytest.raises(RuntimeError):
        with events.wait_for(_Instance(), [('network-vif-plugged', 'p1')]):
            raise RuntimeError('spawn failed')
    assert events._waiters == {}


def test_no_events_no_wait():
    with instance_events.InstanceEvents().wait_for(_Instance(), [], deadline=None):
        pass
