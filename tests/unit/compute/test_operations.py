"""What every compute operation family shares, over a real SQLite cell database and a
stand-in driver: an operation's failure leaves the server out of its task with a
fault (and in ERROR when asked), an abandoned or deleted one quietly, the action
event and notifications around it; one lock per server; powering off politely or
at once."""

import pytest
from oslo_utils import uuidutils

from nova.compute import operations
from nova.compute import power_state
from nova import exception
from nova import objects

UUID = '0a000000-0000-0000-0000-0000000000aa'


class _Driver(object):
    def __init__(self, state=power_state.SHUTDOWN):
        self.state = state
        self.powered_off = []
        self.gone = False

    def get_info(self, instance, use_cache=True):
        if self.gone:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return type('Info', (), {'state': self.state})()

    def power_off(self, instance, timeout=0, retry_interval=0):
        if self.gone:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        self.powered_off.append((timeout, retry_interval))


class _Family(operations.InstanceOperations):
    host = 'compute1'

    def __init__(self):
        self.driver = _Driver()
        self._init_instance_locks()

    @operations.instance_operation('compute_stop_instance', action='power_off')
    def stop(self, context, instance, fail=None):
        if fail is not None:
            raise fail
        return 'stopped'

    @operations.instance_operation('compute_rescue_instance', error_state='error')
    def rescue(self, context, instance):
        raise RuntimeError('rescue image unreadable')


@pytest.fixture
def instance(ctxt):
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id='p',
                            user_id='u', host='compute1', vm_state='active',
                            task_state='powering-off', power_state=power_state.RUNNING)
    inst.create()
    objects.InstanceAction.action_start(ctxt, inst.uuid, 'stop')
    return inst


def _stored(ctxt, instance):
    return objects.Instance.get_by_uuid(ctxt, instance.uuid, expected_attrs=['fault'])


def _events(ctxt, instance):
    action = objects.InstanceAction.get_by_request_id(ctxt, instance.uuid, ctxt.request_id)
    return [(e.event, e.result) for e in
            objects.InstanceActionEventList.get_by_action(ctxt, action.id)]


def test_a_success_returns_and_notifies_start_and_end(ctxt, instance, notifications):
    assert _Family().stop(ctxt, instance) == 'stopped'
    assert [n['event_type'] for n in notifications()] == ['instance.power_off.start',
                                                          'instance.power_off.end']
    assert _events(ctxt, instance) == [('compute_stop_instance', 'Success')]


def test_a_failure_leaves_the_task_with_a_fault(ctxt, instance, notifications):
    assert _Family().stop(ctxt, instance, fail=RuntimeError('driver broke')) is None
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state) == ('active', None)
    assert stored.power_state == power_state.SHUTDOWN  # as the driver sees it now
    assert stored.fault.code == 500
    assert notifications()[-1]['event_type'] == 'instance.power_off.error'
    assert _events(ctxt, instance) == [('compute_stop_instance', 'Error')]


def test_an_error_state_when_the_family_asks_for_it(ctxt, instance):
    _Family().rescue(ctxt, instance)
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state) == ('error', None)


def test_an_abandoned_operation_records_nothing(ctxt, instance):
    error = exception.UnexpectedTaskStateError(instance_uuid=instance.uuid,
                                               expected=['x'], actual='y')
    assert _Family().stop(ctxt, instance, fail=error) is None
    stored = _stored(ctxt, instance)
    assert stored.fault is None and stored.task_state == 'powering-off'


def test_a_server_deleted_meanwhile_is_not_a_failure(ctxt, instance):
    missing = exception.InstanceNotFound(instance_id=instance.uuid)
    family = _Family()
    family.stop(ctxt, instance, fail=missing)  # the record exists: a real failure
    assert _stored(ctxt, instance).fault is not None
    instance.destroy()
    assert family.stop(ctxt, instance, fail=missing) is None  # gone: nothing to record


def test_one_lock_per_server():
    family = _Family()
    assert family._instance_lock('a') is family._instance_lock('a')
    assert family._instance_lock('a') is not family._instance_lock('b')
    first = family._instance_lock('a')
    family._forget_instance_lock('a')
    assert family._instance_lock('a') is not first


def test_power_off_politely_or_at_once():
    family = _Family()
    operations.CONF.set_override('shutdown_timeout', 42)
    try:
        family._power_off(objects.Instance(uuid=UUID), clean_shutdown=True)
    finally:
        operations.CONF.clear_override('shutdown_timeout')
    family._power_off(objects.Instance(uuid=UUID), clean_shutdown=False)
    assert family.driver.powered_off == [(42, operations.SHUTDOWN_RETRY_INTERVAL), (0, 0)]
    family.driver.gone = True
    family._power_off(objects.Instance(uuid=UUID), clean_shutdown=True, missing_ok=True)
    with pytest.raises(exception.InstanceNotFound):
        family._power_off(objects.Instance(uuid=UUID), clean_shutdown=True)
    assert family._get_power_state(objects.Instance(uuid=UUID)) == power_state.NOSTATE
    family._force_power_off(objects.Instance(uuid=UUID))  # gone: fine
