"""The power-sync periodic tasks follow nova.conf as parsed at start, not at import."""

import pytest

import nova.conf
from nova.compute import power_sync
from nova import manager

CONF = nova.conf.CONF


class _Manager(power_sync.PowerSyncOperations, manager.Manager):
    pass


@pytest.fixture
def overrides():
    names = []

    def _set(**values):
        for name, value in values.items():
            CONF.set_override(name, value)
            names.append(name)
    yield _set
    for name in names:
        CONF.clear_override(name)


def _tasks(**values):
    mgr = _Manager(host='h1')
    mgr._init_power_sync()
    mgr._sync_executor.shutdown()
    return {name: mgr._periodic_spacing[name] for name, _task in mgr._periodic_tasks}


def test_intervals_from_the_options(overrides):
    overrides(sync_power_state_interval=7, reclaim_instance_interval=3, reboot_timeout=30)
    tasks = _tasks()
    assert tasks['_sync_power_states'] == 7
    assert tasks['_reclaim_queued_deletes'] == 3
    assert tasks['_poll_rebooting_instances'] == 30


def test_disabled_tasks_are_not_scheduled(overrides):
    overrides(sync_power_state_interval=-1, reclaim_instance_interval=0, reboot_timeout=0)
    tasks = _tasks()
    assert '_sync_power_states' not in tasks
    assert '_reclaim_queued_deletes' not in tasks
    assert '_poll_rebooting_instances' not in tasks
