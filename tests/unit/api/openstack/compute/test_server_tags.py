"""``/servers/{id}/tags`` (2.26): CRUD, errors, building servers."""

import uuid

from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _boot
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.api.openstack.compute.test_servers import cloud  # noqa: F401
from tests.unit.api.stored_servers import server  # noqa: F401


def test_tags_crud_matches_samples(user, server):  # noqa: F811
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


def test_tags_errors(user, server):  # noqa: F811
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
