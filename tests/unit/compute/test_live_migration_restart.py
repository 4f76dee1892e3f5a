"""A source nova-compute that restarts in the middle of a live migration: the
guest the hypervisor already moved is handed to the destination; one still
here stays, with the migration rolled back.

The manager's start-up step runs for real on instance and migration records
in the per-test databases, with the fake driver. Placement and the
destination compute cannot run in a unit test: a report client and an RPC
client that record what they were asked stand in.
"""

import pytest

from nova.compute import live_migration
from nova.compute import task_states
from nova.compute import vm_states
from nova import objects
from tests.unit.compute import single_moves as moves

DEST = 'host2'


class _Placement(object):
    def __init__(self):
        self.freed, self.moved = [], []

    def delete_allocation_for_instance(self, context, uuid, consumer_type='instance'):
        self.freed.append((uuid, consumer_type))
        return True

    def move_allocations(self, context, source, target, **kwargs):
        self.moved.append((source, target))
        return True


class _Destination(object):
    def __init__(self, fail=False):
        self.handed, self.fail = [], fail

    def post_live_migration_at_destination(self, context, instance, block_migration, host,
                                           migration):
        if self.fail:
            raise RuntimeError('injected: the destination has no such guest')
        self.handed.append((instance.uuid, host))
        instance.host = host
        instance.task_state = None
        instance.save()


class _Source(live_migration.LiveMigrationOperations):
    def __init__(self, left, dest):
        self.host = moves.HOST
        self._init_instance_locks()
        self.image_api = moves.Images()
        self.driver = moves.Driver(self.image_api)
        self.driver.live_migration_left_host = lambda instance: left
        self.reportclient = _Placement()
        self.compute_rpcapi = dest


def _interrupted(ctxt, compute, status='running'):
    instance = moves.make_instance(ctxt, compute, task_states.MIGRATING)
    migration = objects.Migration(
        ctxt, instance_uuid=instance.uuid, source_compute=moves.HOST, dest_compute=DEST,
        source_node=moves.HOST, dest_node=DEST, migration_type='live-migration',
        status=status, uuid='2c4d6e8f-0a1b-4c3d-8e5f-6a7b8c9d0e1f')
    migration.create()
    return instance, migration


def _status(ctxt, migration):
    return objects.Migration.get_by_id(ctxt, migration.id).status


@pytest.mark.usefixtures('fake_rpc')
def test_a_guest_that_left_is_handed_to_the_destination(ctxt):
    dest = _Destination()
    compute = _Source(left=True, dest=dest)
    instance, migration = _interrupted(ctxt, compute)
    compute._reconcile_interrupted_live_migrations(ctxt)
    found = moves.stored(ctxt, instance)
    assert dest.handed == [(instance.uuid, DEST)]
    assert (found.host, found.task_state, found.vm_state) == (DEST, None, vm_states.ACTIVE)
    assert _status(ctxt, migration) == 'completed'
    # The source's allocation (held by the migration) goes; the server keeps its own.
    assert compute.reportclient.freed == [(migration.uuid, 'migration')]
    assert compute.reportclient.moved == []


@pytest.mark.usefixtures('fake_rpc')
@pytest.mark.parametrize('left, fail', [(False, False), (True, True)])
def test_a_guest_still_here_or_not_taken_rolls_the_migration_back(ctxt, left, fail):
    dest = _Destination(fail=fail)
    compute = _Source(left=left, dest=dest)
    instance, migration = _interrupted(ctxt, compute)
    compute._reconcile_interrupted_live_migrations(ctxt)
    found = moves.stored(ctxt, instance)
    assert dest.handed == []
    assert (found.host, found.task_state) == (moves.HOST, None)
    assert _status(ctxt, migration) == 'error'
    assert compute.reportclient.moved == [(migration.uuid, instance.uuid)]
    assert compute.reportclient.freed == []


@pytest.mark.usefixtures('fake_rpc')
def test_a_migration_not_yet_running_is_never_handed_over(ctxt):
    dest = _Destination()
    compute = _Source(left=True, dest=dest)
    instance, migration = _interrupted(ctxt, compute, status='preparing')
    compute._reconcile_interrupted_live_migrations(ctxt)
    assert dest.handed == []
    assert _status(ctxt, migration) == 'error'
