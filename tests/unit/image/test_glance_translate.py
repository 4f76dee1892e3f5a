"""Glance v2 image documents as Nova's image meta dict; endpoint lookup."""

import datetime

from nova.image import glance

IMAGE = {
    'id': '0efb9f74-7c7f-4b71-80ad-b425a4fcb481', 'name': 'cirros', 'status': 'active',
    'visibility': 'public', 'protected': False, 'checksum': 'abc', 'owner': 'p1',
    'size': 1024, 'virtual_size': 4096, 'min_ram': 0, 'min_disk': 1,
    'container_format': 'bare', 'disk_format': 'qcow2', 'tags': ['t'],
    'created_at': '2026-11-21T06:40:12Z', 'updated_at': '2026-11-21T06:40:13Z',
    'file': '/v2/images/x/file', 'schema': '/v2/schemas/image', 'self': '/v2/images/x',
    'os_hash_algo': 'sha512', 'os_hash_value': 'ff', 'os_hidden': False, 'stores': 'fs',
    'hw_disk_bus': 'virtio', 'kernel_id': None,
}


def test_translate_splits_core_attributes_from_properties():
    meta = glance.translate_image(IMAGE)
    assert meta['properties'] == {'hw_disk_bus': 'virtio', 'kernel_id': None}
    assert meta['is_public'] is True
    assert meta['created_at'] == datetime.datetime(2026, 11, 21, 6, 40, 12)
    assert (meta['size'], meta['min_disk'], meta['min_ram']) == (1024, 1, 0)
    assert meta['deleted'] is False
    assert 'file' not in meta and 'schema' not in meta


def test_queued_image_without_size():
    meta = glance.translate_image(dict(IMAGE, size=None, status='queued', created_at=None))
    assert meta['size'] == 0
    assert meta['created_at'] is None


CATALOG = [
    {'type': 'compute', 'endpoints': [{'interface': 'public', 'url': 'http://c'}]},
    {'type': 'image', 'endpoints': [
        {'interface': 'public', 'url': 'http://public:9292', 'region_id': 'RegionOne'},
        {'interface': 'internal', 'url': 'http://internal:9292', 'region_id': 'RegionOne'},
        {'interface': 'internal', 'url': 'http://other:9292', 'region_id': 'RegionTwo'}]},
]


def test_catalog_lookup_prefers_the_configured_interfaces_in_order():
    assert glance._endpoint_from_catalog(CATALOG, 'image', ['internal', 'public'],
                                         'RegionOne') == 'http://internal:9292'
    assert glance._endpoint_from_catalog(CATALOG, 'image', 'public', None) == \
        'http://public:9292'
    assert glance._endpoint_from_catalog(CATALOG, 'image', ['internal'], 'RegionTwo') == \
        'http://other:9292'
    assert glance._endpoint_from_catalog(CATALOG, 'volumev3', 'public', None) is None


def test_v2_style_catalog():
    catalog = [{'type': 'image', 'endpoints': [{'publicURL': 'http://v2:9292'}]}]
    assert glance._endpoint_from_catalog(catalog, 'image', 'public', None) == 'http://v2:9292'
