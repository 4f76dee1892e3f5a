"""An image's metadata through the deprecated image proxy (up to 2.35): create merges,
update-all replaces, single items, the metadata items quota, validated bodies."""

from tests.unit.api.openstack.compute.test_images import cloud  # noqa: F401
from tests.unit.api import seeded
from tests.unit.api import test_sample_shapes_proxies as samples


def test_metadata_create_merges_and_update_all_replaces(cloud):  # noqa: F811
    client, ids, glance = cloud
    url = '/images/%s/metadata' % seeded.IMAGE
    res = client.post(url, {'metadata': {'kernel_id': 'False', 'Label': 'x'}})
    assert res.status_int == 200, res.body
    assert res.json_body_or_none['metadata'] == dict(
        samples.SAMPLE_IMAGES[seeded.IMAGE]['properties'], kernel_id='False', Label='x')
    assert glance.images[seeded.IMAGE]['properties']['Label'] == 'x'
    res = client.put(url, {'metadata': {'only': 'this'}})
    assert res.json_body_or_none == {'metadata': {'only': 'this'}}
    assert glance.images[seeded.IMAGE]['properties'] == {'only': 'this'}


def test_metadata_items(cloud):  # noqa: F811
    client, ids, glance = cloud
    url = '/images/%s/metadata/' % seeded.IMAGE
    assert client.get(url + 'kernel_id').json_body_or_none == {'meta': {'kernel_id': 'nokernel'}}
    assert client.get(url + 'nokey').status_int == 404
    assert client.put(url + 'k1', {'meta': {'k1': 'v1'}}).json_body_or_none == \
        {'meta': {'k1': 'v1'}}
    assert glance.images[seeded.IMAGE]['properties']['k1'] == 'v1'
    assert client.put(url + 'k1', {'meta': {'other': 'v1'}}).status_int == 400
    assert client.put(url + 'k1', {'meta': {'k1': 'v1', 'k2': 'v2'}}).status_int == 400
    assert client.delete(url + 'k1').status_int == 204
    assert 'k1' not in glance.images[seeded.IMAGE]['properties']
    assert client.delete(url + 'k1').status_int == 404
    assert client.get('/images/nope/metadata').status_int == 404
    assert client.put('/images/nope/metadata/a', {'meta': {'a': 'b'}}).status_int == 404


def test_metadata_over_the_metadata_items_quota_is_403(cloud):  # noqa: F811
    import nova.conf
    conf = nova.conf.CONF
    client, ids, glance = cloud
    conf.set_override('metadata_items', 5, group='quota')
    try:
        url = '/images/%s/metadata' % seeded.IMAGE
        # four properties already: one more fits, two more do not
        assert client.post(url, {'metadata': {'a': '1'}}).status_int == 200
        res = client.post(url, {'metadata': {'b': '1'}})
        assert res.status_int == 403, res.body
        assert b'Image metadata limit exceeded' in res.body
        assert 'b' not in glance.images[seeded.IMAGE]['properties']
        assert client.put(url, {'metadata': dict.fromkeys('abcdef', 'x')}).status_int == 403
    finally:
        conf.clear_override('metadata_items', group='quota')


def test_metadata_bodies_are_validated(cloud):  # noqa: F811
    client, ids, _ = cloud
    url = '/images/%s/metadata' % seeded.IMAGE
    for body in ({}, {'metadata': {'a': 1}}, {'metadata': {'': 'x'}}, {'meta': {'a': 'b'}}):
        assert client.post(url, body).status_int == 400, body
