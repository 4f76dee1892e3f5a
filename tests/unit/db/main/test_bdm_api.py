"""The cell database's block device mappings against a migrated SQLite file: update
or create by device (or volume), a snapshot source without an id, soft deletes."""

import pytest
from oslo_utils import uuidutils

from nova.db.main import bdm_api as db
from nova import exception

INSTANCE = uuidutils.generate_uuid()


def _bdm(ctxt, **values):
    fields = dict(instance_uuid=INSTANCE, source_type='volume', destination_type='volume',
                  device_name='/dev/vdb', volume_id='vol-1', boot_index=None)
    fields.update(values)
    return db.block_device_mapping_create(ctxt, fields)


def test_create_ignores_a_given_id_and_fills_the_uuid(ctxt):
    bdm = _bdm(ctxt, id=999)
    assert bdm['id'] != 999 and uuidutils.is_uuid_like(bdm['uuid'])
    assert _bdm(ctxt, source_type='snapshot', snapshot_id='')['snapshot_id'] is None


def test_update_or_create_matches_the_device_then_the_volume(ctxt):
    first = _bdm(ctxt)
    same_device = db.block_device_mapping_update_or_create(ctxt, dict(
        instance_uuid=INSTANCE, device_name='/dev/vdb', volume_id='vol-2'))
    assert same_device['id'] == first['id'] and same_device['volume_id'] == 'vol-2'
    same_volume = db.block_device_mapping_update_or_create(ctxt, dict(
        instance_uuid=INSTANCE, volume_id='vol-2', boot_index=1))
    assert same_volume['id'] == first['id'] and same_volume['boot_index'] == 1
    neither = db.block_device_mapping_update_or_create(ctxt, dict(
        instance_uuid=INSTANCE, source_type='blank', destination_type='local'))
    assert neither['id'] != first['id']
    assert len(db.block_device_mapping_get_all_by_instance_uuids(ctxt, [INSTANCE])) == 2


def test_lookups_and_deletes(ctxt):
    kept = _bdm(ctxt)
    other = _bdm(ctxt, instance_uuid=uuidutils.generate_uuid(), device_name='/dev/vdc')
    assert [b['id'] for b in db.block_device_mapping_get_by_volume_id(ctxt, 'vol-1')] == [
        kept['id'], other['id']]
    assert [b['id'] for b in db.block_device_mapping_get_by_volume_id(
        ctxt, 'vol-1', instance_uuid=INSTANCE)] == [kept['id']]
    assert db.block_device_mapping_get_by_uuid(ctxt, kept['uuid'])['id'] == kept['id']
    db.block_device_mapping_destroy(ctxt, other['id'])
    with pytest.raises(exception.BlockDeviceMappingNotFound):
        db.block_device_mapping_get_by_uuid(ctxt, other['uuid'])
    with pytest.raises(exception.BlockDeviceMappingNotFound):
        db.block_device_mapping_update(ctxt, other['id'], {'boot_index': 0})
    db.block_device_mapping_destroy_by_instance(ctxt, INSTANCE)
    assert db.block_device_mapping_get_all_by_instance_uuids(ctxt, [INSTANCE]) == []
    assert db.block_device_mapping_get_all_by_instance_uuids(ctxt, []) == []
