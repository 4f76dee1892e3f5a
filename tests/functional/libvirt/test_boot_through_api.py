"""A server booted through the REST API lands as a real QEMU guest: API,
conductor, scheduler and one nova-compute with ``libvirt.LibvirtDriver`` in
this process over a private RabbitMQ vhost, real Placement, real Glance
serving the project's test guest image, real libvirtd."""

import os

import pytest
import requests

from tests.fixtures import cloud
from tests.fixtures import guest_image as guest_image_fixture
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures import rabbit
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import glance_url  # noqa: F401 (fixture)

HOST = 'libvirt-compute-1'
FLAVOR = ('m1.guest', 1, 128, 1)


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    virt_type = host_fixture.require_guest_host()
    if rabbit.unavailable_reason():
        pytest.skip(rabbit.unavailable_reason())
    image_path = guest_image_fixture.guest_image_path()
    tmp = tmp_path_factory.mktemp('libvirtcloud')
    instances = str(tmp / 'instances')
    extra = ('\n[libvirt]\nvirt_type = %s\nconnection_uri = %s\n'
             % (virt_type, host_fixture.URI))
    # The compute is the last of env['services']: a test may swap it for a new one.
    with cloud.running_cloud(
            tmp, glance_url=glance_url, hosts=(HOST,), flavors=(FLAVOR,), extra=extra,
            overrides={'compute_driver': 'libvirt.LibvirtDriver', 'instances_path': instances},
            image_path=image_path) as env:
        env['instances'] = instances
        yield env


def _boot(cloud_env, name):
    """POST a server of the guest image with no network; returns its id once accepted."""
    resp = cloud_env['client'].post('/servers', {'server': {
        'name': name, 'imageRef': cloud_env['image'], 'flavorRef': '1',
        'networks': 'none'}}, version='2.37')
    assert resp.status_int == 202, resp.body
    return resp.json_body_or_none['server']['id']


def _delete(client, server_id):
    """DELETE the server and wait until it is gone from the API."""
    assert client.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404,
             timeout=120, what='server gone')


def _novnc_url(client, server_id):
    """The noVNC console URL of an ACTIVE server (remote-consoles, 2.6)."""
    resp = client.post('/servers/%s/remote-consoles' % server_id,
                       {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
                       version='2.6')
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['remote_console']['url']


def _status(client, server_id):
    resp = client.get('/servers/%s' % server_id)
    return resp.json_body_or_none['server']['status'] if resp.status_int == 200 else resp


def test_boot_runs_a_guest_and_delete_removes_it(cloud_env):
    client = cloud_env['client']
    server_id = _boot(cloud_env, 'guest')
    try:
        wait_for(lambda: _status(client, server_id) in ('ACTIVE', 'ERROR'), timeout=180,
                 what='server ACTIVE')
        shown = cloud_env['admin'].get('/servers/%s' % server_id).json_body_or_none['server']
        assert shown['status'] == 'ACTIVE', shown.get('fault')
        domain = shown['OS-EXT-SRV-ATTR:instance_name']
        assert domain.startswith('instance-')
        assert host_fixture.domain_state(domain) == 'running'
        assert shown['OS-EXT-STS:power_state'] == 1
        log = os.path.join(cloud_env['instances'], server_id, 'console.log')
        wait_for(lambda: guest_image_fixture.READY_MARKER in host_fixture.read_console(log),
                 timeout=180, what='the guest ready marker')
    finally:
        _delete(client, server_id)
    uuids = host_fixture.virsh('list', '--all', '--uuid').stdout.split()
    assert server_id not in uuids
    assert not os.path.exists(os.path.join(cloud_env['instances'], server_id))


def _action(client, server_id, body, version=None):
    resp = client.post('/servers/%s/action' % server_id, body, version=version)
    assert resp.status_int in (200, 202), resp.body
    return resp


def _wait(client, server_id, status, timeout=240):
    wait_for(lambda: _status(client, server_id) in (status, 'ERROR'), timeout=timeout,
             interval=0.5, what='server %s' % status)
    assert _status(client, server_id) == status


def _console(client, server_id):
    resp = client.post('/servers/%s/action' % server_id, {'os-getConsoleOutput': {}})
    return resp.json_body_or_none['output'] if resp.status_int == 200 else ''


def _domain_id(domain):
    return host_fixture.virsh('domid', domain, check=False).stdout.strip()


def test_server_actions_drive_the_guest(cloud_env, glance_url):  # noqa: F811
    client = cloud_env['client']
    ready = guest_image_fixture.READY_MARKER
    resp = client.post('/servers', {'server': {
        'name': 'actions', 'imageRef': cloud_env['image'], 'flavorRef': '1',
        'networks': 'none'}}, version='2.37')
    server_id = resp.json_body_or_none['server']['id']
    try:
        _wait(client, server_id, 'ACTIVE')
        domain = cloud_env['admin'].get('/servers/%s' % server_id).json_body_or_none[
            'server']['OS-EXT-SRV-ATTR:instance_name']
        wait_for(lambda: ready in _console(client, server_id), timeout=180,
                 what='ready marker through os-getConsoleOutput')

        for kind in ('SOFT', 'HARD'):
            before = _domain_id(domain)
            _action(client, server_id, {'reboot': {'type': kind}})
            wait_for(lambda: _status(client, server_id) == 'ACTIVE' and
                     host_fixture.domain_state(domain) == 'running' and
                     _domain_id(domain) != before, timeout=240, interval=0.5,
                     what='%s reboot done' % kind)
        assert 'nova-test-guest: power button, powering off' in _console(client, server_id)

        _action(client, server_id, {'os-stop': None})
        _wait(client, server_id, 'SHUTOFF')
        assert host_fixture.domain_state(domain) == 'shut off'
        _action(client, server_id, {'os-start': None})
        _wait(client, server_id, 'ACTIVE')
        assert host_fixture.domain_state(domain) == 'running'

        _action(client, server_id, {'pause': None})
        _wait(client, server_id, 'PAUSED')
        assert host_fixture.domain_state(domain) == 'paused'
        _action(client, server_id, {'unpause': None})
        _wait(client, server_id, 'ACTIVE')

        _action(client, server_id, {'suspend': None})
        _wait(client, server_id, 'SUSPENDED')
        assert host_fixture.domain_state(domain) == 'shut off'
        _action(client, server_id, {'resume': None})
        _wait(client, server_id, 'ACTIVE')
        assert host_fixture.domain_state(domain) == 'running'

        resp = _action(client, server_id, {'createImage': {'name': 'guest-snap'}},
                       version='2.45')
        image_id = resp.json_body_or_none['image_id']
        headers = {'X-Auth-Token': 'admin', 'X-Roles': 'admin'}

        def image():
            return requests.get('%s/v2/images/%s' % (glance_url, image_id), headers=headers,
                                timeout=30).json()
        wait_for(lambda: image()['status'] == 'active', timeout=240, what='snapshot active')
        assert image()['disk_format'] == 'qcow2' and image()['size'] > 0
        _wait(client, server_id, 'ACTIVE')
        assert host_fixture.domain_state(domain) == 'running'  # a live snapshot
    finally:
        client.delete('/servers/%s' % server_id)
        wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404,
                 timeout=120, what='server gone')
    assert server_id not in host_fixture.virsh('list', '--all', '--uuid').stdout.split()
