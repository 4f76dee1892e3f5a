"""The power-sync periodic tasks follow nova.conf as parsed at start, not at import."""

import pytest

import nova.conf
from nova.compute import delete
from nova.compute import power_sync
from nova import manager

CONF = nova.conf.CONF


class _Manager(power_sync.PowerSyncOperations, delete.DeleteOperations, manager.Manager):
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
    mgr._init_deletes()
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


def test_image_cache_and_resource_intervals_follow_the_options(overrides):
    """Options parsed after import still space the tasks; a negative one removes it."""
    from nova.compute import manager as compute_manager

    class _Compute(compute_manager.ComputeManager):
        def __init__(self):  # only the periodic bookkeeping, no driver or RPC
            manager.Manager.__init__(self, host='h1')

    overrides(update_resources_interval=17)
    CONF.set_override('manager_interval', 33, group='image_cache')
    try:
        mgr = _Compute()
        mgr.set_periodic_spacing('update_available_resource', CONF.update_resources_interval)
        mgr.set_periodic_spacing('_run_image_cache_manager_pass',
                                 CONF.image_cache.manager_interval)
        assert mgr._periodic_spacing['update_available_resource'] == 17
        assert mgr._periodic_spacing['_run_image_cache_manager_pass'] == 33
        mgr.set_periodic_spacing('_run_image_cache_manager_pass', -1)
        assert '_run_image_cache_manager_pass' not in dict(mgr._periodic_tasks)
    finally:
        CONF.clear_override('manager_interval', group='image_cache')
