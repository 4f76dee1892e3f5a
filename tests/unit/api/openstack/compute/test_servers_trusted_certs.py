"""Trusted image certificates (microversion 2.63): asked for on create, kept
with the server and shown from 2.63; defaults from ``[glance]``; refused for
servers booted from a volume."""

import pytest

import nova.conf
from nova import context as nova_context
from nova import objects
from tests.unit.api import seeded
from tests.unit.api.conftest import Client

CONF = nova.conf.CONF
CERTS = ['0b5d2c72-12cc-4ba6-a8d7-3ff5cc1d8cb8', '674736e3-f25c-405c-8362-bbf991e0ce0a']
DEFAULTS = ['default-cert-1', 'default-cert-2']
_VOLUME_FROM_IMAGE = [{'source_type': 'image', 'destination_type': 'volume',
                       'uuid': seeded.IMAGE, 'boot_index': 0, 'volume_size': 1}]


@pytest.fixture
def cloud(paste_app, max_version, seeded_ids):
    yield Client(paste_app, token=seeded.PERSONAS['member'][0]), seeded_ids
    for name in ('verify_glance_signatures', 'enable_certificate_validation',
                 'default_trusted_certificate_ids'):
        CONF.clear_override(name, group='glance')


def _headers():
    return seeded.headers_for('member')[1]


def _boot(client, version='2.63', **server):
    body = {'server': dict({'name': 'signed', 'imageRef': seeded.IMAGE, 'flavorRef': '1',
                            'networks': 'none'}, **server)}
    return client.post('/servers', body, version=version, headers=_headers())


def _shown(client, server_id, version='2.63'):
    res = client.get('/servers/%s' % server_id, version=version, headers=_headers())
    assert res.status_int == 200, res.body
    return res.json_body_or_none['server']


def _message(res):
    return next(iter(res.json_body_or_none.values()))['message']


def test_requested_certificates_are_kept_and_shown(cloud):
    client, _ids = cloud
    res = _boot(client, trusted_image_certificates=CERTS)
    assert res.status_int == 202, res.body
    server_id = res.json_body_or_none['server']['id']
    assert _shown(client, server_id)['trusted_image_certificates'] == CERTS
    assert 'trusted_image_certificates' not in _shown(client, server_id, version='2.62')
    detail = client.get('/servers/detail', version='2.63',
                        headers=_headers()).json_body_or_none['servers']
    assert {s['id']: s['trusted_image_certificates'] for s in detail}[server_id] == CERTS


def test_none_requested_is_null_unless_the_defaults_apply(cloud):
    client, _ids = cloud
    CONF.set_override('default_trusted_certificate_ids', DEFAULTS, group='glance')
    CONF.set_override('verify_glance_signatures', True, group='glance')
    server_id = _boot(client).json_body_or_none['server']['id']
    # Certificate validation off: the defaults are not used.
    assert _shown(client, server_id)['trusted_image_certificates'] is None
    CONF.set_override('enable_certificate_validation', True, group='glance')
    server_id = _boot(client).json_body_or_none['server']['id']
    assert _shown(client, server_id)['trusted_image_certificates'] == DEFAULTS
    # Requested certificates win over the defaults.
    server_id = _boot(client, trusted_image_certificates=CERTS[:1]).json_body_or_none[
        'server']['id']
    assert _shown(client, server_id)['trusted_image_certificates'] == CERTS[:1]


def test_volume_backed_server_cannot_have_certificates(cloud):
    client, _ids = cloud
    res = _boot(client, imageRef='', block_device_mapping_v2=_VOLUME_FROM_IMAGE,
                trusted_image_certificates=CERTS)
    assert res.status_int == 400, res.body
    assert _message(res) == \
        'Image certificate validation is not supported when booting from volume'
    # The same when the defaults would apply.
    for name in ('verify_glance_signatures', 'enable_certificate_validation'):
        CONF.set_override(name, True, group='glance')
    CONF.set_override('default_trusted_certificate_ids', DEFAULTS, group='glance')
    res = _boot(client, imageRef='', block_device_mapping_v2=_VOLUME_FROM_IMAGE)
    assert res.status_int == 400, res.body
    assert 'booting from volume' in _message(res)


@pytest.mark.parametrize('version,certs', [
    ('2.62', CERTS),       # not known before 2.63
    ('2.63', []),          # at least one
    ('2.63', [CERTS[0]] * 2),  # no duplicates
    ('2.63', ['']),        # no empty IDs
    ('2.63', ['c%d' % i for i in range(51)]),  # at most 50
])
def test_bad_certificate_lists_are_400(cloud, version, certs):
    client, _ids = cloud
    res = _boot(client, version=version, trusted_image_certificates=certs)
    assert res.status_int == 400, res.body


def test_a_server_in_a_cell_shows_its_stored_certificates(cloud, cell1):
    client, ids = cloud
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, ids['servers'])
        assert instance.trusted_certs is None
        instance.trusted_certs = objects.TrustedCerts(ids=CERTS)
        instance.save()
        reloaded = objects.Instance.get_by_uuid(cctxt, ids['servers'],
                                                expected_attrs=['trusted_certs'])
        assert reloaded.trusted_certs.ids == CERTS
    assert _shown(client, ids['servers'])['trusted_image_certificates'] == CERTS
    detail = client.get('/servers/detail', version='2.63',
                        headers=_headers()).json_body_or_none['servers']
    assert {s['id']: s['trusted_image_certificates'] for s in detail}[ids['servers']] == \
        CERTS
