"""The Glance client: v2 image documents as Nova's image meta dict, endpoint lookup,
and the calls of the image proxy (v1-style filters, property purges, refusals
mapped to Nova's exceptions, ids quoted into paths)."""

import datetime
import types

import pytest

from nova import exception
from nova.image import glance

IMAGE_ID = '0efb9f74-7c7f-4b71-80ad-b425a4fcb481'
DOC = {'id': IMAGE_ID, 'name': 'cirros', 'status': 'active', 'size': 1, 'min_ram': 0,
       'min_disk': 0, 'hw_disk_bus': 'virtio', 'kernel_id': 'k', 'os_hidden': False}


class _Response(object):
    def __init__(self, status, body=None):
        self.status_code = status
        self._body = body
        self.text = str(body)

    def json(self):
        return self._body


class _Glance(object):
    """An adapter answering from a script of (method, path) -> response."""

    endpoint_override = 'http://glance:9292'

    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def request(self, path, method, raise_exc=False, **kwargs):
        self.calls.append((method, path, kwargs))
        return self.answers.get((method, path.split('?')[0]), _Response(200, DOC))


@pytest.fixture
def glance_at(monkeypatch):
    def install(answers=None):
        adapter = _Glance(answers or {})
        monkeypatch.setattr(glance, '_adapter', lambda context: adapter)
        return adapter
    return install


def test_v1_filters_become_v2_ones():
    assert glance._v2_filters({
        'property-instance_uuid': 'abc', 'changes-since': '2026-01-01T00:00:00Z',
        'is_public': 'none', 'name': 'x', 'status': 'active', 'min_ram': '512',
    }) == {'instance_uuid': 'abc', 'updated_at': 'gte:2026-01-01T00:00:00Z', 'name': 'x',
           'status': 'active', 'min_ram': '512'}
    assert glance._v2_filters({'is_public': 'True'}) == {'visibility': 'public'}
    assert glance._v2_filters({'is_public': '0'}) == {'visibility': 'private'}


def test_get_all_sends_the_translated_filters_and_page(glance_at):
    adapter = glance_at({('GET', '/v2/images'): _Response(200, {'images': [DOC]})})
    images = glance.API().get_all(None, filters={'property-image_type': 'snapshot'},
                                  limit=5, marker='m')
    assert [image['id'] for image in images] == [IMAGE_ID]
    (method, path, kwargs), = adapter.calls
    assert kwargs['params'] == {'image_type': 'snapshot', 'marker': 'm', 'limit': 5}


def test_a_refused_filter_is_bad_input(glance_at):
    glance_at({('GET', '/v2/images'): _Response(400, 'bad marker')})
    with pytest.raises(exception.Invalid):
        glance.API().get_all(None, marker='nope')


def test_update_with_purge_removes_the_properties_not_kept(glance_at):
    adapter = glance_at()
    glance.API().update(None, IMAGE_ID, {'properties': {'kernel_id': 'k', 'a/b': '1'}},
                        purge_props=True)
    patch = [call for call in adapter.calls if call[0] == 'PATCH']
    (_, path, kwargs), = patch
    assert path == '/v2/images/%s' % IMAGE_ID
    ops = sorted(kwargs['json'], key=lambda op: op['path'])
    # kernel_id is unchanged; a/b is new (escaped); hw_disk_bus goes; core keys stay
    assert ops == [{'op': 'add', 'path': '/a~1b', 'value': '1'},
                   {'op': 'remove', 'path': '/hw_disk_bus'}]


def test_update_without_purge_keeps_other_properties(glance_at):
    adapter = glance_at()
    glance.API().update(None, IMAGE_ID, {'properties': {'kernel_id': 'other'}})
    (_, _, kwargs), = [call for call in adapter.calls if call[0] == 'PATCH']
    assert kwargs['json'] == [{'op': 'replace', 'path': '/kernel_id', 'value': 'other'}]


def test_delete_conflict_and_not_found(glance_at):
    glance_at({('DELETE', '/v2/images/%s' % IMAGE_ID): _Response(409, 'protected')})
    with pytest.raises(exception.ImageDeleteConflict):
        glance.API().delete(None, IMAGE_ID)
    glance_at({('DELETE', '/v2/images/%s' % IMAGE_ID): _Response(404, 'gone')})
    with pytest.raises(exception.ImageNotFound):
        glance.API().delete(None, IMAGE_ID)


def test_ids_are_quoted_into_paths(glance_at):
    adapter = glance_at({('GET', '/v2/images/..%2Fx%3Fy'): _Response(404, 'no')})
    with pytest.raises(exception.ImageNotFound):
        glance.API().get(None, '../x?y')
    assert adapter.calls[0][1] == '/v2/images/..%2Fx%3Fy'


# --- image documents and endpoints ------------------------------------------

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


def test_glance_sees_the_user_or_the_service_user_loaded_once(monkeypatch):
    from nova import service_auth
    loaded = []

    def load(conf, group):
        loaded.append(group)
        return 'glance-service-user'
    monkeypatch.setattr(service_auth.ks_loading, 'load_auth_from_conf_options', load)
    monkeypatch.setattr(service_auth, 'uses_keystone', lambda: True)
    service_auth.reset()
    try:
        user = glance._auth_for(types.SimpleNamespace(auth_token='tok', service_catalog=[]))
        assert user.get_token(None) == 'tok'
        assert glance._auth_for(None) == 'glance-service-user'
        assert glance._auth_for(types.SimpleNamespace(auth_token=None)) == \
            'glance-service-user'
        assert loaded == ['glance']  # one login for every call, not one per call
    finally:
        service_auth.reset()
