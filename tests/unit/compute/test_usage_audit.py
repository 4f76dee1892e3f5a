"""nova-compute's instance usage audit (``_instance_usage_audit``), over SQLite
cell databases, with versioned notifications captured in memory.

The clock is fixed at 2012-07-05 10:30 with ``instance_usage_audit_period =
day``, so the audited period is 2012-07-04 00:00 to 2012-07-05 00:00.
"""

import datetime

from oslo_serialization import jsonutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import pytest

from nova.compute import usage_audit
from nova.compute import utils as compute_utils
import nova.conf
from nova import manager
from nova import objects
from nova.objects import base
from tests.unit.objects.indirection import SerializingIndirection

CONF = nova.conf.CONF
D = datetime.datetime
BEGIN, END = D(2012, 7, 4), D(2012, 7, 5)
HOST = 'compute1'


class _Manager(usage_audit.UsageAuditOperations, manager.Manager):
    pass


class _Clock(object):
    now = D(2012, 7, 5, 10, 30)

    def utcnow(self, with_timezone=False):
        return self.now.replace(tzinfo=datetime.timezone.utc) if with_timezone else self.now


@pytest.fixture
def clock(monkeypatch):
    fixed = _Clock()
    monkeypatch.setattr(timeutils, 'utcnow', fixed.utcnow)
    return fixed


@pytest.fixture
def audit(notifications, clock):
    CONF.set_override('instance_usage_audit', True)
    CONF.set_override('instance_usage_audit_period', 'day')
    yield _Manager(host=HOST)
    CONF.clear_override('instance_usage_audit')
    CONF.clear_override('instance_usage_audit_period')


@pytest.fixture
def flavor(ctxt):
    flavor = objects.Flavor(ctxt, name='m1.tiny', flavorid='1', memory_mb=512, vcpus=1,
                            root_gb=1, ephemeral_gb=0, swap=0)
    flavor.create()
    return flavor


def _instance(ctxt, flavor, name, launched, terminated=None, host=HOST, deleted=False):
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id='p',
                            user_id='u', display_name=name, host=host, node='node1',
                            vm_state='active', launched_at=launched, terminated_at=terminated,
                            flavor=flavor, metadata={'role': name}, system_metadata={})
    inst.create()
    if deleted:
        inst.destroy()
    return inst.uuid


@pytest.fixture
def instances(ctxt, flavor):
    """Name -> uuid of instances around the audited day; the ``audited`` ones ran in it."""
    made = {
        'running': _instance(ctxt, flavor, 'running', D(2012, 7, 1)),
        'started-that-day': _instance(ctxt, flavor, 'started-that-day', D(2012, 7, 4, 18)),
        'deleted-that-day': _instance(ctxt, flavor, 'deleted-that-day', D(2012, 7, 1),
                                      terminated=D(2012, 7, 4, 9), deleted=True),
        'deleted-later': _instance(ctxt, flavor, 'deleted-later', D(2012, 7, 1),
                                   terminated=D(2012, 7, 5, 9), deleted=True),
        'deleted-before': _instance(ctxt, flavor, 'deleted-before', D(2012, 7, 1),
                                    terminated=D(2012, 7, 3, 23), deleted=True),
        'started-after': _instance(ctxt, flavor, 'started-after', D(2012, 7, 5, 0, 1)),
        'never-launched': _instance(ctxt, flavor, 'never-launched', None),
        'other-host': _instance(ctxt, flavor, 'other-host', D(2012, 7, 1), host='compute2'),
    }
    made['audited'] = {made[name] for name in ('running', 'started-that-day',
                                               'deleted-that-day', 'deleted-later')}
    return made


def _exists(sent):
    return [n for n in sent if n['event_type'] == 'instance.exists']


def _task_logs(ctxt, state=None):
    return objects.TaskLogList.get_all(ctxt, 'instance_usage_audit', BEGIN, END, host=HOST,
                                       state=state)


def test_audit_reports_every_instance_that_ran_in_the_period(audit, ctxt, instances,
                                                             notifications):
    audit._instance_usage_audit(ctxt)

    sent = _exists(notifications())
    by_uuid = {n['payload']['nova_object.data']['uuid']: n for n in sent}
    assert set(by_uuid) == instances['audited'] and len(sent) == 4
    one = by_uuid[instances['deleted-that-day']]
    assert one['priority'] == 'INFO' and one['publisher_id'] == 'nova-compute:%s' % HOST
    payload = one['payload']
    assert (payload['nova_object.name'], payload['nova_object.version']) == (
        'InstanceExistsPayload', '2.1')
    data = payload['nova_object.data']
    period = data['audit_period']['nova_object.data']
    assert period == {'audit_period_beginning': '2012-07-04T00:00:00Z',
                      'audit_period_ending': '2012-07-05T00:00:00Z'}
    assert 'bandwidth' not in data
    # A deleted instance still reports what it was deleted with.
    assert data['flavor']['nova_object.data']['name'] == 'm1.tiny'
    assert data['metadata'] == {'role': 'deleted-that-day'}
    assert data['deleted_at'] is not None

    [log] = _task_logs(ctxt)
    assert (log.state, log.task_items, log.errors) == ('DONE', 4, 0)
    assert log.message.startswith(
        'Instance usage audit ran for host %s, 4 instances in ' % HOST)
    assert log.message.endswith(' seconds.')


def test_audit_runs_once_per_period(audit, ctxt, instances, notifications,
                                    clock):
    audit._instance_usage_audit(ctxt)
    first = len(_exists(notifications()))
    clock.now = D(2012, 7, 5, 23, 59)
    audit._instance_usage_audit(ctxt)
    assert len(_exists(notifications())) == first == 4
    assert len(_task_logs(ctxt)) == 1

    # The next day is another period, with its own instances.
    clock.now = D(2012, 7, 6, 0, 5)
    audit._instance_usage_audit(ctxt)
    second = _exists(notifications())[first:]
    assert {n['payload']['nova_object.data']['uuid'] for n in second} == {
        instances[name] for name in ('running', 'started-that-day', 'deleted-later',
                                     'started-after')}
    assert second[0]['payload']['nova_object.data']['audit_period']['nova_object.data'][
        'audit_period_beginning'] == '2012-07-05T00:00:00Z'
    logs = objects.TaskLogList.get_all(ctxt, 'instance_usage_audit', END, D(2012, 7, 6),
                                       host=HOST)
    assert [(log.state, log.task_items) for log in logs] == [('DONE', 4)]


def test_a_period_another_run_took_is_left_alone(audit, ctxt, instances,
                                                 notifications):
    objects.TaskLog(ctxt, task_name='instance_usage_audit', host=HOST, period_beginning=BEGIN,
                    period_ending=END, task_items=0, message='started').begin_task()
    audit._instance_usage_audit(ctxt)
    assert _exists(notifications()) == []
    [log] = _task_logs(ctxt)
    assert (log.state, log.message) == ('RUNNING', 'started')


def test_audit_is_off_by_default(audit, ctxt, instances, notifications):
    CONF.clear_override('instance_usage_audit')
    audit._instance_usage_audit(ctxt)
    assert _exists(notifications()) == [] and len(_task_logs(ctxt)) == 0


def test_failed_notifications_are_counted(audit, ctxt, instances, monkeypatch):
    real = compute_utils.notify_usage_exists
    failing = {instances['running'], instances['deleted-later']}

    def notify(context, instance, host, **kwargs):
        if instance.uuid in failing:
            raise ValueError('cannot build the payload')
        return real(context, instance, host, **kwargs)

    monkeypatch.setattr(compute_utils, 'notify_usage_exists', notify)
    audit._instance_usage_audit(ctxt)
    [log] = _task_logs(ctxt)
    assert (log.state, log.task_items, log.errors) == ('DONE', 4, 2)


class _BusIndirection(SerializingIndirection):
    """As the conductor indirection, with arguments through JSON as on the bus
    (a datetime argument arrives as a string)."""

    def _wire(self, context, value):
        return super()._wire(context, jsonutils.loads(jsonutils.dumps(
            self.serializer.serialize_entity(context, value))))


def test_audit_reaches_the_database_through_conductor(audit, ctxt, instances,
                                                      notifications):
    indirection = _BusIndirection()
    base.NovaObject.indirection_api = indirection
    try:
        audit._instance_usage_audit(ctxt)
        assert indirection.calls == [('TaskLogList', 'get_all'),
                                     ('InstanceList', 'get_active_by_window_joined'),
                                     ('TaskLog', 'begin_task'), ('TaskLog', 'end_task')]
        # The next run finds the period's log (its dates made the trip as strings).
        del indirection.calls[:]
        audit._instance_usage_audit(ctxt)
        assert indirection.calls == [('TaskLogList', 'get_all')]
    finally:
        base.NovaObject.indirection_api = None
    assert len(_exists(notifications())) == 4
    [log] = _task_logs(ctxt, state='DONE')
    assert log.task_items == 4


def test_the_compute_manager_schedules_the_audit():
    from nova.compute import manager as compute_manager
    assert issubclass(compute_manager.ComputeManager, usage_audit.UsageAuditOperations)
    task = compute_manager.ComputeManager._instance_usage_audit
    assert task._periodic_task and task._periodic_spacing in (0, 60.0)
