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
from tests.unit.api.conftest import Client

HOST = 'libvirt-compute-1'


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    virt_type = host_fixture.require_guest_host()
    if rabbit.unavailable_reason():
        pytest.skip(rabbit.unavailable_reason())
    image_path = guest_image_fixture.guest_image_path()
    from tools import placement_server
    tmp = tmp_path_factory.mktemp('libvirtcloud')
    server, placement_url = placement_server.serve_in_thread(str(tmp / 'placement'))
    image_id = _upload_image(glance_url, image_path)
    extra = ('\n[glance]\nendpoint_override = %s\nnum_retries = 0\n'
             '[api]\nauth_strategy = noauth2\n'
             '[libvirt]\nvirt_type = %s\nconnection_uri = %s\n'
             % (glance_url, virt_type, host_fixture.URI))
    try:
        with rabbit.temporary_vhost() as transport_url, cloud.nova_in_process(
                tmp, transport_url=transport_url, placement_url=placement_url,
                extra=extra) as (conf, ctxt, _cell1):
            conf.set_override('compute_driver', 'libvirt.LibvirtDriver')
            conf.set_override('instances_path', str(tmp / 'instances'))
            yield from _boot_cloud(conf, ctxt, image_id, placement_url, tmp)
    finally:
        server.shutdown()


def _boot_cloud(conf, ctxt, image_id, placement_url, tmp):
    from nova import context, objects, service
    from nova.db import migration
    cell0 = objects.CellMapping.get_by_uuid(ctxt, objects.CellMapping.CELL0_UUID)
    with context.target_cell(ctxt, cell0) as cctxt:
        migration.db_sync(database='main', context=cctxt)
    objects.Flavor(ctxt, flavorid='1', name='m1.guest', vcpus=1, memory_mb=128, root_gb=1,
                   ephemeral_gb=0, swap=0, rxtx_factor=1.0, is_public=True,
                   disabled=False).create()
    services = []
    try:
        for binary in ('nova-conductor', 'nova-scheduler'):
            services.append(service.Service.create(binary=binary))
            services[-1].start()
        services.append(service.Service.create(host=HOST, binary='nova-compute'))
        services[-1].start()
        from nova.objects import host_mapping
        host_mapping.discover_hosts(ctxt)
        from nova.wsgi import osapi_compute
        app = osapi_compute.init_application(configure=False)
        yield {'client': Client(app, token='demo:demo-project'),
               'admin': Client(app, token='admin:admin'), 'image': image_id,
               'instances': str(tmp / 'instances'),
               # The running services (conductor, scheduler, compute last): a
               # test may swap the compute for a new one, the fixture stops
               # whatever is in the list at the end.
               'services': services, 'placement': placement_url}
    finally:
        for svc in reversed(services):
            svc.stop()


def _upload_image(url, path):
    headers = {'X-Auth-Token': 'admin', 'X-Roles': 'admin'}
    image = requests.post(url + '/v2/images', json={
        'name': 'nova-test-guest', 'disk_format': 'qcow2', 'container_format': 'bare',
        'visibility': 'public'}, headers=headers, timeout=30).json()
    with open(path, 'rb') as data:
        requests.put(url + '/v2/images/%s/file' % image['id'], data=data,
                     headers=dict(headers, **{'Content-Type': 'application/octet-stream'}),
                     timeout=120).raise_for_status()
    return image['id']


def _status(client, server_id):
    resp = client.get('/servers/%s' % server_id)
    return resp.json_body_or_none['server']['status'] if resp.status_int == 200 else resp


def test_boot_runs_a_guest_and_delete_removes_it(cloud_env):
    client = cloud_env['client']
    resp = client.post('/servers', {'server': {
        'name': 'guest', 'imageRef': cloud_env['image'], 'flavorRef': '1',
        'networks': 'none'}}, version='2.37')
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
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
        assert client.delete('/servers/%s' % server_id).status_int == 204
        wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404,
                 timeout=120, what='server gone')
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
