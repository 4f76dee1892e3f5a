"""What the cloud says when things go wrong under the libvirt driver.

Services in this process (the cloud of test_boot_through_api: API,
conductor, scheduler, nova-compute with LibvirtDriver, real Placement and
Glance), real QEMU guests under libvirtd:

- a guest destroyed behind Nova's back is reported SHUTOFF (lifecycle event
  or power-state sync), as upstream stops an ACTIVE server whose guest died;
- nova-compute restarted while its guest runs picks it up again, and one
  destroyed while nova-compute was down is reported SHUTOFF afterwards;
- images that cannot be booted (not a disk, or data not matching its hash)
  fail the build with a fault naming the problem, leaving nothing behind.
"""

import glob
import os

import requests

from nova.virt.libvirt import imagebackend
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import glance_url  # noqa: F401 (fixture)
from tests.functional.libvirt import test_boot_through_api as boot
from tests.functional.libvirt.test_boot_through_api import cloud_env  # noqa: F401

GLANCE_HEADERS = {'X-Auth-Token': 'admin', 'X-Roles': 'admin'}
SHUTDOWN = 4  # nova.compute.power_state.SHUTDOWN
RUNNING = 1


def _boot(env, name, image=None):
    resp = env['client'].post('/servers', {'server': {
        'name': name, 'imageRef': image or env['image'], 'flavorRef': '1',
        'networks': 'none'}}, version='2.37')
    assert resp.status_int == 202, resp.body
    return resp.json_body_or_none['server']['id']


def _show(env, server_id):
    return env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']


def _delete(env, server_id):
    client = env['client']
    client.delete('/servers/%s' % server_id)
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404,
             timeout=120, what='server gone')
    assert server_id not in host_fixture.virsh('list', '--all', '--uuid').stdout.split()


def _compute(env):
    return env['services'][-1]


def _restart_compute(env, between=None):
    """Stop nova-compute, run ``between`` while it is down, start a new one."""
    from nova import service
    old = env['services'][-1]
    old.stop()
    try:
        if between:
            between()
    finally:
        new = service.Service.create(host=boot.HOST, binary='nova-compute')
        new.start()
        env['services'][-1] = new
    return new


def _sync_power_states(env):
    from nova import context
    _compute(env).manager._sync_power_states(context.get_admin_context())


def _console_status(env, server_id):
    return env['client'].post('/servers/%s/action' % server_id,
                              {'os-getConsoleOutput': {}}).status_int


def test_guest_destroyed_outside_nova_is_reported_shutoff(cloud_env):  # noqa: F811
    server_id = _boot(cloud_env, 'killed')
    try:
        boot._wait(cloud_env['client'], server_id, 'ACTIVE')
        domain = _show(cloud_env, server_id)['OS-EXT-SRV-ATTR:instance_name']
        host_fixture.virsh('destroy', domain)
        # libvirt's lifecycle event reaches the compute manager, which looks
        # at the guest and stops the server.
        boot._wait(cloud_env['client'], server_id, 'SHUTOFF', timeout=120)
        shown = _show(cloud_env, server_id)
        assert shown['OS-EXT-STS:vm_state'] == 'stopped'
        assert shown['OS-EXT-STS:power_state'] == SHUTDOWN
        assert shown['OS-EXT-STS:task_state'] is None
        assert host_fixture.domain_state(domain) == 'shut off'
        actions = cloud_env['admin'].get(
            '/servers/%s/os-instance-actions' % server_id).json_body_or_none
        assert 'stop' in [a['action'] for a in actions['instanceActions']]
        # Started again through the API, the same domain runs.
        boot._action(cloud_env['client'], server_id, {'os-start': None})
        boot._wait(cloud_env['client'], server_id, 'ACTIVE')
        assert host_fixture.domain_state(domain) == 'running'
    finally:
        _delete(cloud_env, server_id)


def test_compute_restart_reattaches_and_sees_guests_lost_meanwhile(cloud_env):  # noqa: F811
    server_id = _boot(cloud_env, 'survivor')
    try:
        boot._wait(cloud_env['client'], server_id, 'ACTIVE')
        domain = _show(cloud_env, server_id)['OS-EXT-SRV-ATTR:instance_name']
        domain_id = boot._domain_id(domain)

        _restart_compute(cloud_env)
        shown = _show(cloud_env, server_id)
        assert shown['status'] == 'ACTIVE'
        assert shown['OS-EXT-STS:power_state'] == RUNNING
        assert boot._domain_id(domain) == domain_id  # the same QEMU, not a new one
        assert _console_status(cloud_env, server_id) == 200
        _sync_power_states(cloud_env)
        assert _show(cloud_env, server_id)['status'] == 'ACTIVE'

        _restart_compute(cloud_env, between=lambda: host_fixture.virsh('destroy', domain))
        # Start-up records what the guest is now; the power-state sync (its
        # periodic task, run here rather than waited for) stops the server.
        assert _show(cloud_env, server_id)['OS-EXT-STS:power_state'] == SHUTDOWN
        _sync_power_states(cloud_env)
        boot._wait(cloud_env['client'], server_id, 'SHUTOFF', timeout=120)
        shown = _show(cloud_env, server_id)
        assert shown['OS-EXT-STS:vm_state'] == 'stopped'
        assert shown['OS-EXT-STS:power_state'] == SHUTDOWN
        assert host_fixture.domain_state(domain) == 'shut off'
    finally:
        _delete(cloud_env, server_id)


# --- images that cannot be booted ---------------------------------------------------------

def _glance_image(url, data, disk_format='qcow2', container_format='bare'):
    image = requests.post(url + '/v2/images', json={
        'name': 'bad-%s' % disk_format, 'disk_format': disk_format,
        'container_format': container_format, 'visibility': 'public'},
        headers=GLANCE_HEADERS, timeout=30).json()
    resp = requests.put(url + '/v2/images/%s/file' % image['id'], data=data,
                        headers=dict(GLANCE_HEADERS,
                                     **{'Content-Type': 'application/octet-stream'}),
                        timeout=60)
    return image['id'], resp


def _stored_file(tmp_path_factory, image_id):
    """Glance's file store copy of the image (tools/allinone_lib/glance.py layout)."""
    found = {os.path.realpath(p) for p in glob.glob(os.path.join(
        str(tmp_path_factory.getbasetemp()), 'glance-state*', '**', 'images', image_id),
        recursive=True)}  # pytest's '<name>current' links to the numbered directory
    assert len(found) == 1, found
    return found.pop()


def _allocations(env, consumer):
    resp = requests.get(env['placement'] + '/allocations/%s' % consumer,
                        headers={'X-Auth-Token': 'admin',
                                 'OpenStack-API-Version': 'placement 1.39'}, timeout=10)
    resp.raise_for_status()
    return resp.json()['allocations']


def _assert_failed_cleanly(env, server_id, image_id, *words):
    boot._wait(env['client'], server_id, 'ERROR', timeout=180)
    shown = _show(env, server_id)
    message = shown['fault']['message']
    for word in words:
        assert word in message, message
    assert shown['OS-EXT-STS:task_state'] is None
    uuids = host_fixture.virsh('list', '--all', '--uuid').stdout.split()
    assert server_id not in uuids
    assert not os.path.exists(os.path.join(env['instances'], server_id))
    base = os.path.join(env['instances'], '_base')
    leftovers = [n for n in os.listdir(base) if '.part' in n or
                 n.startswith(imagebackend.image_cache_name(image_id))]
    assert leftovers == []
    assert _allocations(env, server_id) == {}


def test_image_that_is_not_a_disk_fails_the_build(cloud_env, glance_url):  # noqa: F811
    # Glance checks the data of 'bare' images against disk_format on upload
    # ([image_format] require_image_format_match), not of other containers.
    image_id, resp = _glance_image(glance_url, os.urandom(256 * 1024 + 3),
                                   container_format='ovf')
    assert resp.status_code == 204, resp.text
    server_id = _boot(cloud_env, 'not-a-disk', image=image_id)
    try:
        _assert_failed_cleanly(cloud_env, server_id, image_id, image_id, 'qcow2')
    finally:
        _delete(cloud_env, server_id)


def test_image_data_not_matching_its_hash_fails_the_build(cloud_env, glance_url,  # noqa: F811
                                                         tmp_path_factory):
    data = open(boot.guest_image_fixture.guest_image_path(), 'rb').read()
    image_id, resp = _glance_image(glance_url, data)
    assert resp.status_code == 204, resp.text
    # Bit rot in the store: same size, one byte changed after Glance hashed it.
    stored = _stored_file(tmp_path_factory, image_id)
    with open(stored, 'r+b') as f:
        f.seek(len(data) // 2)
        byte = f.read(1)
        f.seek(len(data) // 2)
        f.write(bytes([byte[0] ^ 0xFF]))
    server_id = _boot(cloud_env, 'tampered', image=image_id)
    try:
        _assert_failed_cleanly(cloud_env, server_id, image_id, image_id, 'checksum')
    finally:
        _delete(cloud_env, server_id)
