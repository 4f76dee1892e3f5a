"""``POST /os-volumes_boot`` and block device mapping checks of a server create."""

import uuid

import pytest

import nova.conf
from nova import block_device
from nova import exception
from nova import objects
from tests.unit.api.openstack.compute.test_servers import IMAGE
from tests.unit.api.openstack.compute.test_servers import _body
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.api.openstack.compute.test_servers import cloud  # noqa: F401

CONF = nova.conf.CONF
VOLUME = str(uuid.uuid4())


def _bfv(bdms, image=False, key='block_device_mapping_v2', **extra):
    body = _body(**extra)
    if not image:
        del body['server']['imageRef']
    body['server'][key] = bdms
    return body


def test_volumes_boot_behaves_as_servers(user, cloud):  # noqa: F811
    res = user.post('/os-volumes_boot', _body())
    assert res.status_int == 202, res.body
    server = res.json_body_or_none['server']
    assert user.get('/os-volumes_boot/%s' % server['id']).json_body_or_none[
        'server']['id'] == server['id']
    listed = user.get('/os-volumes_boot/detail').json_body_or_none['servers']
    assert [s['id'] for s in listed] == [server['id']]
    assert user.delete('/os-volumes_boot/%s' % server['id']).status_int == 204


@pytest.mark.parametrize('path', ['/servers', '/os-volumes_boot'])
def test_volume_bdm_without_cinder_is_400(user, cloud, path):  # noqa: F811
    bdm = {'source_type': 'volume', 'destination_type': 'volume', 'uuid': VOLUME,
           'boot_index': 0}
    assert _error(user.post(path, _bfv([bdm])), 400) == \
        'Block Device Mapping is Invalid: failed to get volume %s.' % VOLUME
    legacy = [{'volume_id': VOLUME, 'device_name': 'vda'}]
    assert _error(user.post(path, _bfv(legacy, key='block_device_mapping')), 400) == \
        'Block Device Mapping is Invalid: failed to get volume %s.' % VOLUME
    snap = {'source_type': 'snapshot', 'destination_type': 'volume', 'uuid': VOLUME,
            'boot_index': 0}
    assert _error(user.post(path, _bfv([snap])), 400) == \
        'Block Device Mapping is Invalid: failed to get snapshot %s.' % VOLUME
    image_to_volume = {'source_type': 'image', 'destination_type': 'volume',
                       'uuid': IMAGE, 'boot_index': 0, 'volume_size': 1}
    assert 'Cinder' in _error(user.post(path, _bfv([image_to_volume])), 400)
    # Nothing half-built is left behind.
    assert user.get('/servers').json_body_or_none == {'servers': []}


def test_root_image_bdm_is_accepted(user, cloud):  # noqa: F811
    bdm = {'source_type': 'image', 'destination_type': 'local', 'uuid': IMAGE,
           'boot_index': 0, 'delete_on_termination': True}
    res = user.post('/servers', _bfv([bdm], image=True))
    assert res.status_int == 202, res.body


@pytest.mark.parametrize('bdms,message', [
    ([{'source_type': 'volume', 'boot_index': 0}],
     'Block Device Mapping is Invalid: Missing device UUID.'),
    ([{'source_type': 'blank', 'uuid': VOLUME, 'boot_index': 0}],
     'Block Device Mapping is Invalid: Invalid device UUID.'),
    ([{'source_type': 'image', 'destination_type': 'local', 'uuid': IMAGE,
       'boot_index': 0}],
     'Block Device Mapping is Invalid: Mapping image to local is not supported.'),
    ([{'source_type': 'volume', 'destination_type': 'volume', 'uuid': VOLUME,
       'boot_index': 1}],
     'Block Device Mapping is Invalid: Boot sequence for the instance and image/block '
     'device mapping combination is not valid.'),
    ([{'source_type': 'volume', 'destination_type': 'volume', 'uuid': VOLUME,
       'boot_index': 0, 'volume_type': 'fast'}],
     'Block Device Mapping is Invalid: Specifying volume type to existing volume is not '
     'supported.'),
    ([{'source_type': 'blank', 'destination_type': 'volume', 'boot_index': 0}],
     "Block Device Mapping is Invalid: Blank volumes (source: 'blank', dest: 'volume') "
     "need to have non-zero size"),
])
def test_bdm_semantic_errors(user, cloud, max_version, bdms, message):  # noqa: F811
    assert _error(user.post('/servers', _bfv(bdms, networks='none'), version='2.67'),
                  400) == message


@pytest.mark.parametrize('bdm', [
    {'source_type': 'disk', 'uuid': VOLUME},
    {'source_type': 'volume', 'destination_type': 'remote', 'uuid': VOLUME},
    {'source_type': 'volume', 'uuid': 'not valid!'},
    {'source_type': 'volume', 'uuid': VOLUME, 'boot_index': 'first'},
    {'source_type': 'volume', 'uuid': VOLUME, 'volume_size': 0},
    {'source_type': 'volume', 'uuid': VOLUME, 'volume_size': -1},
    {'source_type': 'volume', 'uuid': VOLUME, 'volume_size': 2 ** 31},
    {'source_type': 'volume', 'uuid': VOLUME, 'device_name': ''},
    {'source_type': 'volume', 'uuid': VOLUME, 'device_name': 'vd a'},
    {'source_type': 'volume', 'uuid': VOLUME, 'device_name': 'x' * 256},
    {'source_type': 'volume', 'uuid': VOLUME, 'delete_on_termination': 'maybe'},
    {'source_type': 'volume', 'uuid': VOLUME, 'bogus': 1},
    {'source_type': 'image', 'image_id': 'not-a-uuid'},
    'a string',
])
def test_bdm_schema_errors(user, cloud, bdm):  # noqa: F811
    _error(user.post('/servers', _bfv([bdm])), 400)


def test_bdm_request_shape_errors(user, cloud):  # noqa: F811
    bdm = {'source_type': 'volume', 'uuid': VOLUME, 'boot_index': 0}
    body = _bfv([bdm])
    body['server']['block_device_mapping'] = [{'volume_id': VOLUME}]
    assert _error(user.post('/servers', body), 400) == (
        'Using different block_device_mapping syntaxes is not allowed in the same request.')
    _error(user.post('/servers', _bfv('not a list')), 400)
    _error(user.post('/servers', _bfv([{'volume_id': 'x'}], key='block_device_mapping')),
           400)
    # The volume device tag arrives with 2.32, goes at 2.33 and returns with 2.42.
    tagged = dict(bdm, tag='root')
    _error(user.post('/servers', _bfv([tagged]), version='2.31'), 400)
    assert 'failed to get volume' in _error(
        user.post('/servers', _bfv([tagged]), version='2.32'), 400)
    _error(user.post('/servers', _bfv([tagged], networks='none'), version='2.37'), 400)


def test_local_disks_checked_against_flavor():
    flavor = objects.Flavor(swap=512, ephemeral_gb=1)
    image = {'source_type': 'image', 'destination_type': 'local', 'uuid': IMAGE,
             'boot_index': 0}
    swap = {'source_type': 'blank', 'destination_type': 'local', 'guest_format': 'swap',
            'volume_size': 1024}
    with pytest.raises(exception.InvalidBDMSwapSize):
        block_device.check_local_disks(block_device.normalize([image, swap], False, IMAGE),
                                       flavor)
    with pytest.raises(exception.InvalidBDMFormatMultipleSwap):
        block_device.normalize([swap, dict(swap)], False, IMAGE)
    ephemeral = {'source_type': 'blank', 'destination_type': 'local', 'volume_size': 2}
    with pytest.raises(exception.InvalidBDMEphemeralSize):
        block_device.check_local_disks(block_device.normalize([ephemeral], False, IMAGE),
                                       flavor)
    CONF.set_override('max_local_block_devices', 1)
    try:
        with pytest.raises(exception.InvalidBDMLocalsLimit):
            block_device.normalize([image, dict(ephemeral, volume_size=1)], False, IMAGE)
    finally:
        CONF.clear_override('max_local_block_devices')
    # Legacy: the vda volume is the root disk; swap and ephemeral by virtual name.
    legacy = block_device.normalize([{'volume_id': VOLUME, 'device_name': '/dev/vda'},
                                     {'virtual_name': 'swap', 'device_name': 'vdb'},
                                     {'no_device': True, 'device_name': 'vdc'}],
                                    True, None)
    assert [(b['source_type'], b['destination_type'], b['boot_index']) for b in legacy] == [
        ('volume', 'volume', 0), ('blank', 'local', None)]
    assert legacy[1]['guest_format'] == 'swap'


def test_local_blank_disks_are_refused_for_now(user, cloud):  # noqa: F811
    ephemeral = {'source_type': 'blank', 'destination_type': 'local', 'volume_size': 1}
    msg = _error(user.post('/servers', _bfv([ephemeral], image=True)), 400)
    # The flavor has no ephemeral space: upstream's size check comes first.
    assert msg.startswith('Ephemeral disks requested are larger')


def test_a_volume_type_cinder_does_not_have_is_400(user, cloud, monkeypatch):  # noqa: F811
    """2.67: the type of a volume made at boot, by name or id, must exist in Cinder."""
    from nova.volume import cinder as cinder_client
    from tests.unit.volume.fake_cinder import FakeCinder
    monkeypatch.setattr(cinder_client, 'get_client', FakeCinder().client)
    CONF.set_override('endpoint_template', 'http://cinder/v3/%(project_id)s', 'cinder')
    try:
        bdm = {'source_type': 'image', 'destination_type': 'volume', 'uuid': IMAGE,
               'boot_index': 0, 'volume_size': 1, 'volume_type': 'gold'}
        body = _bfv([bdm], networks='none')
        assert user.post('/servers', body, version='2.66').status_int == 400
        assert _error(user.post('/servers', body, version='2.67'), 400) == \
            'Volume type gold could not be found.'
        for known in ('__DEFAULT__', '5f0b7a3c-1e5c-4b43-9b7e-2c2f7f0c1a11'):
            bdm['volume_type'] = known
            res = user.post('/servers', _bfv([bdm], networks='none'), version='2.67')
            assert res.status_int == 202, res.body
    finally:
        CONF.clear_override('endpoint_template', 'cinder')


def test_a_multiattach_volume_needs_2_60(user, cloud, monkeypatch):  # noqa: F811
    """Upstream's 400 for a server made from a multiattach volume before 2.60."""
    from nova.volume import cinder as cinder_client
    from tests.unit.volume.fake_cinder import FakeCinder
    fake = FakeCinder()
    monkeypatch.setattr(cinder_client, 'get_client', fake.client)
    CONF.set_override('endpoint_template', 'http://cinder/v3/%(project_id)s', 'cinder')
    try:
        bdm = {'source_type': 'volume', 'destination_type': 'volume', 'boot_index': 0,
               'uuid': fake.add_volume(multiattach=True)}
        body = _bfv([bdm], networks='none')
        assert _error(user.post('/servers', body, version='2.59'), 400) == (
            'Multiattach volumes are only supported starting with compute API '
            'version 2.60.')
        assert user.get('/servers').json_body_or_none == {'servers': []}
        res = user.post('/servers', body, version='2.60')
        assert res.status_int == 202, res.body
    finally:
        CONF.clear_override('endpoint_template', 'cinder')
