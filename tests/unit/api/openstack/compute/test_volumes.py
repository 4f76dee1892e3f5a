"""``/os-volumes`` and ``/os-snapshots``, the deprecated proxies to Cinder (the
unit tier's in-memory Cinder here; tempest drives them against the real one)."""

import pytest

import nova.conf
from nova.volume import cinder as cinder_client
from tests.unit.volume.fake_cinder import FakeCinder

CONF = nova.conf.CONF
MISSING = '9b9e0b39-5d64-4b8f-9b4c-3a1f0c2c0f00'
VOLUME_KEYS = {'id', 'status', 'size', 'availabilityZone', 'createdAt', 'attachments',
               'displayName', 'displayDescription', 'volumeType', 'snapshotId', 'metadata'}


@pytest.fixture
def cinder(monkeypatch):
    fake = FakeCinder()
    monkeypatch.setattr(cinder_client, 'get_client', fake.client)
    CONF.set_override('endpoint_template', 'http://cinder/v3/%(project_id)s', 'cinder')
    yield fake
    CONF.clear_override('endpoint_template', 'cinder')


def test_without_cinder_nothing_is_listed_or_found(user):
    assert user.get('/os-volumes').json_body_or_none == {'volumes': []}
    assert user.get('/os-snapshots/detail').json_body_or_none == {'snapshots': []}
    assert user.get('/os-volumes/%s' % MISSING).status_int == 404
    assert user.delete('/os-snapshots/%s' % MISSING).status_int == 404
    res = user.post('/os-volumes', {'volume': {'size': 1}})
    assert res.status_int == 400 and 'Cinder' in res.json_body_or_none['badRequest'][
        'message']


def test_volumes_are_listed_shown_created_and_deleted(user, cinder):
    res = user.post('/os-volumes', {'volume': {'size': 1, 'display_name': 'data',
                                               'metadata': {'k': 'v'}}})
    assert res.status_int == 200, res.body
    created = res.json_body_or_none['volume']
    assert set(created) == VOLUME_KEYS
    assert created['size'] == 1 and created['attachments'] == [{}]
    cinder.volumes[created['id']]['attachments'] = [
        {'server_id': 'server-1', 'attachment_id': 'a-1', 'device': '/dev/vdb'}]
    shown = user.get('/os-volumes/%s' % created['id']).json_body_or_none['volume']
    assert shown['attachments'] == [{'id': created['id'], 'volumeId': created['id'],
                                     'serverId': 'server-1', 'device': '/dev/vdb'}]
    for path in ('/os-volumes', '/os-volumes/detail'):
        listed = user.get(path).json_body_or_none['volumes']
        assert [v['id'] for v in listed] == [created['id']]
    assert user.get('/os-volumes?offset=1').json_body_or_none['volumes'] == []
    assert user.delete('/os-volumes/%s' % created['id']).status_int == 202
    assert cinder.volumes == {}


def test_volume_errors_have_upstreams_shape(user, cinder):
    for size in ('0', '#$%', '', 0, -1):
        res = user.post('/os-volumes', {'volume': {'size': size}})
        assert res.status_int == 400 and 'badRequest' in res.json_body_or_none, size
    assert user.post('/os-volumes', {'volume': {}}).status_int == 400
    for method in (user.get, user.delete):
        res = method('/os-volumes/%s' % MISSING)
        assert res.status_int == 404 and 'itemNotFound' in res.json_body_or_none
    res = user.post('/os-volumes', {'volume': {'size': 1, 'snapshot_id': MISSING}})
    assert res.status_int == 404
    assert cinder.volumes == {}


def test_snapshots(user, cinder):
    volume_id = cinder.add_volume(size=2, status='in-use')
    body = {'snapshot': {'volume_id': volume_id, 'display_name': 'snap'}}
    assert user.post('/os-snapshots', body).status_int == 400  # in use, not forced
    body['snapshot']['force'] = True
    res = user.post('/os-snapshots', body)
    assert res.status_int == 200, res.body
    snap = res.json_body_or_none['snapshot']
    assert snap['volumeId'] == volume_id and snap['size'] == 2
    assert snap['displayName'] == 'snap'
    assert user.get('/os-snapshots/%s' % snap['id']).json_body_or_none['snapshot'] == snap
    for path in ('/os-snapshots', '/os-snapshots/detail'):
        assert user.get(path).json_body_or_none['snapshots'] == [snap]
    assert user.delete('/os-snapshots/%s' % snap['id']).status_int == 202
    assert user.get('/os-snapshots/%s' % snap['id']).status_int == 404
    assert user.delete('/os-snapshots/%s' % MISSING).status_int == 404
    res = user.post('/os-snapshots', {'snapshot': {'volume_id': MISSING}})
    assert res.status_int == 404


@pytest.mark.parametrize('path', ['/os-volumes', '/os-volumes/detail', '/os-snapshots'])
def test_gone_after_2_35(user, cinder, path):
    assert user.get(path, version='2.35').status_int == 200
    assert user.get(path, version='2.36').status_int == 404
