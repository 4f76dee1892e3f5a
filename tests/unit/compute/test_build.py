"""The compute manager's build flow: spawn, and when it fails, reschedule or fail.

The build runs for real over the fake virt driver, the resource tracker and
an instance row in the per-test databases. Two neighbours cannot run in a
unit test and are recorded instead: Placement (the report client frees the
build's allocation over HTTP) and conductor (a reschedule is an RPC cast to
it). The decisions under test are what those two receive and what the
instance row says afterwards.
"""

import pytest

import nova.conf
from nova.compute import build
from nova.compute import resource_tracker
from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import objects
from nova.virt import fake

CONF = nova.conf.CONF
HOST = 'host1'
ALTERNATE = 'host2'


class _Placement(object):
    """The report client, as far as a build goes: which allocations were freed."""

    def __init__(self):
        self.freed = []

    def delete_allocation_for_instance(self, context, instance_uuid):
        self.freed.append(instance_uuid)


class _Conductor(object):
    """Conductor's task API: the reschedule casts it receives."""

    def __init__(self):
        self.rebuilds = []

    def build_instances(self, context, instances, image, filter_properties, *args,
                        request_spec=None, host_lists=None):
        self.rebuilds.append({'instances': [i.uuid for i in instances],
                              'filter_properties': filter_properties,
                              'request_spec': request_spec, 'host_lists': host_lists})


class _Driver(fake.FakeDriver):
    """The fake driver, with a spawn that fails the way a test asks."""

    spawn_error = None

    def spawn(self, *args, **kwargs):
        if self.spawn_error is not None:
            raise self.spawn_error
        return super().spawn(*args, **kwargs)


class _Host(build.BuildOperations):
    def __init__(self):
        self.host = HOST
        self.driver = _Driver(None)
        self.driver.init_host(HOST)
        self.reportclient = _Placement()
        self.compute_task_api = _Conductor()
        self.rt = resource_tracker.ResourceTracker(HOST, self.driver, self.reportclient)
        self._init_instance_locks()

    def build(self, context, instance, filter_properties=None, host_list=(HOST, ALTERNATE)):
        self._do_build_and_run_instance(
            context, instance, {}, {'spec': 'of the request'}, filter_properties or {},
            None, [], None, [], [], self.driver.nodename, list(host_list))


@pytest.fixture
def compute(fake_rpc):
    return _Host()


@pytest.fixture
def instance(ctxt):
    objects.register_all()
    instance = objects.Instance(
        ctxt, uuid='0d6b9a54-98e4-4a38-8b33-1f3c8f6d2a71', project_id='p', user_id='u',
        display_name='vm', vm_state=vm_states.BUILDING, task_state=task_states.SCHEDULING,
        memory_mb=512, vcpus=1, root_gb=1, ephemeral_gb=0,
        flavor=objects.Flavor(flavorid='1', name='tiny', vcpus=1, memory_mb=512, root_gb=1,
                              ephemeral_gb=0, swap=0, extra_specs={}))
    instance.create()
    return instance


def _stored(ctxt, instance):
    return objects.Instance.get_by_uuid(ctxt, instance.uuid)


def _faults(ctxt, instance):
    return objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])


def test_a_good_build_ends_active_on_this_host(compute, ctxt, instance):
    compute.build(ctxt, instance)
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state, stored.host) == (vm_states.ACTIVE, None, HOST)
    assert stored.launched_at is not None
    assert compute.rt.tracked_instances[instance.uuid] == (1, 512, 1)
    assert compute.reportclient.freed == [] and compute.compute_task_api.rebuilds == []


def test_a_failed_spawn_with_an_alternate_left_is_rescheduled(compute, ctxt, instance):
    compute.driver.spawn_error = RuntimeError('qemu died')
    retry = {'retry': {'num_attempts': 1, 'hosts': [[HOST, HOST]]}}
    compute.build(ctxt, instance, filter_properties=retry)
    stored = _stored(ctxt, instance)
    # Back to the scheduler's side, off this host, with its claim here released.
    assert (stored.vm_state, stored.task_state) == (vm_states.BUILDING,
                                                    task_states.SCHEDULING)
    assert (stored.host, stored.node) == (None, None)
    assert instance.uuid not in compute.rt.tracked_instances
    assert compute.reportclient.freed == [instance.uuid]
    [cast] = compute.compute_task_api.rebuilds
    assert cast['instances'] == [instance.uuid]
    assert cast['host_lists'] == [[ALTERNATE]]
    assert cast['filter_properties'] is retry
    assert cast['request_spec'] == {'spec': 'of the request'}
    # The user can see why the first host failed.
    [fault] = _faults(ctxt, instance)
    assert 'qemu died' in fault.message


def test_no_alternate_left_fails_the_build(compute, ctxt, instance):
    compute.driver.spawn_error = RuntimeError('qemu died')
    compute.build(ctxt, instance, host_list=[HOST])
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state) == (vm_states.ERROR, None)
    assert compute.compute_task_api.rebuilds == []
    assert compute.reportclient.freed == [instance.uuid]
    assert len(_faults(ctxt, instance)) == 1


@pytest.mark.parametrize('attempts,max_attempts,rescheduled', [
    (1, 3, True), (2, 3, True), (3, 3, False), (1, 1, False)])
def test_attempts_are_bounded_by_max_attempts(compute, ctxt, instance, attempts,
                                              max_attempts, rescheduled):
    CONF.set_override('max_attempts', max_attempts, group='scheduler')
    try:
        compute.driver.spawn_error = RuntimeError('no room after all')
        compute.build(ctxt, instance, filter_properties={'retry': {'num_attempts': attempts}})
    finally:
        CONF.clear_override('max_attempts', group='scheduler')
    assert bool(compute.compute_task_api.rebuilds) is rescheduled
    expected = vm_states.BUILDING if rescheduled else vm_states.ERROR
    assert _stored(ctxt, instance).vm_state == expected


@pytest.mark.parametrize('error', [
    exception.ImageNotFound(image_id='i1'),
    exception.ImageNotActive(image_id='i1'),
    exception.ImageUnacceptable(image_id='i1', reason='bad format'),
])
def test_an_unusable_image_is_not_rescheduled(compute, ctxt, instance, error):
    """No other host can boot an image that is gone or broken: the build aborts."""
    compute.driver.spawn_error = error
    compute.build(ctxt, instance)
    assert compute.compute_task_api.rebuilds == []
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state) == (vm_states.ERROR, None)
    assert error.format_message() in _faults(ctxt, instance)[0].message


def test_a_server_deleted_during_its_build_only_gives_its_claim_back(compute, ctxt,
                                                                     instance):
    objects.Instance.get_by_uuid(ctxt, instance.uuid).destroy()
    compute.build(ctxt, instance)
    # Nothing to fail or reschedule: the claim in Placement is simply freed.
    assert compute.reportclient.freed == [instance.uuid]
    assert compute.compute_task_api.rebuilds == []
    assert instance.uuid not in compute.driver.instances


def test_the_failed_guest_is_cleaned_up_before_rescheduling(compute, ctxt, instance):
    spawned = []

    def half_spawn(context, inst, *args, **kwargs):
        # The guest was defined, then its start failed.
        fake.FakeDriver.spawn(compute.driver, context, inst, *args, **kwargs)
        spawned.append(inst.uuid)
        raise RuntimeError('could not start the guest')
    compute.driver.spawn = half_spawn
    compute.build(ctxt, instance)
    assert spawned == [instance.uuid]
    assert instance.uuid not in compute.driver.instances
    assert len(compute.compute_task_api.rebuilds) == 1


class _LostReplies(object):
    """Conductor's replies to the first ``count`` instance saves from ``state`` on
    never arrive: the save is done, the caller hears a MessagingTimeout."""

    def __init__(self, monkeypatch, count=1, when_task_state=task_states.SPAWNING):
        import oslo_messaging as messaging
        real_save = objects.Instance.save
        self.lost = 0

        def save(inst, *args, **kwargs):
            if kwargs.get('expected_task_state') == when_task_state and self.lost < count:
                # Conductor saved its own copy; the caller's keeps its changes.
                real_save(inst.obj_clone(), *args, **kwargs)
                self.lost += 1
                raise messaging.MessagingTimeout('reply lost')
            real_save(inst, *args, **kwargs)
        monkeypatch.setattr(objects.Instance, 'save', save)


def test_a_lost_reply_after_the_spawn_does_not_undo_the_build(compute, ctxt, instance,
                                                              monkeypatch):
    lost = _LostReplies(monkeypatch)
    compute.build(ctxt, instance)
    assert lost.lost == 1
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state, stored.host) == (vm_states.ACTIVE, None, HOST)
    # The allocation stays with the running server; nothing was failed.
    assert compute.reportclient.freed == [] and len(_faults(ctxt, instance)) == 0
    assert instance.uuid in compute.driver.instances


def _build_with_event_finish_raising(compute, ctxt, instance, monkeypatch, error):
    """Build ``instance`` while finishing its action event raises ``error``;
    the server as stored afterwards."""
    objects.InstanceAction.action_start(ctxt, instance.uuid, 'create', want_result=False)

    def finish(*args, **kwargs):
        raise error
    monkeypatch.setattr(objects.InstanceActionEvent, 'event_finish', finish)
    compute.build(ctxt, instance)
    return _stored(ctxt, instance)


def test_lost_replies_to_the_action_events_are_only_logged(compute, ctxt, instance,
                                                          monkeypatch):
    import oslo_messaging as messaging
    stored = _build_with_event_finish_raising(compute, ctxt, instance, monkeypatch,
                                              messaging.MessagingTimeout('reply lost'))
    assert stored.vm_state == vm_states.ACTIVE
    assert compute.reportclient.freed == []


def test_a_refused_action_event_does_not_fail_a_spawned_build(compute, ctxt, instance,
                                                              monkeypatch):
    # The broker refuses the message at once (the vhost's permissions are
    # gone): the spawned server keeps its ACTIVE state and its allocation.
    import oslo_messaging as messaging
    stored = _build_with_event_finish_raising(
        compute, ctxt, instance, monkeypatch, messaging.MessageDeliveryFailure('ACCESS_REFUSED'))
    assert (stored.vm_state, stored.task_state, stored.host) == (vm_states.ACTIVE, None, HOST)
    assert compute.reportclient.freed == [] and len(_faults(ctxt, instance)) == 0
    assert instance.uuid in compute.driver.instances


def test_a_failure_after_the_active_save_does_not_undo_the_build(compute, ctxt, instance,
                                                                  monkeypatch):
    # Whatever fails once the server is saved ACTIVE (here the action event's
    # finish, with an error no bookkeeping expects), the server keeps its
    # state and its allocation: _fail_build ends only a build still BUILDING.
    stored = _build_with_event_finish_raising(compute, ctxt, instance, monkeypatch,
                                              ValueError('not a messaging error'))
    assert (stored.vm_state, stored.task_state, stored.host) == (vm_states.ACTIVE, None, HOST)
    assert compute.reportclient.freed == []
    assert instance.uuid in compute.driver.instances


@pytest.fixture
def build_timeout():
    CONF.set_override('instance_build_timeout', 60)
    yield 60
    CONF.clear_override('instance_build_timeout')


def _later(seconds):
    from oslo_utils import timeutils
    timeutils.set_time_override(timeutils.utcnow() + __import__('datetime').timedelta(
        seconds=seconds))


def test_builds_past_the_timeout_go_to_error_with_a_fault(compute, ctxt, instance,
                                                          build_timeout):
    from oslo_utils import timeutils
    instance.host = HOST
    instance.save()
    try:
        compute._check_instance_build_time(ctxt)
        assert _stored(ctxt, instance).vm_state == vm_states.BUILDING   # not yet
        _later(build_timeout + 1)
        compute._check_instance_build_time(ctxt)
    finally:
        timeutils.clear_time_override()
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state) == (vm_states.ERROR, None)
    [fault] = _faults(ctxt, instance)
    assert 'instance_build_timeout' in fault.message


def test_without_a_timeout_builds_are_left_alone(compute, ctxt, instance):
    from oslo_utils import timeutils
    instance.host = HOST
    instance.save()
    _later(10 ** 6)
    try:
        compute._check_instance_build_time(ctxt)
    finally:
        timeutils.clear_time_override()
    assert _stored(ctxt, instance).vm_state == vm_states.BUILDING


def test_a_lost_reply_to_the_claim_does_not_fail_the_build(compute, ctxt, instance,
                                                          monkeypatch):
    lost = _LostReplies(monkeypatch, when_task_state=(task_states.SCHEDULING, None))
    compute.build(ctxt, instance)
    assert lost.lost == 1
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state, stored.host) == (vm_states.ACTIVE, None, HOST)
    assert compute.reportclient.freed == [] and len(_faults(ctxt, instance)) == 0


def _first_save_lost(monkeypatch, meanwhile):
    """The first instance save never gets its reply: instead ``meanwhile(inst)``
    happens and the caller hears a MessagingTimeout; later saves go through."""
    import oslo_messaging as messaging
    real_save = objects.Instance.save
    calls = []

    def save(inst, *args, **kwargs):
        calls.append(kwargs.get('expected_task_state'))
        if len(calls) == 1:
            meanwhile(inst)
            raise messaging.MessagingTimeout('reply lost')
        return real_save(inst, *args, **kwargs)
    monkeypatch.setattr(objects.Instance, 'save', save)


def test_a_claim_lost_until_conductor_ended_the_build_is_not_built(compute, ctxt, instance,
                                                                   monkeypatch):
    def sweep(inst):
        # Conductor died with the claim; its sweep ended the build (ERROR,
        # no task, allocation freed) before the claim was sent again.
        ended = objects.Instance.get_by_uuid(ctxt, inst.uuid)
        ended.vm_state, ended.task_state = vm_states.ERROR, None
        ended.save(expected_task_state=task_states.SCHEDULING)
    _first_save_lost(monkeypatch, sweep)
    compute.build(ctxt, instance)
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state, stored.host) == (vm_states.ERROR, None, None)
    assert instance.uuid not in compute.driver.instances
    assert instance.uuid not in compute.rt.tracked_instances
    assert compute.reportclient.freed == [instance.uuid]


def test_a_server_deleted_while_a_reply_was_lost_is_not_built(compute, ctxt, instance,
                                                              monkeypatch):
    _first_save_lost(monkeypatch, lambda inst: objects.Instance.get_by_uuid(
        ctxt, inst.uuid).destroy())  # the user's DELETE
    compute.build(ctxt, instance)
    assert compute.reportclient.freed == [instance.uuid]
    assert instance.uuid not in compute.driver.instances
