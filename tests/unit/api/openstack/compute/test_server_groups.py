"""``/os-server-groups`` and the ``group`` boot hint."""

import uuid

import pytest

import nova.conf
from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import Client
from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _body
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.api.openstack.compute.test_servers import cloud  # noqa: F401

CONF = nova.conf.CONF


def _group(client, version='2.64', **values):
    body = {'name': 'test', 'policy': 'anti-affinity'} if version >= '2.64' else \
        {'name': 'test', 'policies': ['anti-affinity']}
    body.update(values)
    res = client.post('/os-server-groups', {'server_group': body}, version=version)
    assert res.status_int == 200, res.body
    return res.json_body_or_none['server_group']


# --- server groups ---------------------------------------------------------------


@pytest.mark.parametrize('version,folder', [('2.1', ''), ('2.13', 'v2.13/'),
                                            ('2.64', 'v2.64/')])
def test_group_shapes_match_samples(user, cloud, version, folder):  # noqa: F811
    req = sample('os-server-groups/%sserver-groups-post-req.json' % folder)
    res = user.post('/os-server-groups', req, version=version)
    assert res.status_int == 200, res.body
    group = res.json_body_or_none['server_group']
    expected = sample('os-server-groups/%sserver-groups-post-resp.json' % folder)
    assert sorted(group) == sorted(expected['server_group'])
    for key in ('name', 'policy', 'policies', 'rules', 'members', 'metadata'):
        if key in expected['server_group']:
            assert group[key] == expected['server_group'][key], key
    shown = user.get('/os-server-groups/%s' % group['id'], version=version)
    assert shown.json_body_or_none == {'server_group': group}
    listed = user.get('/os-server-groups', version=version).json_body_or_none
    assert listed == {'server_groups': [group]}
    assert sorted(group) == sorted(sample(
        'os-server-groups/%sserver-groups-list-resp.json' % folder)['server_groups'][0])
    assert user.delete('/os-server-groups/%s' % group['id'],
                       version=version).status_int == 204
    _error(user.get('/os-server-groups/%s' % group['id'], version=version), 404)


def test_group_policies_per_version(user, cloud):  # noqa: F811
    # Soft policies arrive with 2.15.
    _error(user.post('/os-server-groups', {'server_group': {
        'name': 'g', 'policies': ['soft-affinity']}}, version='2.14'), 400)
    assert _group(user, '2.15', policies=['soft-affinity'])['policies'] == ['soft-affinity']
    # 2.64 replaced policies with policy (+ rules for anti-affinity only).
    _error(user.post('/os-server-groups', {'server_group': {
        'name': 'g', 'policies': ['affinity']}}, version='2.64'), 400)
    msg = _error(user.post('/os-server-groups', {'server_group': {
        'name': 'g', 'policy': 'affinity', 'rules': {'max_server_per_host': 2}}},
        version='2.64'), 400)
    assert msg == 'Only anti-affinity policy supports rules.'
    assert _group(user, policy='soft-anti-affinity')['rules'] == {}


@pytest.mark.parametrize('body', [
    {'server_group': {'name': 'g', 'policy': 'bogus'}},
    {'server_group': {'name': 'g'}},
    {'server_group': {'name': '', 'policy': 'affinity'}},
    {'server_group': {'name': 'x' * 256, 'policy': 'affinity'}},
    {'server_group': {'name': 'g', 'policy': 'affinity', 'extra': 1}},
    {'server_group': {'name': 'g', 'policy': 'anti-affinity',
                      'rules': {'max_server_per_host': 0}}},
    {'server_group': {'name': 'g', 'policy': 'anti-affinity',
                      'rules': {'max_server_per_host': 'x'}}},
    {'server_group': {'name': 'g', 'policy': 'anti-affinity', 'rules': {'other': 1}}},
    {'server_group': 'g'},
    {},
])
def test_group_bad_input(user, cloud, body):  # noqa: F811
    _error(user.post('/os-server-groups', body, version='2.64'), 400)


def test_group_bad_input_old_versions(user, cloud):  # noqa: F811
    for policies in ([], ['affinity', 'anti-affinity'], ['affinity', 'affinity'], 'affinity'):
        _error(user.post('/os-server-groups', {'server_group': {
            'name': 'g', 'policies': policies}}, version='2.1'), 400)
    _error(user.post('/os-server-groups', raw=b'{"server_group"'), 400)
    _error(user.get('/os-server-groups/%s' % uuid.uuid4()), 404)
    _error(user.delete('/os-server-groups/%s' % uuid.uuid4()), 404)
    _error(user.get('/os-server-groups?limit=-1'), 400)
    _error(user.get('/os-server-groups?offset=x'), 400)
    # Unknown query parameters: ignored before 2.75, refused since.
    assert user.get('/os-server-groups?bogus=1', version='2.74').status_int == 200
    _error(user.get('/os-server-groups?bogus=1', version='2.75'), 400)


def test_group_quota(user, cloud):  # noqa: F811
    CONF.set_override('server_groups', 1, group='quota')
    try:
        _group(user)
        assert _error(user.post('/os-server-groups', {'server_group': {
            'name': 'g2', 'policy': 'affinity'}}, version='2.64'), 403) == \
            'Quota exceeded, too many server groups.'
    finally:
        CONF.clear_override('server_groups', group='quota')


def test_group_listing_projects_and_paging(user, admin, paste_app, cloud):  # noqa: F811
    mine = [_group(user, name='g%d' % i)['id'] for i in range(3)]
    other = _group(Client(paste_app, 'eve:otherproject'))['id']
    listed = user.get('/os-server-groups').json_body_or_none['server_groups']
    assert [g['id'] for g in listed] == mine
    paged = user.get('/os-server-groups?limit=1&offset=1').json_body_or_none
    assert [g['id'] for g in paged['server_groups']] == mine[1:2]
    # all_projects is for administrators only.
    _error(user.get('/os-server-groups?all_projects=True'), 403)
    everything = admin.get('/os-server-groups?all_projects=True').json_body_or_none
    assert {g['id'] for g in everything['server_groups']} == set(mine + [other])
    assert admin.get('/os-server-groups').json_body_or_none == {'server_groups': []}
    # Another project's group is hidden from show and delete.
    _error(user.get('/os-server-groups/%s' % other), 403)


def test_boot_with_group_hint_adds_members(user, cloud):  # noqa: F811
    group = _group(user, rules={'max_server_per_host': 2})
    res = user.post('/servers', dict(_body(min_count=2),
                                     **{'os:scheduler_hints': {'group': group['id']}}))
    assert res.status_int == 202, res.body
    shown = user.get('/os-server-groups/%s' % group['id'],
                     version='2.64').json_body_or_none['server_group']
    assert len(shown['members']) == 2
    ctxt = nova_context.get_admin_context()
    spec = objects.RequestSpec.get_by_instance_uuid(ctxt, shown['members'][0])
    assert spec.instance_group.uuid == group['id']
    assert spec.instance_group.policy == 'anti-affinity'
    assert spec.instance_group.rules == {'max_server_per_host': '2'}
    server = user.get('/servers/%s' % shown['members'][0], version='2.71').json_body_or_none
    assert server['server']['server_groups'] == [group['id']]


def test_boot_with_group_hint_errors(user, cloud):  # noqa: F811
    _error(user.post('/servers', dict(_body(), **{'os:scheduler_hints': {
        'group': 'not-a-uuid'}})), 400)
    _error(user.post('/servers', dict(_body(), **{'os:scheduler_hints': {
        'group': str(uuid.uuid4())}})), 400)
    group = _group(user)
    CONF.set_override('server_group_members', 1, group='quota')
    try:
        hint = {'os:scheduler_hints': {'group': group['id']}}
        assert _error(user.post('/servers', dict(_body(min_count=2), **hint)), 403) == \
            'Quota exceeded, too many servers in group'
        assert user.post('/servers', dict(_body(), **hint)).status_int == 202
        _error(user.post('/servers', dict(_body(), **hint)), 403)
    finally:
        CONF.clear_override('server_group_members', group='quota')
