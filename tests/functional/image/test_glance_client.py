"""nova.image.glance against the real Glance (PyPI), started the way
``tools/allinone`` starts it: SQLite, file store, no Keystone, its own state
directory and port."""

import hashlib
import os
import uuid

import pytest
import requests

import nova.conf
from nova import context
from nova import exception
from nova.image import glance
from tests.e2e import processes

CONF = nova.conf.CONF
DATA = os.urandom(200 * 1024 + 17)  # several download chunks, not a multiple


@pytest.fixture(scope='module')
def glance_url(shared_glance_url):
    """The test process's Glance (tests/functional/conftest.py), shared by the modules
    that import this fixture."""
    return shared_glance_url


@pytest.fixture
def conf(glance_url):
    CONF.set_override('endpoint_override', glance_url, group='glance')
    CONF.set_override('num_retries', 0, group='glance')
    yield CONF
    CONF.clear_override('endpoint_override', group='glance')
    CONF.clear_override('num_retries', group='glance')
    CONF.clear_override('api_servers', group='glance')


def _upload(url, data=DATA, **extra):
    body = {'name': 'img-%s' % uuid.uuid4().hex[:8], 'disk_format': 'raw',
            'container_format': 'bare', 'min_ram': 64, 'min_disk': 1}
    body.update(extra)
    image = requests.post(url + '/v2/images', json=body, timeout=30).json()
    if data is not None:
        resp = requests.put('%s/v2/images/%s/file' % (url, image['id']), data=data,
                            headers={'Content-Type': 'application/octet-stream'}, timeout=30)
        assert resp.status_code == 204, resp.text
    return image['id']


def _ctxt():
    return context.RequestContext('demo', 'demo-project', auth_token='demo:demo-project')


def test_get_returns_nova_image_meta(conf, glance_url):
    image_id = _upload(glance_url, hw_disk_bus='virtio', os_distro='cirros')
    meta = glance.API().get(_ctxt(), image_id)
    assert meta['id'] == image_id
    assert meta['status'] == 'active'
    assert (meta['disk_format'], meta['container_format']) == ('raw', 'bare')
    assert (meta['min_ram'], meta['min_disk'], meta['size']) == (64, 1, len(DATA))
    assert meta['checksum'] == hashlib.md5(DATA).hexdigest()
    assert meta['properties'] == {'hw_disk_bus': 'virtio', 'os_distro': 'cirros'}
    assert meta['created_at'].tzinfo is None
    # The object layer accepts it as it is.
    from nova import objects
    objects.register_all()
    image_meta = objects.ImageMeta.from_dict(meta)
    assert image_meta.properties.hw_disk_bus == 'virtio'
    assert image_meta.size == len(DATA)


def test_queued_image_is_not_active(conf, glance_url):
    image_id = _upload(glance_url, data=None)
    assert glance.API().get(_ctxt(), image_id)['status'] == 'queued'


def test_unknown_image_is_not_found(conf):
    missing = str(uuid.uuid4())
    with pytest.raises(exception.ImageNotFound) as err:
        glance.API().get(_ctxt(), missing)
    assert err.value.code == 404
    assert str(err.value) == 'Image %s could not be found.' % missing


def test_get_all_follows_pages(conf, glance_url):
    ids = {_upload(glance_url, data=None) for _ in range(3)}
    images = glance.API().get_all(_ctxt(), filters={'limit': 1})
    assert ids <= {i['id'] for i in images}
    assert len(glance.API().get_all(_ctxt(), limit=2)) == 2


def test_download_to_file_and_as_chunks(conf, glance_url, tmp_path):
    image_id = _upload(glance_url)
    dst = tmp_path / 'image.raw'
    assert glance.API().download(_ctxt(), image_id, dst_path=str(dst)) is None
    assert dst.read_bytes() == DATA
    assert b''.join(glance.API().download(_ctxt(), image_id)) == DATA


def test_download_of_unknown_image(conf, tmp_path):
    with pytest.raises(exception.ImageNotFound):
        glance.API().download(_ctxt(), str(uuid.uuid4()), dst_path=str(tmp_path / 'x'))


def test_api_servers_option_is_used(conf, glance_url):
    CONF.clear_override('endpoint_override', group='glance')
    CONF.set_override('api_servers', [glance_url], group='glance')
    image_id = _upload(glance_url, data=None)
    assert glance.API().get(_ctxt(), image_id)['id'] == image_id


def test_unreachable_glance_is_a_connection_failure(conf):
    closed = 'http://127.0.0.1:%d' % processes.free_port()
    CONF.set_override('endpoint_override', closed, group='glance')
    with pytest.raises(exception.GlanceConnectionFailed) as err:
        glance.API().get(_ctxt(), str(uuid.uuid4()))
    assert err.value.code == 503
    assert str(err.value).startswith('Connection to glance host %s failed: ' % closed)


def test_admin_context_without_token(conf, glance_url):
    image_id = _upload(glance_url, data=None)
    assert glance.API().get(context.get_admin_context(), image_id)['id'] == image_id
