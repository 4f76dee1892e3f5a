"""The compute manager's deletes, over a real SQLite cell database with stand-ins for
the driver and the delete's own steps: a failed delete leaves the server in ERROR
for another try, soft delete and restore settle their states, the reclaim picks only
soft-deleted servers older than reclaim_instance_interval."""

import datetime

import pytest
from oslo_utils import timeutils
from oslo_utils import uuidutils

import nova.conf
from nova.compute import delete
from nova.compute import power_state
from nova import objects

CONF = nova.conf.CONF


class _Driver(object):
    def __init__(self):
        self.state = power_state.RUNNING

    def get_info(self, instance, use_cache=True):
        return type('Info', (), {'state': self.state})()

    def power_off(self, instance, *args):
        self.state = power_state.SHUTDOWN

    def power_on(self, context, instance, network_info):
        self.state = power_state.RUNNING


class _Compute(delete.DeleteOperations):
    host = 'compute1'

    def __init__(self, failing=False):
        self.driver = _Driver()
        self.deleted = []
        self.failing = failing
        self._init_instance_locks()

    def _delete_instance(self, context, instance):
        if self.failing:
            raise RuntimeError('the hypervisor refused')
        self.deleted.append(instance.uuid)


def _server(ctxt, **values):
    fields = dict(uuid=uuidutils.generate_uuid(), project_id='p', user_id='u',
                  host='compute1', vm_state='active', task_state=None)
    fields.update(values)
    instance = objects.Instance(ctxt, **fields)
    instance.create()
    return instance


def test_a_delete_that_fails_leaves_the_server_in_error(ctxt):
    instance = _server(ctxt, task_state='deleting')
    compute = _Compute(failing=True)
    compute.terminate_instance(ctxt, instance)
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid)
    assert (stored.vm_state, stored.task_state) == ('error', None)
    assert instance.uuid not in compute._instance_locks  # its lock is forgotten
    (fault,) = objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])
    assert fault.message == 'RuntimeError'  # not a Nova error: its class, as upstream


def test_soft_delete_then_restore(ctxt):
    compute = _Compute()
    instance = _server(ctxt, task_state='soft-deleting')
    compute.soft_delete_instance(ctxt, instance)
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid)
    assert (stored.vm_state, stored.task_state) == ('soft-delete', None)
    assert stored.power_state == power_state.SHUTDOWN and stored.deleted_at is not None
    stored.task_state = 'restoring'
    stored.save()
    compute.restore_instance(ctxt, stored)
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid)
    assert (stored.vm_state, stored.power_state) == ('active', power_state.RUNNING)
    assert stored.deleted_at is None


@pytest.fixture
def reclaim_after_an_hour():
    CONF.set_override('reclaim_instance_interval', 3600)
    yield
    CONF.clear_override('reclaim_instance_interval')


def test_the_reclaim_takes_only_old_soft_deleted_servers(ctxt, reclaim_after_an_hour):
    long_ago = timeutils.utcnow() - datetime.timedelta(hours=2)
    old = _server(ctxt, vm_state='soft-delete', deleted_at=long_ago)
    _server(ctxt, vm_state='soft-delete', deleted_at=timeutils.utcnow())
    _server(ctxt, vm_state='soft-delete', deleted_at=long_ago, task_state='restoring')
    _server(ctxt, vm_state='active')
    _server(ctxt, vm_state='soft-delete', deleted_at=long_ago, host='elsewhere')
    compute = _Compute()
    compute._reclaim_queued_deletes(ctxt)
    assert compute.deleted == [old.uuid]


def test_no_interval_no_reclaim(ctxt):
    _server(ctxt, vm_state='soft-delete',
            deleted_at=timeutils.utcnow() - datetime.timedelta(days=9))
    compute = _Compute()
    compute._reclaim_queued_deletes(ctxt)
    assert compute.deleted == []
