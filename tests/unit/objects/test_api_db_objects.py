"""Flavor, KeyPair, BuildRequest, RequestSpec and InstanceGroup on a migrated API DB."""

import pytest
from oslo_utils import uuidutils

from nova import exception
from nova import objects


def _flavor(ctxt, name='m1.tiny', flavorid='1', **kwargs):
    values = dict(name=name, flavorid=flavorid, memory_mb=512, vcpus=1, root_gb=1,
                  ephemeral_gb=0, swap=0)
    values.update(kwargs)
    flavor = objects.Flavor(ctxt, **values)
    flavor.create()
    return flavor


def test_flavor_crud(ctxt):
    flavor = _flavor(ctxt, extra_specs={'a': '1'}, description='small')
    assert flavor.id and flavor.is_public and flavor.rxtx_factor == 1.0
    assert objects.Flavor.get_by_flavor_id(ctxt, '1').extra_specs == {'a': '1'}
    assert objects.Flavor.get_by_name(ctxt, 'm1.tiny').id == flavor.id
    got = objects.Flavor.get_by_id(ctxt, flavor.id)
    got.extra_specs['b'] = '2'
    del got.extra_specs['a']
    got.description = 'changed'
    got.save()
    again = objects.Flavor.get_by_id(ctxt, flavor.id)
    assert again.extra_specs == {'b': '2'} and again.description == 'changed'
    again.memory_mb = 1
    with pytest.raises(exception.ObjectActionError):
        again.save()
    with pytest.raises(exception.FlavorExists):
        _flavor(ctxt, flavorid='other')
    with pytest.raises(exception.FlavorIdExists):
        _flavor(ctxt, name='other')
    flavor.destroy()
    with pytest.raises(exception.FlavorNotFound):
        objects.Flavor.get_by_flavor_id(ctxt, '1')


def test_flavor_access_and_list(ctxt):
    public = _flavor(ctxt)
    private = _flavor(ctxt, name='private', flavorid='2', is_public=False)
    private.add_access('proj-a')
    with pytest.raises(exception.FlavorAccessExists):
        private.add_access('proj-a')
    assert objects.Flavor.get_by_id(ctxt, private.id).projects == ['proj-a']
    from nova import context as nova_context
    user = nova_context.RequestContext(user_id='u', project_id='proj-a', overwrite=False)
    visible = objects.FlavorList.get_all(user, filters={'is_public': True})
    assert {f.flavorid for f in visible} == {'1', '2'}
    other = nova_context.RequestContext(user_id='u', project_id='proj-b', overwrite=False)
    assert [f.flavorid for f in objects.FlavorList.get_all(
        other, filters={'is_public': True})] == ['1']
    page = objects.FlavorList.get_all(ctxt, marker=public.flavorid)
    assert [f.flavorid for f in page] == ['2']
    assert [f.flavorid for f in objects.FlavorList.get_all(
        ctxt, filters={'min_memory_mb': 1024})] == []
    private.remove_access('proj-a')
    with pytest.raises(exception.FlavorAccessNotFound):
        private.remove_access('proj-a')
    with pytest.raises(exception.MarkerNotFound):
        objects.FlavorList.get_all(ctxt, marker='nope')


def test_keypair(ctxt):
    for name in ('a', 'b', 'c'):
        objects.KeyPair(ctxt, name=name, user_id='u1', public_key='ssh-rsa AAA',
                        fingerprint='fp').create()
    with pytest.raises(exception.KeyPairExists):
        objects.KeyPair(ctxt, name='a', user_id='u1', public_key='k').create()
    key = objects.KeyPair.get_by_name(ctxt, 'u1', 'a')
    assert key.type == 'ssh' and key.public_key == 'ssh-rsa AAA'
    assert [k.name for k in objects.KeyPairList.get_by_user(ctxt, 'u1', limit=1,
                                                            marker='a')] == ['b']
    assert objects.KeyPairList.get_count_by_user(ctxt, 'u1') == 3
    key.destroy()
    objects.KeyPair.destroy_by_name(ctxt, 'u1', 'b')
    with pytest.raises(exception.KeypairNotFound):
        objects.KeyPair.get_by_name(ctxt, 'u1', 'b')


def _new_instance(ctxt, flavor):
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id=ctxt.project_id,
                            user_id=ctxt.user_id, display_name='pending', vm_state='building',
                            flavor=flavor, metadata={'m': '1'}, system_metadata={},
                            info_cache=None)
    return inst


def test_build_request(ctxt):
    flavor = _flavor(ctxt)
    inst = _new_instance(ctxt, flavor)
    bdms = objects.BlockDeviceMappingList(objects=[objects.BlockDeviceMapping(
        source_type='image', destination_type='local', boot_index=0, image_id='img',
        instance_uuid=inst.uuid)])
    req = objects.BuildRequest(ctxt, instance_uuid=inst.uuid, project_id=ctxt.project_id,
                               instance=inst, block_device_mappings=bdms)
    req.create()
    with pytest.raises(exception.BuildRequestAlreadyExists):
        objects.BuildRequest(ctxt, instance_uuid=inst.uuid, project_id='p',
                             instance=inst).create()
    got = objects.BuildRequest.get_by_instance_uuid(ctxt, inst.uuid)
    assert got.instance.display_name == 'pending'
    assert got.instance.flavor.name == 'm1.tiny'
    assert got.block_device_mappings[0].image_id == 'img'
    new = got.get_new_instance(ctxt)
    assert new.uuid == inst.uuid and 'id' not in new
    new.create()
    listed = objects.BuildRequestList.get_by_filters(ctxt, {'display_name': 'pend'})
    assert [r.instance_uuid for r in listed] == [inst.uuid]
    assert len(objects.BuildRequestList.get_by_filters(ctxt, {'host': 'x'})) == 0
    assert len(objects.BuildRequestList.get_all(ctxt)) == 1
    got.destroy()
    with pytest.raises(exception.BuildRequestNotFound):
        objects.BuildRequest.get_by_instance_uuid(ctxt, inst.uuid)


def test_request_spec_round_trip(ctxt):
    flavor = _flavor(ctxt)
    group = objects.InstanceGroup(ctxt, name='g', policy='anti-affinity',
                                  rules={'max_server_per_host': '2'},
                                  project_id=ctxt.project_id, user_id=ctxt.user_id,
                                  members=['m1'])
    group.create()
    image = objects.ImageMeta.from_dict({'id': uuidutils.generate_uuid(),
                                         'properties': {'hw_disk_bus': 'scsi'}})
    instance_uuid = uuidutils.generate_uuid()
    spec = objects.RequestSpec.from_components(
        ctxt, instance_uuid, image, flavor, num_instances=2, availability_zone='az1',
        scheduler_hints={'group': group.uuid, 'foo': ['a', 'b']}, instance_group=group,
        force_hosts=['h1'], is_bfv=True)
    spec.retry = objects.SchedulerRetries(num_attempts=1,
                                          hosts=objects.ComputeNodeList(objects=[]))
    spec.requested_destination = objects.Destination(host='h2')
    spec.create()
    got = objects.RequestSpec.get_by_instance_uuid(ctxt, instance_uuid)
    assert got.flavor.flavorid == '1' and got.num_instances == 2
    assert got.image.properties.get('hw_disk_bus') == 'scsi'
    assert got.get_scheduler_hint('group') == group.uuid
    assert got.get_scheduler_hint('foo') == ['a', 'b']
    assert got.instance_group.policy == 'anti-affinity'
    assert got.instance_group.members is None
    assert got.retry is None and got.requested_destination is None
    assert got.force_hosts == ['h1'] and got.is_bfv
    got.reset_forced_destinations()
    got.availability_zone = 'az2'
    got.save()
    again = objects.RequestSpec.get_by_instance_uuid(ctxt, instance_uuid)
    assert again.availability_zone == 'az2' and again.force_hosts is None
    again.destroy()
    with pytest.raises(exception.RequestSpecNotFound):
        objects.RequestSpec.get_by_instance_uuid(ctxt, instance_uuid)



def test_request_specs_of_a_page_in_one_read(ctxt):
    flavor = _flavor(ctxt)
    image = objects.ImageMeta.from_dict({'id': uuidutils.generate_uuid(), 'properties': {}})
    uuids = [uuidutils.generate_uuid() for _ in range(3)]
    for index, instance_uuid in enumerate(uuids[:2]):
        objects.RequestSpec.from_components(
            ctxt, instance_uuid, image, flavor, availability_zone='az%d' % index,
            scheduler_hints={'foo': ['x%d' % index]}).create()
    found = objects.RequestSpec.get_by_instance_uuids(ctxt, uuids)
    assert sorted(found) == sorted(uuids[:2])   # the third has no spec
    assert found[uuids[1]].availability_zone == 'az1'
    assert found[uuids[0]].scheduler_hints == {'foo': ['x0']}
    assert objects.RequestSpec.get_by_instance_uuids(ctxt, []) == {}

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
