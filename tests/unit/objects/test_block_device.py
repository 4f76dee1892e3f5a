"""nova.objects.block_device: block device mappings in a migrated cell database."""

from oslo_utils import uuidutils
import pytest

from nova import exception
from nova import objects


def test_block_device_mapping(ctxt):
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid())
    inst.create()
    bdm = objects.BlockDeviceMapping(ctxt, instance_uuid=inst.uuid, source_type='volume',
                                     destination_type='volume', volume_id='vol-1',
                                     boot_index=0, device_name='/dev/vda',
                                     connection_info='{"secret": 1}')
    bdm.create()
    assert bdm.uuid and bdm.is_root and bdm.is_volume
    bdm.delete_on_termination = True
    bdm.save()
    got = objects.BlockDeviceMapping.get_by_volume_id(ctxt, 'vol-1')
    assert got.delete_on_termination and got.instance.uuid == inst.uuid
    bdms = objects.BlockDeviceMappingList.get_by_instance_uuid(ctxt, inst.uuid)
    assert bdms.root_bdm().volume_id == 'vol-1'
    got.destroy()
    assert len(objects.BlockDeviceMappingList.get_by_instance_uuid(ctxt, inst.uuid)) == 0
    with pytest.raises(exception.VolumeBDMNotFound):
        objects.BlockDeviceMapping.get_by_volume_id(ctxt, 'vol-1')
