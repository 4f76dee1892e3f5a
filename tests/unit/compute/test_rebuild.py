"""The compute manager's rebuild: the task steps, the driver's rebuild or the
destroy-and-spawn default, a stopped server staying stopped, failures to ERROR."""

import pytest

from nova.compute import task_states
from nova.compute import vm_states
from nova.virt import fake
from tests.unit.compute import single_moves as moves


@pytest.fixture
def compute(fake_rpc):
    return moves.Host()


def _rebuild(compute, ctxt, instance, image=moves.IMAGE2, preserve=False):
    compute.rebuild_instance(ctxt, instance, 'pw', [], image, moves.IMAGE,
                             preserve_ephemeral=preserve)


def test_rebuild_steps_through_upstream_task_states(compute, ctxt):
    instance = moves.make_instance(ctxt, compute, task_states.REBUILDING)
    seen = []
    original = compute.driver.spawn

    def spawn(context, inst, *args, **kwargs):
        seen.append(moves.stored(ctxt, inst).task_state)
        return original(context, inst, *args, **kwargs)

    compute.driver.spawn = spawn
    before = compute.driver.instances[instance.uuid].ephemeral
    _rebuild(compute, ctxt, instance, preserve=True)
    assert seen == [task_states.REBUILD_SPAWNING]
    found = moves.stored(ctxt, instance)
    assert (found.vm_state, found.task_state, found.power_state) == (
        vm_states.ACTIVE, None, fake.POWER_RUNNING)
    guest = compute.driver.instances[instance.uuid]
    assert guest.image_id == moves.IMAGE2 and guest.rebuilds == 1
    assert guest.ephemeral == before


def test_a_stopped_server_is_stopped_after_its_rebuild(compute, ctxt):
    instance = moves.make_instance(ctxt, compute, task_states.REBUILDING,
                                   vm_state=vm_states.STOPPED, running=False)
    _rebuild(compute, ctxt, instance)
    found = moves.stored(ctxt, instance)
    assert (found.vm_state, found.task_state, found.power_state) == (
        vm_states.STOPPED, None, fake.POWER_SHUTDOWN)


def test_without_a_driver_rebuild_ephemeral_cannot_be_kept(compute, ctxt):
    instance = moves.make_instance(ctxt, compute, task_states.REBUILDING)

    def no_rebuild(*args, **kwargs):
        raise NotImplementedError()

    compute.driver.rebuild = no_rebuild
    _rebuild(compute, ctxt, instance)  # the default: destroy, then spawn
    assert moves.stored(ctxt, instance).vm_state == vm_states.ACTIVE
    assert compute.driver.instances[instance.uuid].image_id == moves.IMAGE2

    found = moves.stored(ctxt, instance)
    found.task_state = task_states.REBUILDING
    found.save()
    _rebuild(compute, ctxt, found, preserve=True)
    found = moves.stored(ctxt, instance)
    assert (found.vm_state, found.task_state) == (vm_states.ERROR, None)
    assert 'ephemeral' in moves.faults(ctxt, instance)[0].message


def test_a_failed_spawn_puts_the_server_in_error_with_a_fault(compute, ctxt):
    instance = moves.make_instance(ctxt, compute, task_states.REBUILDING)
    compute.driver.fail_spawn = True
    _rebuild(compute, ctxt, instance)
    found = moves.stored(ctxt, instance)
    assert (found.vm_state, found.task_state) == (vm_states.ERROR, None)
    assert len(moves.faults(ctxt, instance)) == 1


def test_a_rebuild_whose_task_changed_is_abandoned(compute, ctxt):
    instance = moves.make_instance(ctxt, compute, task_states.DELETING)
    _rebuild(compute, ctxt, instance)
    assert compute.driver.instances[instance.uuid].rebuilds == 0
    assert moves.stored(ctxt, instance).task_state == task_states.DELETING


def test_an_image_gone_meanwhile_fails_the_rebuild(compute, ctxt):
    instance = moves.make_instance(ctxt, compute, task_states.REBUILDING)
    _rebuild(compute, ctxt, instance, image='0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a')
    assert moves.stored(ctxt, instance).vm_state == vm_states.ERROR
