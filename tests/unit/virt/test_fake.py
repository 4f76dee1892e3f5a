"""The fake driver's power operations change the guest and emit lifecycle events."""

import pytest

from nova.compute import power_state
from nova import exception
from nova import objects
from nova.virt import event as virtevent
from nova.virt import fake


class _Inst(object):
    def __init__(self, uuid):
        self.uuid = uuid
        self.name = 'instance-%s' % uuid[:8]


@pytest.fixture
def driver():
    objects.register_all()
    drv = fake.FakeDriver(None)
    drv.events = []
    drv.register_event_listener(drv.events.append)
    return drv


def test_power_cycle_and_events(driver):
    inst = _Inst('0c8d3e26-6b2a-4c57-8a39-3e0f7b1d9a11')
    driver.spawn(None, inst, None, [], None, None)
    assert driver.get_info(inst).state == power_state.RUNNING
    steps = [
        (lambda: driver.power_off(inst), power_state.SHUTDOWN,
         virtevent.EVENT_LIFECYCLE_STOPPED),
        (lambda: driver.power_on(None, inst, []), power_state.RUNNING,
         virtevent.EVENT_LIFECYCLE_STARTED),
        (lambda: driver.pause(inst), power_state.PAUSED, virtevent.EVENT_LIFECYCLE_PAUSED),
        (lambda: driver.unpause(inst), power_state.RUNNING,
         virtevent.EVENT_LIFECYCLE_RESUMED),
        (lambda: driver.suspend(None, inst), power_state.SUSPENDED,
         virtevent.EVENT_LIFECYCLE_SUSPENDED),
        (lambda: driver.resume(None, inst, []), power_state.RUNNING,
         virtevent.EVENT_LIFECYCLE_RESUMED),
    ]
    for step, state, transition in steps:
        step()
        assert driver.get_info(inst).state == state
        assert driver.events[-1].uuid == inst.uuid
        assert driver.events[-1].transition == transition
    driver.reboot(None, inst, [], 'HARD')
    driver.trigger_crash_dump(inst)
    output = driver.get_console_output(None, inst)
    assert 'rebooted (HARD)' in output and 'NMI' in output


def test_unknown_guest_is_instance_not_found(driver):
    inst = _Inst('5f3c8a0e-2d7b-4e61-9c44-0b1a2e3d4f55')
    with pytest.raises(exception.InstanceNotFound):
        driver.power_off(inst)
    driver.resume_state_on_host_boot(None, inst, [])
    assert driver.get_info(inst).state == power_state.RUNNING


def test_guest_dying_outside_is_an_event(driver):
    inst = _Inst('7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d')
    driver.spawn(None, inst, None, [], None, None)
    driver.simulate_guest_shutdown(inst.uuid)
    assert driver.get_info(inst).state == power_state.SHUTDOWN
    assert driver.events[-1].get_name() == 'Stopped'


def test_set_nodes_makes_one_driver_report_many_nodes(driver):
    nodes = ['node-a', 'node-b', 'node-c']
    fake.set_nodes(nodes)
    try:
        assert driver.get_available_nodes() == nodes
        by_uuid = driver.get_nodenames_by_uuid()
        assert sorted(by_uuid.values()) == nodes and len(by_uuid) == 3
        # Stable: the same names give the same providers after a restart.
        assert fake.FakeDriver(None).get_nodenames_by_uuid() == by_uuid
        for node_uuid, name in by_uuid.items():
            resources = driver.get_available_resource(name)
            assert resources['uuid'] == node_uuid
            assert resources['hypervisor_hostname'] == name
    finally:
        fake.restore_nodes()
    assert len(driver.get_available_nodes()) == 1
