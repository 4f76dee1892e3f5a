"""``/servers/{id}/metadata``: CRUD, errors, quota, locked and building servers, policy.

Servers are written straight into the cell database (ACTIVE on a host) so
their metadata can be edited; servers booted through the API stay build
requests (nobody consumes conductor's cast here), which is the BUILD case.
"""

import uuid

import nova.conf
from tests.unit.api.conftest import Client
from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _boot
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.api.openstack.compute.test_servers import cloud  # noqa: F401
from tests.unit.api.stored_servers import server  # noqa: F401
from tests.unit.api.stored_servers import stored_server

CONF = nova.conf.CONF


def test_metadata_crud_matches_samples(user, server):  # noqa: F811
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


def test_metadata_errors(user, server):  # noqa: F811
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


def test_metadata_quota(user, server):  # noqa: F811
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
    locked = stored_server(cell1, locked=True, locked_by='admin')
    base = '/servers/%s/metadata' % locked.uuid
    assert 'is locked' in _error(user.post(base, {'metadata': {'a': '1'}}), 409)
    _error(user.delete(base + '/foo'), 409)
    # An administrator may still change it.
    assert admin.post(base, {'metadata': {'a': '1'}}).status_int == 200
    busy = stored_server(cell1, task_state='rebooting')
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


def test_metadata_policy_hides_other_projects(paste_app, server):  # noqa: F811
    stranger = Client(paste_app, 'eve:otherproject')
    _error(stranger.get('/servers/%s/metadata' % server.uuid), 404)
    _error(stranger.post('/servers/%s/metadata' % server.uuid,
                         {'metadata': {'a': 'b'}}), 404)
