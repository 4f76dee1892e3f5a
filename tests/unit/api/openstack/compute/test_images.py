"""The deprecated image proxy: Glance's images through the compute API up to 2.35."""

import pytest

from nova.api.openstack.compute import images
from tests.unit.api.conftest import Client
from tests.unit.api import seeded
from tests.unit.api import test_sample_shapes_proxies as samples

SNAPSHOT = '0f2b9c8e-1d3a-4c5b-9e7f-6a8b7c6d5e4f'
QUEUED = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d'


@pytest.fixture
def cloud(paste_app, seeded_ids):
    glance = images.image_api()
    samples.seed_sample_images(glance)
    glance.images[SNAPSHOT] = {
        'id': SNAPSHOT, 'name': 'snap', 'status': 'saving', 'size': None, 'min_ram': 512,
        'min_disk': 1, 'properties': {'instance_uuid': seeded_ids['servers'],
                                      'image_type': 'snapshot'}}
    glance.images[QUEUED] = {'id': QUEUED, 'name': 'queued', 'status': 'killed',
                             'properties': {}}
    return Client(paste_app), seeded_ids, glance


def _ids(res):
    assert res.status_int == 200, res.body
    return [image['id'] for image in res.json_body_or_none['images']]


def test_gone_from_2_36(cloud):
    client, ids, _ = cloud
    for path in ('/images', '/images/detail', '/images/%s' % seeded.IMAGE,
                 '/images/%s/metadata' % seeded.IMAGE):
        assert client.get(path, version='2.35').status_int == 200
        assert client.get(path, version='2.36').status_int == 404
    assert client.delete('/images/%s' % seeded.IMAGE, version='2.36').status_int == 404


def test_statuses_progress_and_the_snapshot_server(cloud):
    client, ids, _ = cloud
    snap = client.get('/images/%s' % SNAPSHOT).json_body_or_none['image']
    assert (snap['status'], snap['progress'], snap['minRam'], snap['minDisk']) == \
        ('SAVING', 50, 512, 1)
    assert snap['server']['id'] == ids['servers']
    assert snap['server']['links'][0]['href'].endswith('/servers/%s' % ids['servers'])
    assert 'OS-DCF:diskConfig' not in snap
    killed = client.get('/images/%s' % QUEUED).json_body_or_none['image']
    assert (killed['status'], killed['progress']) == ('ERROR', 0)
    active = client.get('/images/%s' % seeded.IMAGE).json_body_or_none['image']
    assert (active['status'], active['progress'], active['OS-DCF:diskConfig']) == \
        ('ACTIVE', 100, 'AUTO')
    assert active['links'][2] == {
        'rel': 'alternate', 'type': 'application/vnd.openstack.image',
        'href': 'http://glance/images/%s' % seeded.IMAGE}
    assert 'server' not in active


def test_filters_reach_glance_with_their_v1_names(cloud):
    client, ids, _ = cloud
    assert _ids(client.get('/images?server=http://x/servers/%s' % ids['servers'])) == \
        [SNAPSHOT]
    assert _ids(client.get('/images/detail?type=snapshot')) == [SNAPSHOT]
    assert _ids(client.get('/images?status=SAVING')) == [SNAPSHOT]
    assert _ids(client.get('/images?name=fakeimage6')) == \
        ['a440c04b-79fa-479c-bed1-0b816eaec379']
    assert _ids(client.get('/images?minRam=512')) == [SNAPSHOT]


def test_paging(cloud):
    client, ids, glance = cloud
    everything = _ids(client.get('/images'))
    assert len(everything) == len(glance.images)
    page = client.get('/images?limit=2').json_body_or_none
    assert [image['id'] for image in page['images']] == everything[:2]
    assert 'marker=%s' % everything[1] in page['images_links'][0]['href']
    assert _ids(client.get('/images?marker=%s' % everything[1])) == everything[2:]
    assert 'images_links' not in client.get('/images').json_body_or_none
    for query in ('limit=-1', 'limit=x', 'marker=nope'):
        assert client.get('/images?' + query).status_int == 400, query


def test_show_and_delete_unknown_is_404(cloud):
    client, ids, glance = cloud
    assert client.get('/images/nope').status_int == 404
    assert client.delete('/images/%s' % QUEUED).status_int == 204
    assert QUEUED not in glance.images
    assert client.delete('/images/%s' % QUEUED).status_int == 404


def test_glance_refusals_are_403(cloud, monkeypatch):
    from nova import exception
    client, ids, glance = cloud

    def refuse(*args, **kwargs):
        raise exception.ImageNotAuthorized(image_id=seeded.IMAGE)
    for method in ('get', 'get_all', 'delete', 'update'):
        monkeypatch.setattr(glance, method, refuse)
    for method, path, body in (
            ('GET', '/images', None), ('GET', '/images/detail', None),
            ('GET', '/images/%s' % seeded.IMAGE, None),
            ('DELETE', '/images/%s' % seeded.IMAGE, None),
            ('GET', '/images/%s/metadata' % seeded.IMAGE, None),
            ('POST', '/images/%s/metadata' % seeded.IMAGE, {'metadata': {'a': 'b'}})):
        res = client.request(method, path, body)
        assert res.status_int == 403, (method, path, res.body)
