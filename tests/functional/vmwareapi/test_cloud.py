"""A cloud whose nova-compute runs ``vmwareapi.VMwareVCDriver`` against nova-vcsim:
API, conductor, scheduler and compute in this process over a private RabbitMQ
vhost, real Placement and Glance, driven through the REST API.

Besides the happy path (boot from a VMDK image, stop/start, the hypervisor
as the cluster, delete), what a user and an operator see when vCenter
misbehaves:

- a vCenter task that fails puts the server in ERROR with a fault naming
  vCenter's error, and leaves no VM behind;
- vCenter going away in the middle of a boot: the server goes to ERROR with a
  fault saying vCenter is unreachable (after api_retry_count attempts), the
  compute service is disabled with that reason, nova-compute keeps running,
  and when vCenter is back the service is enabled and boots work again;
- vCenter unreachable when nova-compute starts: it starts anyway, disabled,
  and recovers the same way.
"""

import os

import pytest
import requests

from nova import context as nova_context
from tests.fixtures import cloud
from tests.fixtures import rabbit
from tests.fixtures import vcsim as vcsim_fixture
from tests.fixtures.waiting import wait_for
from tests.functional.vmwareapi import test_driver as driver_tests

HOST = 'vmware-compute-1'
FLAVOR = ('m1.vm', 2, 512, 0)  # root disk of the image's size: small snapshots


@pytest.fixture(scope='module')
def env(tmp_path_factory, glance_url, sim):
    if rabbit.unavailable_reason():
        pytest.skip(rabbit.unavailable_reason())
    tmp = tmp_path_factory.mktemp('vmwarecloud')
    image = driver_tests.upload(glance_url, vcsim_fixture.make_vmdk(tmp / 'disk.vmdk'),
                                vmware_disktype='sparse', vmware_ostype='otherLinux64Guest',
                                visibility='public')
    with cloud.running_cloud(
            tmp, glance_url=glance_url, hosts=(HOST,), flavors=(FLAVOR,),
            extra=vcsim_fixture.conf_section(sim),
            overrides={'compute_driver': 'vmwareapi.VMwareVCDriver'}) as running:
        running.update(sim=sim, vmdk=image)
        yield running


def _boot(env, name):
    resp = env['client'].post('/servers', {'server': {
        'name': name, 'imageRef': env['vmdk'], 'flavorRef': '1', 'networks': 'none'}},
        version='2.37')
    assert resp.status_int == 202, resp.body
    return resp.json_body_or_none['server']['id']


def _show(env, server_id):
    return env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']


def _wait(env, server_id, status, timeout=120):
    wait_for(lambda: _show(env, server_id)['status'] in (status, 'ERROR'), timeout=timeout,
             interval=0.3, what='server %s' % status)
    shown = _show(env, server_id)
    assert shown['status'] == status, shown.get('fault')
    return shown


def _delete(env, server_id):
    env['client'].delete('/servers/%s' % server_id)
    wait_for(lambda: env['client'].get('/servers/%s' % server_id).status_int == 404,
             timeout=120, what='server gone')


def _driver(env):
    return env['services'][-1].manager.driver


def _vm(env, server_id):
    """(power state, numCPU, memoryMB) of the server's VM in vCenter, or None."""
    drv = _driver(env)
    index = drv.session.service('searchIndex')
    vm = drv.session.invoke(index, 'FindByUuid', datacenter=drv.cluster.datacenter,
                            uuid=server_id, vmSearch=True, instanceUuid=True)
    if vm is None:
        return None
    props = drv.session.props(vm, ['runtime.powerState', 'config.hardware.numCPU',
                                   'config.hardware.memoryMB'])
    return (props['runtime.powerState'], props['config.hardware.numCPU'],
            props['config.hardware.memoryMB'])


def _compute_service(env):
    services = env['admin'].get('/os-services?binary=nova-compute',
                                version='2.53').json_body_or_none['services']
    return next(s for s in services if s['host'] == HOST)


def _resource_update(env):
    """What the periodic resource update does (and so when the driver reconnects)."""
    manager = env['services'][-1].manager
    manager.update_available_resource(nova_context.get_admin_context())


def test_boot_stop_start_and_delete_against_the_simulator(env):
    hypervisors = env['admin'].get('/os-hypervisors/detail', version='2.53')
    [hyp] = hypervisors.json_body_or_none['hypervisors']
    assert hyp['hypervisor_type'] == 'VMware vCenter Server'
    assert hyp['vcpus'] == 6 and hyp['memory_mb'] == 3 * (4294430720 // 1024 ** 2)
    assert hyp['hypervisor_hostname'] == _driver(env).cluster.nodename
    server_id = _boot(env, 'vm')
    shown = _wait(env, server_id, 'ACTIVE')
    assert shown['OS-EXT-SRV-ATTR:hypervisor_hostname'] == hyp['hypervisor_hostname']
    assert _vm(env, server_id) == ('poweredOn', 2, 512)
    env['client'].post('/servers/%s/action' % server_id, {'os-stop': None})
    _wait(env, server_id, 'SHUTOFF')
    assert _vm(env, server_id)[0] == 'poweredOff'
    env['client'].post('/servers/%s/action' % server_id, {'os-start': None})
    _wait(env, server_id, 'ACTIVE')
    assert _vm(env, server_id)[0] == 'poweredOn'
    folder = os.path.join(driver_tests.datastore_dir(_driver(env)), server_id)
    assert os.path.isdir(folder)
    _delete(env, server_id)
    assert _vm(env, server_id) is None and not os.path.exists(folder)


def test_a_failing_vcenter_task_puts_the_server_in_error(env):
    env['sim'].inject_fault('PowerOnVM_Task', 'Host DC0_C0_H0 lost its storage',
                            kind='SystemError')
    server_id = _boot(env, 'doomed')
    wait_for(lambda: _show(env, server_id)['status'] == 'ERROR', timeout=120,
             what='server ERROR')
    fault = _show(env, server_id)['fault']
    assert 'SystemError' in fault['message'] and 'lost its storage' in fault['message']
    assert _vm(env, server_id) is None  # the half-built VM was removed
    _delete(env, server_id)
    server_id = _boot(env, 'fine')  # the fault was for one call only
    _wait(env, server_id, 'ACTIVE')
    _delete(env, server_id)


def _restart_simulator(env):
    sim = env['sim']
    sim.start()
    _resource_update(env)
    wait_for(lambda: _compute_service(env)['status'] == 'enabled', timeout=60,
             what='compute service enabled again')


def test_vcenter_going_away_during_a_boot(env):
    sim = env['sim']
    sim.delay('SearchDatastore_Task', 30)  # the image cache's first look
    server_id = _boot(env, 'interrupted')
    wait_for(lambda: _show(env, server_id).get('OS-EXT-STS:task_state') == 'spawning',
             timeout=60, what='spawning')
    sim.stop()
    try:
        wait_for(lambda: _show(env, server_id)['status'] == 'ERROR', timeout=120,
                 what='server ERROR')
        fault = _show(env, server_id)['fault']['message']
        assert 'vCenter 127.0.0.1:%d unreachable' % sim.port in fault
        service = _compute_service(env)
        assert service['status'] == 'disabled' and service['state'] == 'up'
        assert service['disabled_reason'].startswith('AUTO: vCenter 127.0.0.1')
    finally:
        _restart_simulator(env)
    _delete(env, server_id)
    server_id = _boot(env, 'after')
    _wait(env, server_id, 'ACTIVE')
    _delete(env, server_id)


def test_vcenter_unreachable_when_nova_compute_starts(env):
    from nova import service
    sim = env['sim']
    env['services'][-1].stop()
    sim.stop()
    try:
        new = service.Service.create(host=HOST, binary='nova-compute')
        new.start()  # does not fail: the driver waits for vCenter
        env['services'][-1] = new
        wait_for(lambda: _compute_service(env)['status'] == 'disabled', timeout=60,
                 what='compute service disabled')
        assert 'unreachable' in _compute_service(env)['disabled_reason']
        # nova-compute itself runs: its heartbeats keep the service up.
        wait_for(lambda: _compute_service(env)['state'] == 'up', timeout=60,
                 what='compute service up')
    finally:
        _restart_simulator(env)
    server_id = _boot(env, 'recovered')
    _wait(env, server_id, 'ACTIVE')
    _delete(env, server_id)


def test_snapshot_to_glance(env, glance_url):
    server_id = _boot(env, 'snap')
    _wait(env, server_id, 'ACTIVE')
    resp = env['client'].post('/servers/%s/action' % server_id,
                              {'createImage': {'name': 'snap-image'}}, version='2.45')
    assert resp.status_int == 202, resp.body
    image_id = resp.json_body_or_none['image_id']
    wait_for(lambda: requests.get('%s/v2/images/%s' % (glance_url, image_id),
                                  headers=cloud.GLANCE_ADMIN,
                                  timeout=10).json()['status'] == 'active',
             timeout=120, what='snapshot image active')
    image = requests.get('%s/v2/images/%s' % (glance_url, image_id),
                         headers=cloud.GLANCE_ADMIN, timeout=10).json()
    assert image['disk_format'] == 'vmdk' and image['vmware_disktype'] == 'preallocated'
    _delete(env, server_id)
