"""nova.block_device: both request syntaxes normalised and checked as upstream checks them."""

import types

import pytest

import nova.conf
from nova import block_device
from nova import exception

CONF = nova.conf.CONF
VOL = '6f1c5a9e-3c9a-4f3e-9a53-0d8b1b7c2a11'
IMG = '70a599e0-31e7-49b7-b260-868f441e862b'


def _flavor(swap=0, ephemeral_gb=0):
    return types.SimpleNamespace(swap=swap, ephemeral_gb=ephemeral_gb)


def test_from_api_defaults_destination_and_moves_uuid_to_its_source_key():
    bdm = block_device.from_api({'source_type': 'volume', 'uuid': VOL, 'boot_index': '0',
                                 'delete_on_termination': 'true'}, False)
    assert bdm['destination_type'] == 'volume'
    assert bdm['volume_id'] == VOL and 'uuid' not in bdm
    assert bdm['boot_index'] == 0 and bdm['delete_on_termination'] is True
    blank = block_device.from_api({'source_type': 'blank', 'volume_size': '1'}, True)
    assert blank['destination_type'] == 'local' and blank['volume_size'] == 1
    assert 'blank_id' not in blank


def test_from_api_negative_boot_index_is_not_bootable_and_no_device_is_dropped():
    bdm = block_device.from_api({'source_type': 'volume', 'uuid': VOL, 'boot_index': -1},
                                False)
    assert bdm['boot_index'] is None
    assert block_device.from_api({'no_device': True}, False) is None


@pytest.mark.parametrize('bdm,image,message', [
    ({'source_type': 'cdrom', 'uuid': VOL}, False, 'Invalid source_type field.'),
    ({'source_type': 'volume', 'uuid': VOL, 'destination_type': 'nfs'}, False,
     'Invalid destination_type field.'),
    ({'source_type': 'volume'}, False, 'Missing device UUID.'),
    ({'source_type': 'blank', 'uuid': VOL}, False, 'Invalid device UUID.'),
    ({'source_type': 'image', 'uuid': IMG, 'destination_type': 'local', 'boot_index': 0},
     False, 'Mapping image to local is not supported.'),
    ({'source_type': 'image', 'uuid': IMG, 'destination_type': 'local', 'boot_index': 1},
     True, 'Mapping image to local is not supported.'),
    ({'source_type': 'snapshot', 'uuid': VOL, 'destination_type': 'local'}, False,
     'Mapping snapshot to local is not supported.'),
    ({'source_type': 'blank', 'destination_type': 'local', 'volume_type': 'ssd'}, False,
     'Specifying a volume_type with destination_type=local is not supported.'),
    ({'source_type': 'volume', 'uuid': VOL, 'volume_type': 'ssd'}, False,
     'Specifying volume type to existing volume is not supported.'),
    ({'source_type': 'volume', 'uuid': VOL, 'boot_index': 'first'}, False,
     'Boot index is invalid.'),
    ({'source_type': 'volume', 'uuid': VOL, 'volume_size': 'big'}, False,
     'volume_size must be an integer.'),
    ({'source_type': 'volume', 'uuid': VOL, 'volume_size': -1}, False,
     'volume_size must be >= 0.'),
    ({'source_type': 'volume', 'uuid': VOL, 'device_name': 'vd a'}, False,
     'Device name contains spaces.'),
    ({'source_type': 'volume', 'uuid': VOL, 'device_name': ''}, False,
     'Device name empty or too long.'),
])
def test_from_api_refusals(bdm, image, message):
    with pytest.raises(exception.InvalidBDMFormat) as err:
        block_device.from_api(bdm, image)
    assert message in err.value.format_message()


def test_the_servers_own_image_may_be_the_local_root():
    bdm = block_device.from_api({'source_type': 'image', 'uuid': IMG,
                                 'destination_type': 'local', 'boot_index': 0}, True)
    assert bdm['image_id'] == IMG and bdm['boot_index'] == 0


def test_from_legacy_by_what_the_entry_names():
    assert block_device.from_legacy({'volume_id': VOL, 'device_name': 'vda'})[
        'source_type'] == 'volume'
    snap = block_device.from_legacy({'snapshot_id': VOL})
    assert (snap['source_type'], snap['snapshot_id']) == ('snapshot', VOL)
    swap = block_device.from_legacy({'virtual_name': 'swap'})
    assert (swap['source_type'], swap['destination_type'], swap['guest_format']) == (
        'blank', 'local', 'swap')
    eph = block_device.from_legacy({'virtual_name': 'ephemeral0'})
    assert (eph['source_type'], eph['guest_format']) == ('blank', None)
    assert block_device.from_legacy({'no_device': True}) is None
    with pytest.raises(exception.InvalidBDMFormat):
        block_device.from_legacy({'virtual_name': 'something'})


def test_normalize_legacy_makes_the_vda_volume_the_root():
    bdms = block_device.normalize(
        [{'volume_id': VOL, 'device_name': '/dev/vdb'},
         {'volume_id': 'b' + VOL[1:], 'device_name': '/dev/vda'}], True, None)
    assert [b['boot_index'] for b in bdms] == [None, 0]
    # no vda among them: the first volume is the root
    bdms = block_device.normalize([{'volume_id': VOL, 'device_name': '/dev/vdc'}],
                                  True, None)
    assert bdms[0]['boot_index'] == 0
    # with an image the image is the root and nothing is promoted
    bdms = block_device.normalize([{'volume_id': VOL, 'device_name': '/dev/vda'}],
                                  True, IMG)
    assert bdms[0]['boot_index'] is None


def test_normalize_boot_sequence():
    volume = {'source_type': 'volume', 'uuid': VOL}
    assert block_device.normalize([dict(volume, boot_index=0)], False, None)
    # an image counts as index 0
    assert block_device.normalize([dict(volume, boot_index=1)], False, IMG)
    for indexes, image in (([1], None), ([0, 2], None), ([None], None), ([2], IMG)):
        with pytest.raises(exception.InvalidBDMBootSequence):
            block_device.normalize([dict(volume, boot_index=i) for i in indexes],
                                   False, image)


def test_normalize_drops_no_device_entries_and_refuses_non_objects():
    assert block_device.normalize([{'no_device': True}], False, IMG) == []
    assert block_device.normalize(None, False, IMG) == []
    with pytest.raises(exception.InvalidBDMFormat):
        block_device.normalize(['vda'], False, IMG)


def test_blank_volume_needs_a_size():
    with pytest.raises(exception.InvalidBDM):
        block_device.normalize([{'source_type': 'blank', 'destination_type': 'volume',
                                 'boot_index': 0}], False, None)


def test_local_disks_within_the_flavor_and_the_limit():
    def blank(size=None, swap=False):
        return {'source_type': 'blank', 'destination_type': 'local', 'volume_size': size,
                'guest_format': 'swap' if swap else None}

    block_device.check_local_disks([blank(1), blank(swap=True)], _flavor(swap=1,
                                                                       ephemeral_gb=1))
    with pytest.raises(exception.InvalidBDMFormatMultipleSwap):
        block_device.check_local_disks([blank(swap=True), blank(swap=True)], None)
    with pytest.raises(exception.InvalidBDMSwapSize):
        block_device.check_local_disks([blank(2, swap=True)], _flavor(swap=1))
    with pytest.raises(exception.InvalidBDMEphemeralSize):
        block_device.check_local_disks([blank(1), blank(1)], _flavor(ephemeral_gb=1))
    # an ephemeral disk without a size takes the flavor's
    with pytest.raises(exception.InvalidBDMEphemeralSize):
        block_device.check_local_disks([blank(), blank()], _flavor(ephemeral_gb=1))
    CONF.set_override('max_local_block_devices', 1)
    try:
        with pytest.raises(exception.InvalidBDMLocalsLimit):
            block_device.check_local_disks([blank(), blank()], None)
        CONF.set_override('max_local_block_devices', -1)
        block_device.check_local_disks([blank()] * 5, None)
    finally:
        CONF.clear_override('max_local_block_devices')
