"""What a starting nova-compute settles, over a real SQLite cell database and a
stand-in driver: an interrupted delete finished, an interrupted build in ERROR with a
fault, power operations left half done completed from what the guest is, and guests
that should run restarted when resume_guests_state_on_host_boot says so."""

import pytest
from oslo_utils import uuidutils

import nova.conf
from nova.compute import power_state
from nova.compute import startup
from nova.compute import volumes
from nova import exception
from nova import objects

CONF = nova.conf.CONF


class _Driver(object):
    def __init__(self):
        self.states = {}
        self.calls = []

    def get_info(self, instance, use_cache=True):
        if instance.uuid not in self.states:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return type('Info', (), {'state': self.states[instance.uuid]})()

    def power_off(self, instance, *args):
        self.calls.append(('power_off', instance.uuid))
        self.states[instance.uuid] = power_state.SHUTDOWN

    def power_on(self, context, instance, network_info):
        self.calls.append(('power_on', instance.uuid))
        self.states[instance.uuid] = power_state.RUNNING

    def resume_state_on_host_boot(self, context, instance, network_info):
        self.calls.append(('resume', instance.uuid))
        self.states[instance.uuid] = power_state.RUNNING


class _Compute(startup.StartupOperations, volumes.VolumeOperations):
    host = 'compute1'

    def __init__(self):
        self.driver = _Driver()
        self.deleted = []
        self._init_instance_locks()

    def _delete_instance(self, context, instance):
        self.deleted.append(instance.uuid)


@pytest.fixture
def compute():
    return _Compute()


def _server(ctxt, compute, guest=power_state.RUNNING, **values):
    fields = dict(uuid=uuidutils.generate_uuid(), project_id='p', user_id='u',
                  host='compute1', vm_state='active', task_state=None,
                  power_state=power_state.RUNNING)
    fields.update(values)
    instance = objects.Instance(ctxt, **fields)
    instance.create()
    if guest is not None:
        compute.driver.states[instance.uuid] = guest
    return instance


def _stored(ctxt, instance):
    return objects.Instance.get_by_uuid(ctxt, instance.uuid, expected_attrs=['fault'])


def test_an_interrupted_delete_is_finished_and_a_build_fails(ctxt, compute):
    deleting = _server(ctxt, compute, task_state='deleting')
    building = _server(ctxt, compute, vm_state='building', task_state='spawning')
    quiet = _server(ctxt, compute)
    compute._recover_interrupted_instances(ctxt)
    assert compute.deleted == [deleting.uuid]
    stored = _stored(ctxt, building)
    assert (stored.vm_state, stored.task_state) == ('error', None)
    assert 'restarted during the build' in stored.fault.message
    assert _stored(ctxt, quiet).fault is None


@pytest.mark.parametrize('task, guest, vm_state, call', [
    ('powering-off', power_state.RUNNING, 'stopped', 'power_off'),
    ('powering-on', power_state.SHUTDOWN, 'active', 'power_on'),
    ('soft-deleting', power_state.RUNNING, 'soft-delete', 'power_off'),
    ('rebooting', power_state.SHUTDOWN, 'stopped', None),
    ('pausing', power_state.PAUSED, 'paused', None),
    ('image_snapshot', power_state.RUNNING, 'active', None),
])
def test_a_power_operation_left_half_done_is_settled(ctxt, compute, task, guest, vm_state,
                                                     call):
    instance = _server(ctxt, compute, guest=guest, task_state=task)
    compute._init_instances(ctxt)
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state) == (vm_state, None)
    assert stored.power_state == compute.driver.states[instance.uuid]
    assert [c[0] for c in compute.driver.calls] == ([call] if call else [])


def test_the_recorded_power_state_follows_the_guest(ctxt, compute):
    instance = _server(ctxt, compute, guest=power_state.SHUTDOWN)
    lost = _server(ctxt, compute, guest=None)  # the hypervisor has no such guest
    compute._init_instances(ctxt)
    assert _stored(ctxt, instance).power_state == power_state.SHUTDOWN
    assert _stored(ctxt, instance).vm_state == 'active'  # only the power state is told
    assert _stored(ctxt, lost).power_state == power_state.NOSTATE


def test_builds_and_deletes_are_left_to_the_recovery(ctxt, compute):
    building = _server(ctxt, compute, vm_state='building', guest=power_state.SHUTDOWN)
    compute._init_instances(ctxt)
    assert _stored(ctxt, building).power_state == power_state.RUNNING  # untouched


@pytest.mark.parametrize('resume', [True, False])
def test_guests_that_should_run_restart_when_configured(ctxt, compute, resume):
    instance = _server(ctxt, compute, guest=power_state.SHUTDOWN)
    stopped = _server(ctxt, compute, guest=power_state.SHUTDOWN, vm_state='stopped')
    CONF.set_override('resume_guests_state_on_host_boot', resume)
    try:
        compute._init_instances(ctxt)
    finally:
        CONF.clear_override('resume_guests_state_on_host_boot')
    assert compute.driver.calls == ([('resume', instance.uuid)] if resume else [])
    expected = power_state.RUNNING if resume else power_state.SHUTDOWN
    assert _stored(ctxt, instance).power_state == expected
    assert _stored(ctxt, stopped).power_state == power_state.SHUTDOWN
