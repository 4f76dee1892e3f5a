"""``/servers/{id}/metadata``, ``/tags``, ``/ips`` and ``/os-server-password``.

Servers are written straight into the cell database (ACTIVE on a host) so the
sub-resources can be edited; servers booted through the API stay build
requests (nobody consumes conductor's cast here), which is the BUILD case.
"""

import uuid

import pytest

import nova.conf
from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import Client
from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _boot
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.api.openstack.compute.test_servers import cloud  # noqa: F401

CONF = nova.conf.CONF

NETWORK_INFO = [{
    'id': 'a3b5bb72-9f5e-4d9c-9d1c-1ffb6a1c9f01', 'address': '00:0c:29:0d:11:74',
    'network': {'label': 'private', 'subnets': [
        {'ips': [{'address': '192.168.1.30', 'version': 4, 'type': 'fixed',
                  'floating_ips': [{'address': '172.24.4.3', 'version': 4,
                                    'type': 'floating'}]}]}]},
}]


@pytest.fixture
def server(cell1, cloud):  # noqa: F811
    """An ACTIVE server of demo/demoproject in cell1, with an address."""
    return _server(cell1)


def _server(cell, project_id='demoproject', user_id='demo', **values):
    ctxt = nova_context.get_admin_context()
    fields = dict(uuid=str(uuid.uuid4()), project_id=project_id, user_id=user_id,
                  host='host1', node='node1', vm_state='active', task_state=None,
                  power_state=1, display_name='vm', memory_mb=512, vcpus=1,
                  metadata={'foo': 'Foo Value'}, system_metadata={}, locked=False)
    fields.update(values)
    with nova_context.target_cell(ctxt, cell) as cctxt:
        instance = objects.Instance(cctxt, **fields)
        instance.create()
        instance.info_cache.network_info = NETWORK_INFO
        instance.info_cache.save()
    objects.InstanceMapping(ctxt, instance_uuid=instance.uuid, project_id=project_id,
                            user_id=user_id, cell_mapping=cell,
                            queued_for_delete=False).create()
    return instance


# --- metadata -------------------------------------------------------------------


def test_metadata_crud_matches_samples(user, server):
    base = '/servers/%s/metadata' % server.uuid
    res = user.get(base)
    assert res.status_int == 200
    assert res.json_body_or_none == sample('server-metadata/server-metadata-all-resp.json')
    res = user.post(base, {'metadata': {'bar': 'Bar'}})
    assert res.status_int == 200, res.body
    assert res.json_body_or_none == {'metadata': {'foo': 'Foo Value', 'bar': 'Bar'}}
    res = user.put(base + '/foo', sample('server-metadata/server-metadata-req.json'))
    assert res.status_int == 200, res.body
    assert res.json_body_or_none == {'meta': {'foo': 'Bar Value'}}
    assert user.get(base + '/foo').json_body_or_none == {'meta': {'foo': 'Bar Value'}}
    res = user.put(base, sample('server-metadata/server-metadata-all-req.json'))
    assert res.json_body_or_none == sample('server-metadata/server-metadata-all-resp.json')
    assert user.get(base).json_body_or_none == {'metadata': {'foo': 'Foo Value'}}
    res = user.delete(base + '/foo')
    assert res.status_int == 204 and not res.body
    assert user.get(base).json_body_or_none == {'metadata': {}}
    # The server view shows the same metadata.
    shown = user.get('/servers/%s' % server.uuid).json_body_or_none['server']
    assert shown['metadata'] == {}


def test_metadata_errors(user, server):
    base = '/servers/%s/metadata' % server.uuid
    assert _error(user.get(base + '/nope'), 404) == 'Metadata item was not found'
    assert _error(user.delete(base + '/nope'), 404) == 'Metadata item was not found'
    assert _error(user.put(base + '/foo', {'meta': {'other': 'x'}}), 400) == \
        'Request body and URI mismatch'
    _error(user.put(base + '/foo', {'meta': {'foo': 'x', 'b': 'y'}}), 400)
    _error(user.put(base + '/foo', {'meta': {}}), 400)
    _error(user.post(base, raw=b'{"metadata": '), 400)
    _error(user.post(base, {'metadata': {'k': 1}}), 400)
    _error(user.post(base, {'metadata': {'k' * 256: 'v'}}), 400)
    _error(user.post(base, {'metadata': {'k': 'v' * 256}}), 400)
    _error(user.post(base, {'metadata': {'': 'v'}}), 400)
    _error(user.post(base, {'metadata': {'k': 'v'}, 'extra': 1}), 400)
    _error(user.post(base, {'meta': {'k': 'v'}}), 400)
    _error(user.post(base, ['metadata']), 400)
    missing = '/servers/%s/metadata' % uuid.uuid4()
    _error(user.get(missing), 404)
    _error(user.post(missing, {'metadata': {'k': 'v'}}), 404)
    _error(user.put(missing + '/k', {'meta': {'k': 'v'}}), 404)
    _error(user.delete(missing + '/k'), 404)


def test_metadata_quota(user, server):
    CONF.set_override('metadata_items', 2, group='quota')
    try:
        base = '/servers/%s/metadata' % server.uuid
        assert user.post(base, {'metadata': {'a': '1'}}).status_int == 200
        msg = _error(user.post(base, {'metadata': {'b': '2'}}), 403)
        assert msg == 'Maximum number of metadata items exceeds 2'
        # Replacing keeps within the limit.
        assert user.put(base, {'metadata': {'x': '1', 'y': '2'}}).status_int == 200
    finally:
        CONF.clear_override('metadata_items', group='quota')


def test_metadata_locked_and_busy_server_is_409(user, admin, cell1, cloud):  # noqa: F811
    locked = _server(cell1, locked=True, locked_by='admin')
    base = '/servers/%s/metadata' % locked.uuid
    assert 'is locked' in _error(user.post(base, {'metadata': {'a': '1'}}), 409)
    _error(user.delete(base + '/foo'), 409)
    # An administrator may still change it.
    assert admin.post(base, {'metadata': {'a': '1'}}).status_int == 200
    busy = _server(cell1, task_state='rebooting')
    msg = _error(user.put('/servers/%s/metadata/foo' % busy.uuid,
                          {'meta': {'foo': 'x'}}), 409)
    assert msg == ("Cannot 'update metadata' instance %s while it is in task_state "
                   "rebooting" % busy.uuid)


def test_metadata_of_building_server(user, cloud):  # noqa: F811
    created = _boot(user, metadata={'a': 'b'})
    base = '/servers/%s/metadata' % created['id']
    assert user.get(base).json_body_or_none == {'metadata': {'a': 'b'}}
    msg = _error(user.post(base, {'metadata': {'c': 'd'}}), 409)
    assert 'vm_state building' in msg


def test_metadata_policy_hides_other_projects(paste_app, server):
    stranger = Client(paste_app, 'eve:otherproject')
    _error(stranger.get('/servers/%s/metadata' % server.uuid), 404)
    _error(stranger.post('/servers/%s/metadata' % server.uuid,
                         {'metadata': {'a': 'b'}}), 404)


# --- tags -------------------------------------------------------------------------


def test_tags_crud_matches_samples(user, server):
    base = '/servers/%s/tags' % server.uuid
    v = {'version': '2.26'}
    assert user.get(base, **v).json_body_or_none == {'tags': []}
    res = user.put(base, sample('os-server-tags/v2.26/server-tags-put-all-req.json'), **v)
    assert res.status_int == 200, res.body
    assert res.json_body_or_none == sample(
        'os-server-tags/v2.26/server-tags-put-all-resp.json')
    assert user.get(base, **v).json_body_or_none == sample(
        'os-server-tags/v2.26/server-tags-index-resp.json')
    res = user.put(base + '/tag3', **v)
    assert res.status_int == 201 and not res.body
    assert res.headers['Location'].endswith('/servers/%s/tags/tag3' % server.uuid)
    assert user.put(base + '/tag3', **v).status_int == 204
    assert user.get(base + '/tag3', **v).status_int == 204
    assert _error(user.get(base + '/nope', **v), 404) == \
        "Server %s has no tag 'nope'" % server.uuid
    # The server list filters by tag.
    listed = user.get('/servers?tags=tag1,tag3', **v).json_body_or_none['servers']
    assert [s['id'] for s in listed] == [server.uuid]
    assert user.get('/servers?not-tags-any=tag3', **v).json_body_or_none['servers'] == []
    detail = user.get('/servers/%s' % server.uuid, **v).json_body_or_none['server']
    assert detail['tags'] == ['tag1', 'tag2', 'tag3']
    assert user.delete(base + '/tag3', **v).status_int == 204
    _error(user.delete(base + '/tag3', **v), 404)
    assert user.delete(base, **v).status_int == 204
    assert user.get(base, **v).json_body_or_none == {'tags': []}


def test_tags_errors(user, server):
    base = '/servers/%s/tags' % server.uuid
    v = {'version': '2.26'}
    # Before 2.26 the resource does not exist.
    assert user.get(base, version='2.25').status_int == 404
    msg = _error(user.put(base + '/a,b', **v), 400)
    assert msg.startswith("Tag 'a,b' is invalid. It must be a non empty string")
    _error(user.put(base + '/' + 'x' * 61, **v), 400)
    _error(user.put(base, {'tags': ['a/b']}, **v), 400)
    _error(user.put(base, {'tags': ['x' * 61]}, **v), 400)
    _error(user.put(base, {'tags': 'a'}, **v), 400)
    _error(user.put(base, {'tags': [1]}, **v), 400)
    _error(user.put(base, {'tags': [], 'extra': 1}, **v), 400)
    _error(user.put(base, {'tags': ['t%d' % i for i in range(51)]}, **v), 400)
    _error(user.put(base, raw=b'[', **v), 400)
    assert user.put(base, {'tags': ['t%d' % i for i in range(50)]}, **v).status_int == 200
    assert _error(user.put(base + '/one-more', **v), 400) == \
        'The number of tags exceeded the per-server limit 50'
    missing = '/servers/%s/tags' % uuid.uuid4()
    _error(user.get(missing, **v), 404)
    _error(user.put(missing + '/a', **v), 404)
    _error(user.delete(missing, **v), 404)


def test_tags_of_building_server_are_409(user, cloud):  # noqa: F811
    created = _boot(user)
    msg = _error(user.put('/servers/%s/tags/a' % created['id'], version='2.26'), 409)
    assert msg == ("Cannot 'update tag' instance %s while it is in vm_state building"
                   % created['id'])


# --- ips --------------------------------------------------------------------------


def test_ips_from_info_cache(user, server):
    res = user.get('/servers/%s/ips' % server.uuid)
    assert res.status_int == 200
    assert res.json_body_or_none == {'addresses': {'private': [
        {'version': 4, 'addr': '192.168.1.30'}, {'version': 4, 'addr': '172.24.4.3'}]}}
    assert set(res.json_body_or_none) == set(sample('server-ips/server-ips-resp.json'))
    res = user.get('/servers/%s/ips/private' % server.uuid)
    assert res.json_body_or_none['private'][0] == sample(
        'server-ips/server-ips-network-resp.json')['private'][0]
    assert _error(user.get('/servers/%s/ips/public' % server.uuid), 404) == \
        'Instance is not a member of specified network'
    _error(user.get('/servers/%s/ips' % uuid.uuid4()), 404)


# --- password ---------------------------------------------------------------------


def test_server_password(user, cell1, cloud):  # noqa: F811
    from nova.api.openstack.compute import server_password
    secret = sample('os-server-password/get-password-resp.json')['password']
    instance = _server(cell1, system_metadata=server_password.convert_password(secret))
    base = '/servers/%s/os-server-password' % instance.uuid
    assert user.get(base).json_body_or_none == {'password': secret}
    res = user.delete(base)
    assert res.status_int == 204
    assert user.get(base).json_body_or_none == {'password': ''}
    _error(user.get('/servers/%s/os-server-password' % uuid.uuid4()), 404)


def test_password_chunks():
    from nova.api.openstack.compute import server_password
    chunks = server_password.convert_password('x' * 600)
    assert sorted(chunks) == ['password_0', 'password_1', 'password_2', 'password_3']
    assert [len(chunks['password_%d' % i]) for i in range(4)] == [255, 255, 90, 0]
    assert server_password.extract_password(chunks) == 'x' * 600
    assert server_password.extract_password(server_password.convert_password(None)) is None
