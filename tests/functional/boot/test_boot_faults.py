"""Boots that a fault interrupts end deletable and leave Placement exact.

Every service in this process over the real RabbitMQ (a private vhost), real
Placement, real Glance and SQLite cells. Each fault is a message lost or a
delivery that fails at one step of the boot, injected into the running
service.
"""

import threading

import oslo_messaging as messaging
import pytest

from nova.compute import bookkeeping

from nova import objects
from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.boot.test_boot_flow import _status, _usages
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

HOSTS = ('faults-compute-1',)
ZERO = {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
ONE_TINY = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    with cloud.running_cloud(tmp_path_factory.mktemp('faultcloud'), glance_url=glance_url,
                             hosts=HOSTS) as env:
        yield env


@pytest.fixture
def compute_task(cloud_env, monkeypatch):
    """Conductor's build endpoint in the running conductor service."""
    conductor = cloud_env['services'][0]
    return conductor.manager.compute_task_mgr


def _boot(env, name):
    resp = env['client'].post('/servers', {'server': {
        'name': name, 'imageRef': env['image'], 'flavorRef': '1'}})
    assert resp.status_int == 202, resp.body
    return resp.json_body_or_none['server']['id']


def _listed_ids(env):
    return [s['id'] for s in env['client'].get('/servers').json_body_or_none['servers']]


def _deleted_in_one(env, server_id):
    assert env['client'].delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: env['client'].get('/servers/%s' % server_id).status_int == 404,
             what='server gone')
    assert server_id not in _listed_ids(env)


def test_deleting_a_build_conductor_lost_frees_its_allocation(cloud_env, compute_task,
                                                              monkeypatch):
    lost = []
    # Conductor stops after the scheduler claimed the host (killed, in effect).
    monkeypatch.setattr(compute_task, '_place_and_build', lambda *a, **kw: lost.append(a))
    server_id = _boot(cloud_env, 'lost')
    wait_for(lambda: lost, what='scheduled, then lost')
    assert _usages(cloud_env) == ONE_TINY
    assert _status(cloud_env['client'], server_id) == 'BUILD'
    _deleted_in_one(cloud_env, server_id)
    assert _usages(cloud_env) == ZERO


def test_a_failed_cast_to_compute_leaves_one_deletable_server_in_error(cloud_env,
                                                                       compute_task,
                                                                       monkeypatch):
    def undeliverable(*args, **kwargs):
        raise messaging.MessageDeliveryFailure('injected: compute queue unreachable')
    monkeypatch.setattr(compute_task.compute_rpcapi, 'build_and_run_instance',
                        undeliverable)
    server_id = _boot(cloud_env, 'undelivered')
    wait_for(lambda: _status(cloud_env['client'], server_id) == 'ERROR', what='ERROR')
    server = cloud_env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']
    assert 'MessageDeliveryFailure' in server['fault']['message']
    assert _listed_ids(cloud_env).count(server_id) == 1
    assert _usages(cloud_env) == ZERO
    # One record, in the cell its mapping names: no copy left in cell0.
    mapping = objects.InstanceMapping.get_by_instance_uuid(cloud_env['ctxt'], server_id)
    assert mapping.cell_mapping.uuid == cloud_env['cell1'].uuid
    _deleted_in_one(cloud_env, server_id)


def test_a_create_whose_cast_to_conductor_fails_leaves_nothing(cloud_env, monkeypatch):
    from nova.compute import api as compute_api

    def broker_gone(*args, **kwargs):
        raise messaging.MessageDeliveryFailure('injected: conductor queue unreachable')
    monkeypatch.setattr(compute_api.get().compute_task_api, 'schedule_and_build_instances',
                        broker_gone)
    before = _listed_ids(cloud_env)
    resp = cloud_env['client'].post('/servers', {'server': {
        'name': 'unsent', 'imageRef': cloud_env['image'], 'flavorRef': '1'}})
    assert resp.status_int == 500
    assert _listed_ids(cloud_env) == before
    assert not objects.BuildRequestList.get_all(cloud_env['ctxt'])


def _sweep_past_the_build_timeout(cloud_env, conductor, server_id):
    """With a one-second instance_build_timeout, run conductor's sweep of lost
    builds until it has put the server in ERROR."""
    cloud_env['conf'].set_override('instance_build_timeout', 1)
    try:
        def swept():
            conductor._end_lost_builds(cloud_env['ctxt'])
            return _status(cloud_env['client'], server_id) == 'ERROR'
        wait_for(swept, what='build timed out')
    finally:
        cloud_env['conf'].clear_override('instance_build_timeout')


def test_a_lost_build_ends_in_error_once_the_build_timeout_passes(cloud_env, compute_task,
                                                                 monkeypatch):
    conductor = cloud_env['services'][0].manager
    lost = []
    monkeypatch.setattr(compute_task, '_place_and_build', lambda *a, **kw: lost.append(a))
    server_id = _boot(cloud_env, 'overdue')
    wait_for(lambda: lost, what='scheduled, then lost')
    monkeypatch.undo()
    _sweep_past_the_build_timeout(cloud_env, conductor, server_id)
    server = cloud_env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']
    assert 'instance_build_timeout' in server['fault']['message']
    assert _usages(cloud_env) == ZERO
    _deleted_in_one(cloud_env, server_id)


def test_a_claim_saved_after_the_build_timeout_sweep_loses(cloud_env, compute_task,
                                                           monkeypatch):
    """The host's claim reaches the cell record only after conductor's sweep
    ended the build (the save was lost with a killed conductor and retried a
    minute later): the late claim must not take the ERROR server back into a
    build that ends ACTIVE with no allocation (the sweep freed it)."""
    conductor = cloud_env['services'][0].manager
    compute = cloud_env['services'][2].manager
    held, release, finished = threading.Event(), threading.Event(), threading.Event()
    real_save_claimed, real_build = bookkeeping.save_claimed, compute._locked_build

    def late_claim(*args, **kwargs):
        held.set()
        release.wait(60)
        return real_save_claimed(*args, **kwargs)

    def build(*args):
        try:
            real_build(*args)
        finally:
            finished.set()

    monkeypatch.setattr(bookkeeping, 'save_claimed', late_claim)
    monkeypatch.setattr(compute, '_locked_build', build)
    try:
        server_id = _boot(cloud_env, 'late-claim')
        wait_for(held.is_set, what='the host about to save its claim')
        _sweep_past_the_build_timeout(cloud_env, conductor, server_id)
    finally:
        release.set()
    wait_for(finished.is_set, what='the host done with the build')
    assert _status(cloud_env['client'], server_id) == 'ERROR'
    server = cloud_env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']
    assert 'instance_build_timeout' in server['fault']['message']
    assert server['OS-EXT-SRV-ATTR:host'] is None
    assert server_id not in compute.driver.list_instance_uuids()
    assert server_id not in compute.rt.tracked_instances
    assert _usages(cloud_env) == ZERO
    _deleted_in_one(cloud_env, server_id)
