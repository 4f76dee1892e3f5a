"""``/servers`` through the paste app, the real compute API and SQLite databases.

Conductor is reached over oslo.messaging's fake transport and nobody consumes
the cast, so every booted server stays a build request in BUILD: enough for
the API's shapes, filters, paging and errors.  Glance is the one outside
service replaced by an in-memory catalogue.
"""

import uuid

import pytest

import nova.conf
from nova.compute import api as compute_api
from nova import context as nova_context
from nova import exception
from nova import objects
from tests.unit.api.conftest import sample

CONF = nova.conf.CONF

IMAGE = '70a599e0-31e7-49b7-b260-868f441e862b'
QUEUED_IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


class _Images(object):
    """Glance's answers for the two images the tests know."""

    def get(self, context, image_id):
        if image_id == IMAGE:
            return {'id': IMAGE, 'name': 'cirros', 'status': 'active', 'min_ram': 0,
                    'min_disk': 0, 'size': 1024, 'disk_format': 'qcow2',
                    'container_format': 'bare', 'properties': {'architecture': 'x86_64'}}
        if image_id == QUEUED_IMAGE:
            return {'id': image_id, 'status': 'queued', 'properties': {}}
        raise exception.ImageNotFound(image_id=image_id)


@pytest.fixture
def cloud(paste_app, cell1, fake_rpc, monkeypatch):
    monkeypatch.setattr(compute_api.get(), 'image_api', _Images())
    ctxt = nova_context.get_admin_context()
    objects.Flavor(context=ctxt, flavorid='1', name='m1.tiny', memory_mb=512, vcpus=1,
                   root_gb=1, ephemeral_gb=0, swap=0, is_public=True).create()


def _body(**extra):
    server = {'name': 'demo', 'imageRef': IMAGE, 'flavorRef': '1'}
    server.update(extra)
    return {'server': server}


def _v(version):
    return tuple(int(part) for part in version.split('.'))


def _boot(client, version=None, **extra):
    if version and _v(version) >= (2, 37) and 'networks' not in extra:
        extra['networks'] = 'none'
    res = client.post('/servers', _body(**extra), version=version)
    assert res.status_int == 202, res.body
    return res.json_body_or_none['server']


def _error(res, code):
    assert res.status_int == code, (res.status_int, res.body)
    body = res.json_body_or_none
    assert len(body) == 1
    fault = next(iter(body.values()))
    assert fault['code'] == code
    return fault['message']


# --- create -------------------------------------------------------------------------


def test_create_response_matches_sample(user, cloud):
    res = user.post('/servers', _body())
    assert res.status_int == 202, res.body
    server = res.json_body_or_none['server']
    assert sorted(server) == sorted(sample('servers/server-create-resp.json')['server'])
    assert server['security_groups'] == [{'name': 'default'}]
    assert server['OS-DCF:diskConfig'] == 'MANUAL'
    assert len(server['adminPass']) == 12
    assert [link['rel'] for link in server['links']] == ['self', 'bookmark']
    assert res.headers['Location'].endswith('/v2.1/servers/%s' % server['id'])


def test_create_honours_given_password_and_disk_config(user, cloud):
    server = _boot(user, adminPass='s3cret', **{'OS-DCF:diskConfig': 'AUTO'})
    assert server['adminPass'] == 's3cret'
    assert server['OS-DCF:diskConfig'] == 'AUTO'


@pytest.mark.parametrize('version', ['2.37', '2.52', '2.74', '2.90'])
def test_create_at_microversions(user, cloud, max_version, version):
    res = user.post('/servers', _body(networks='none'), version=version)
    assert res.status_int == 202, res.body
    assert sorted(res.json_body_or_none['server']) == sorted(
        sample('servers/v%s/server-create-resp.json' % version)['server'])


def test_create_networks_rules(user, cloud, max_version):
    # 2.37 requires networks and knows 'none' and 'auto'.
    msg = _error(user.post('/servers', _body(), version='2.37'), 400)
    assert "'networks' is a required property" in msg
    assert user.post('/servers', _body(networks='auto'), version='2.37').status_int == 202
    _error(user.post('/servers', _body(networks='bogus'), version='2.37'), 400)
    # Before 2.37 only the list form exists.
    _error(user.post('/servers', _body(networks='none'), version='2.36'), 400)
    msg = _error(user.post('/servers', _body(networks=[{'uuid': 'not-a-uuid'}])), 400)
    assert msg == 'Bad networks format: network uuid is not in proper format (not-a-uuid)'
    # A real network needs a network service, which this cloud does not have.
    _error(user.post('/servers', _body(networks=[{'uuid': str(uuid.uuid4())}])), 400)


def test_create_bad_input(user, cloud):
    assert _error(user.post('/servers', raw=b'{"server": '), 400) == 'Malformed request body'
    msg = _error(user.post('/servers', {'server': {'name': 'x', 'imageRef': IMAGE}}), 400)
    assert "'flavorRef' is a required property" in msg
    assert _error(user.post('/servers', _body(flavorRef='42')), 400) == \
        'Flavor 42 could not be found.'
    assert _error(user.post('/servers', _body(imageRef=str(uuid.uuid4()))), 400).endswith(
        'could not be found.')
    assert _error(user.post('/servers', _body(imageRef=QUEUED_IMAGE)), 400) == \
        'Image %s is not active.' % QUEUED_IMAGE
    msg = _error(user.post('/servers', _body(min_count=-1)), 400)
    assert msg.startswith('Invalid input for field/attribute min_count.')
    msg = _error(user.post('/servers', _body(min_count=3, max_count=2)), 400)
    assert msg == 'min_count must be <= max_count'
    msg = _error(user.post('/servers', _body(name='x' * 256)), 400)
    assert msg.startswith('Invalid input for field/attribute name.')
    assert _error(user.post('/servers', _body(key_name='nope')), 400) == \
        'Invalid key_name provided.'
    _error(user.post('/servers', _body(user_data='not base64!')), 400)
    _error(user.post('/servers', _body(bogus=1)), 400)
    _error(user.post('/servers', _body(metadata={'k': 'v' * 256})), 400)
    assert _error(user.post('/servers', _body(imageRef='')), 400) == \
        'Invalid imageRef provided.'
    # Nothing half-built is left behind.
    assert user.get('/servers').json_body_or_none == {'servers': []}


def test_create_multiple_and_reservation_id(user, cloud):
    res = user.post('/servers', _body(min_count='2', max_count=3,
                                      return_reservation_id=True))
    assert res.status_int == 202, res.body
    assert list(res.json_body_or_none) == ['reservation_id']
    reservation = res.json_body_or_none['reservation_id']
    assert reservation.startswith('r-')
    listed = user.get('/servers?reservation_id=%s' % reservation).json_body_or_none
    assert len(listed['servers']) == 3


# --- show / list / detail -----------------------------------------------------------


def test_show_building_server_matches_sample(user, admin, cloud):
    created = _boot(user, metadata={'My Server Name': 'Apache1'})
    res = user.get('/servers/%s' % created['id'])
    assert res.status_int == 200, res.body
    server = res.json_body_or_none['server']
    assert server['status'] == 'BUILD'
    assert server['OS-EXT-STS:vm_state'] == 'building'
    assert server['metadata'] == {'My Server Name': 'Apache1'}
    assert server['flavor']['id'] == '1'
    assert server['image']['id'] == IMAGE
    assert server['addresses'] == {}
    assert server['hostId'] == ''
    assert server['progress'] == 0
    expected = set(sample('servers/server-get-resp.json')['server'])
    admin_only = {'OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:hypervisor_hostname',
                  'OS-EXT-SRV-ATTR:instance_name'}
    # No security group is known before the network service assigns one.
    assert set(server) == expected - admin_only - {'security_groups'}
    shown = admin.get('/servers/%s' % created['id']).json_body_or_none['server']
    assert admin_only <= set(shown)


def test_show_unknown_server_is_404(user, cloud):
    missing = str(uuid.uuid4())
    assert _error(user.get('/servers/%s' % missing), 404) == \
        'Instance %s could not be found.' % missing
    assert user.get('/servers/not-a-uuid').status_int == 404
    assert user.delete('/servers/%s' % missing).status_int == 404


def test_other_projects_server_is_hidden(user, paste_app, cloud):
    created = _boot(user)
    from tests.unit.api.conftest import Client
    stranger = Client(paste_app, 'eve:otherproject')
    assert stranger.get('/servers/%s' % created['id']).status_int == 404
    assert stranger.get('/servers').json_body_or_none == {'servers': []}


def test_list_and_detail_match_samples(user, cloud):
    created = _boot(user)
    listed = user.get('/servers').json_body_or_none
    assert listed == {'servers': [{
        'id': created['id'], 'name': 'demo', 'links': created['links']}]}
    detail = user.get('/servers/detail').json_body_or_none['servers']
    assert [s['id'] for s in detail] == [created['id']]
    expected = set(sample('servers/servers-details-resp.json')['servers'][0])
    assert set(detail[0]) == expected - {
        'OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:hypervisor_hostname',
        'OS-EXT-SRV-ATTR:instance_name', 'security_groups'}


@pytest.mark.parametrize('version', ['2.3', '2.9', '2.16', '2.19', '2.47', '2.63', '2.73',
                                     '2.90', '2.96', '2.98', '2.100'])
def test_show_keys_per_microversion(admin, user, cloud, max_version, version):
    created = _boot(user, version=version)
    res = admin.get('/servers/%s' % created['id'], version=version)
    assert res.status_int == 200, res.body
    server = res.json_body_or_none['server']
    expected = set(sample('servers/v%s/server-get-resp.json' % version)['server'])
    if _v(version) >= (2, 90):
        # The 2.90+ samples were taken as a project user; an admin sees more.
        expected |= {'OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:hypervisor_hostname',
                     'OS-EXT-SRV-ATTR:instance_name', 'OS-EXT-SRV-ATTR:reservation_id',
                     'OS-EXT-SRV-ATTR:launch_index', 'OS-EXT-SRV-ATTR:kernel_id',
                     'OS-EXT-SRV-ATTR:ramdisk_id', 'OS-EXT-SRV-ATTR:root_device_name',
                     'OS-EXT-SRV-ATTR:user_data', 'host_status'}
    if _v(version) >= (2, 16):
        expected.add('host_status')
    assert set(server) == expected - {'security_groups'}
    if _v(version) >= (2, 47):
        assert sorted(server['flavor']) == sorted(
            sample('servers/v2.47/server-get-resp.json')['server']['flavor'])
        assert server['flavor']['original_name'] == 'm1.tiny'
    else:
        assert sorted(server['flavor']) == ['id', 'links']
    if _v(version) >= (2, 98):
        assert server['image']['properties'] == {'architecture': 'x86_64'}
    user_view = user.get('/servers/%s' % created['id'], version=version).json_body_or_none
    hidden = {'OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:user_data', 'host_status'}
    assert not hidden & set(user_view['server'])


def test_update_renames(user, cloud, max_version):
    created = _boot(user)
    res = user.put('/servers/%s' % created['id'], {'server': {'name': 'renamed'}})
    # A server still being scheduled has no row to rename yet.
    assert res.status_int in (200, 409), res.body
    _error(user.put('/servers/%s' % created['id'], {'server': {'bogus': 1}}), 400)
    _error(user.put('/servers/%s' % uuid.uuid4(), {'server': {'name': 'x'}}), 404)


# --- filters and paging -------------------------------------------------------------


def test_paging_with_servers_links(user, cloud):
    ids = [_boot(user, name='s%d' % i)['id'] for i in range(3)]
    page = user.get('/servers?limit=2').json_body_or_none
    assert len(page['servers']) == 2
    assert set(s['id'] for s in page['servers']) <= set(ids)
    next_link = page['servers_links'][0]
    assert next_link['rel'] == 'next'
    last = page['servers'][-1]['id']
    assert 'marker=%s' % last in next_link['href'] and 'limit=2' in next_link['href']
    rest = user.get('/servers?limit=2&marker=%s' % last).json_body_or_none
    assert len(rest['servers']) == 1
    assert 'servers_links' not in rest
    seen = [s['id'] for s in page['servers'] + rest['servers']]
    assert sorted(seen) == sorted(ids)


def test_list_bad_query(user, cloud):
    msg = _error(user.get('/servers?limit=abc'), 400)
    assert "'abc' does not match" in msg
    _error(user.get('/servers?limit=-1'), 400)
    bogus = str(uuid.uuid4())
    assert _error(user.get('/servers/detail?marker=%s' % bogus), 400) == \
        'marker [%s] not found' % bogus
    _error(user.get('/servers?sort_key=nonsense'), 400)
    _error(user.get('/servers?changes-since=yesterday'), 400)


def test_filters(user, admin, cloud, max_version):
    _boot(user, name='alpha')
    _boot(user, name='beta')
    names = lambda res: sorted(s['name'] for s in res.json_body_or_none['servers'])  # noqa
    assert names(user.get('/servers?name=alp')) == ['alpha']
    assert names(user.get('/servers?status=BUILD')) == ['alpha', 'beta']
    assert names(user.get('/servers?status=ACTIVE')) == []
    assert names(user.get('/servers?status=NOPE')) == []
    # Unknown parameters are ignored for project users.
    assert names(user.get('/servers?whatever=1')) == ['alpha', 'beta']
    # A project user cannot list every project; an admin can.
    assert user.get('/servers?all_tenants=1').status_int == 403
    assert names(admin.get('/servers')) == []
    assert names(admin.get('/servers?all_tenants=1')) == ['alpha', 'beta']
    assert names(user.get('/servers?locked=true', version='2.73')) == []
    _error(user.get('/servers?locked=maybe', version='2.73'), 400)


# --- delete -------------------------------------------------------------------------


def test_delete_building_server(user, cloud):
    created = _boot(user)
    res = user.delete('/servers/%s' % created['id'])
    assert res.status_int == 204, res.body
    assert res.body == b''
    assert user.get('/servers/%s' % created['id']).status_int == 404
    assert user.get('/servers').json_body_or_none == {'servers': []}


# --- servers that live in a cell ----------------------------------------------------


def _cell_instance(cell, vm_state='active', **fields):
    ctxt = nova_context.get_admin_context()
    flavor = objects.Flavor.get_by_flavor_id(ctxt, '1')
    instance_uuid = str(uuid.uuid4())
    network_info = [{
        'address': 'fa:16:3e:00:00:01',
        'network': {'label': 'private', 'subnets': [{'ips': [{
            'address': '192.168.1.30', 'type': 'fixed', 'version': 4,
            'floating_ips': [{'address': '172.24.4.10', 'type': 'floating',
                              'version': 4}]}]}]},
    }]
    with nova_context.target_cell(ctxt, cell) as cctxt:
        instance = objects.Instance(
            context=cctxt, uuid=instance_uuid, project_id='demoproject', user_id='demo',
            display_name='incell', image_ref=IMAGE, vm_state=vm_state, task_state=None,
            power_state=1, host='node1', node='node1', flavor=flavor,
            instance_type_id=flavor.id, memory_mb=512, vcpus=1, root_gb=1, ephemeral_gb=0,
            metadata={}, system_metadata={}, availability_zone='nova', launch_index=0,
            info_cache=objects.InstanceInfoCache(network_info=network_info), **fields)
        instance.create()
        if vm_state == 'error':
            objects.InstanceFault(context=cctxt, instance_uuid=instance_uuid, code=500,
                                  message='NoValidHost', details='trace...',
                                  host='node1').create()
    objects.InstanceMapping(context=ctxt, instance_uuid=instance_uuid,
                            project_id='demoproject', user_id='demo', cell_mapping=cell,
                            queued_for_delete=False).create()
    return instance_uuid


def test_cell_server_show(user, admin, cloud, cell1, max_version):
    server_id = _cell_instance(cell1)
    server = user.get('/servers/%s' % server_id).json_body_or_none['server']
    assert server['status'] == 'ACTIVE'
    assert server['hostId'] == __import__('hashlib').sha224(b'demoprojectnode1').hexdigest()
    assert server['addresses'] == {'private': [
        {'version': 4, 'addr': '192.168.1.30', 'OS-EXT-IPS:type': 'fixed',
         'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'},
        {'version': 4, 'addr': '172.24.4.10', 'OS-EXT-IPS:type': 'floating',
         'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'}]}
    assert 'OS-EXT-SRV-ATTR:host' not in server
    shown = admin.get('/servers/%s' % server_id, version='2.16').json_body_or_none['server']
    assert shown['OS-EXT-SRV-ATTR:host'] == 'node1'
    # No nova-compute service record for the host: its state is unknown.
    assert shown['host_status'] == 'UNKNOWN'
    detail = user.get('/servers/detail', version='2.47').json_body_or_none['servers']
    assert [s['id'] for s in detail] == [server_id]
    assert detail[0]['flavor']['ram'] == 512


def test_cell_server_fault_and_rename(user, admin, cloud, cell1):
    server_id = _cell_instance(cell1, vm_state='error')
    server = user.get('/servers/%s' % server_id).json_body_or_none['server']
    assert server['status'] == 'ERROR'
    assert server['fault']['message'] == 'NoValidHost'
    assert server['fault']['code'] == 500
    assert 'details' not in server['fault']
    shown = admin.get('/servers/%s' % server_id).json_body_or_none['server']
    assert shown['fault']['details'] == 'trace...'
    assert 'progress' not in shown
    res = user.put('/servers/%s' % server_id, {'server': {'name': 'renamed'}})
    assert res.status_int == 200, res.body
    body = res.json_body_or_none['server']
    assert body['name'] == 'renamed'
    assert sorted(set(body) - {'fault'}) == sorted(
        set(sample('servers/server-update-resp.json')['server']) - {'progress'})
    assert user.get('/servers?status=ERROR').json_body_or_none['servers'][0]['name'] == \
        'renamed'


def test_unpin_availability_zone_v2104(user, cloud, cell1, max_version):
    server_id = _cell_instance(cell1)
    objects.RequestSpec.from_components(
        nova_context.get_admin_context(), server_id, objects.ImageMeta(),
        objects.Flavor.get_by_flavor_id(nova_context.get_admin_context(), '1'),
        availability_zone='nova', project_id='demoproject', user_id='demo').create()
    shown = user.get('/servers/%s' % server_id, version='2.96').json_body_or_none['server']
    assert shown['pinned_availability_zone'] == 'nova'
    _error(user.put('/servers/%s' % server_id,
                    {'server': {'pinned_availability_zone': None}}, version='2.103'), 400)
    res = user.put('/servers/%s' % server_id,
                   {'server': {'pinned_availability_zone': None}}, version='2.104')
    assert res.status_int == 200, res.body
    assert res.json_body_or_none['server']['pinned_availability_zone'] is None
    _error(user.put('/servers/%s' % server_id,
                    {'server': {'pinned_availability_zone': 'elsewhere'}}, version='2.104'),
           400)


def test_cell_servers_filter_by_flavor_and_image(user, admin, cloud, cell1):
    # tempest's ListServerFiltersTestJSON: ?flavor= takes the flavor's id (its
    # flavorid), ?image= the image's id; both apply to the list and the detail.
    server_id = _cell_instance(cell1)
    ids = lambda res: [s['id'] for s in res.json_body_or_none['servers']]  # noqa
    for path in ('/servers', '/servers/detail'):
        assert ids(user.get(path + '?flavor=1')) == [server_id]
        assert ids(user.get(path + '?flavor=2')) == []
        assert ids(user.get(path + '?flavor=no-such-flavor')) == []
        assert ids(user.get(path + '?image=%s' % IMAGE)) == [server_id]
        assert ids(user.get(path + '?image=1c798591-5f38-43a1-a664-7cf8877f094b')) == []


def test_boot_with_personality_files_over_the_quota_is_403(user, cloud):
    def files(count, path='/etc/f%d', contents='aGk='):
        return [{'path': path % i if '%d' in path else path, 'contents': contents}
                for i in range(count)]

    CONF.set_override('injected_files', 1, group='quota')
    CONF.set_override('injected_file_path_length', 8, group='quota')
    try:
        assert _boot(user, version='2.56', personality=files(1))
        res = user.post('/servers', _body(personality=files(2), networks='none'),
                        version='2.56')
        assert _error(res, 403) == 'Personality file limit exceeded'
        res = user.post('/servers', _body(personality=files(1, path='/a/long/path'),
                                          networks='none'), version='2.56')
        assert _error(res, 403) == 'Personality file path exceeds maximum 8'
        res = user.post('/servers', _body(personality=files(1, contents='aGk'),
                                          networks='none'), version='2.56')
        assert _error(res, 400) == 'Personality content for /etc/f0 cannot be decoded'
    finally:
        CONF.clear_override('injected_files', group='quota')
        CONF.clear_override('injected_file_path_length', group='quota')


def test_boot_with_too_many_metadata_items(user, cloud):
    CONF.set_override('metadata_items', 1, group='quota')
    try:
        assert _error(user.post('/servers', _body(metadata={'a': '1', 'b': '2'})), 403) == \
            'Maximum number of metadata items exceeds 1'
        assert _boot(user, metadata={'a': '1'})
    finally:
        CONF.clear_override('metadata_items', group='quota')
