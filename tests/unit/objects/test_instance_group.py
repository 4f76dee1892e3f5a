"""nova.objects.instance_group on a migrated API database: members, their hosts, lookups
by hint and by instance."""

from oslo_utils import uuidutils
import pytest

from nova import exception
from nova import objects


def test_instance_group(ctxt):
    group = objects.InstanceGroup(ctxt, name='web', policy='affinity',
                                  project_id=ctxt.project_id, user_id=ctxt.user_id)
    group.create()
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), host='hostA',
                            project_id=ctxt.project_id, user_id=ctxt.user_id)
    inst.create()
    assert objects.InstanceGroup.add_members(ctxt, group.uuid, [inst.uuid]) == [inst.uuid]
    got = objects.InstanceGroup.get_by_hint(ctxt, 'web')
    assert got.members == [inst.uuid] and got.policies == ['affinity']
    assert got.get_hosts() == ['hostA']
    assert objects.InstanceGroup.get_by_instance_uuid(ctxt, inst.uuid).uuid == group.uuid
    got.name = 'renamed'
    got.save()
    got.policy = 'anti-affinity'
    with pytest.raises(exception.InstanceGroupSaveException):
        got.save()
    assert objects.InstanceGroupList.get_counts(ctxt, ctxt.project_id)['project'][
        'server_groups'] == 1
    assert [g.name for g in objects.InstanceGroupList.get_by_project_id(
        ctxt, ctxt.project_id)] == ['renamed']
    group.destroy()
    with pytest.raises(exception.InstanceGroupNotFound):
        objects.InstanceGroup.get_by_uuid(ctxt, group.uuid)
