"""Instance, InstanceList, info cache and fault against a migrated SQLite cell DB."""

import pytest
from oslo_utils import uuidutils

from nova import exception
from nova import objects


def _flavor(ctxt, name='m1.small', flavorid='2'):
    flavor = objects.Flavor(ctxt, name=name, flavorid=flavorid, memory_mb=2048, vcpus=1,
                            root_gb=20, ephemeral_gb=0, swap=0, extra_specs={'hw:a': 'b'})
    flavor.create()
    return flavor


def _instance(ctxt, flavor=None, **kwargs):
    values = dict(uuid=uuidutils.generate_uuid(), project_id=ctxt.project_id,
                  user_id=ctxt.user_id, host='host1', node='node1', vm_state='building',
                  task_state='scheduling', display_name='vm', memory_mb=512, vcpus=1,
                  metadata={'k': 'v'}, system_metadata={'image_x': 'y'})
    values.update(kwargs)
    inst = objects.Instance(ctxt, **values)
    if flavor is not None:
        inst.flavor = flavor
        inst.old_flavor = None
        inst.new_flavor = None
    inst.create()
    return inst


def test_create_and_get(ctxt):
    inst = _instance(ctxt, flavor=_flavor(ctxt), tags=objects.TagList.from_names(
        ctxt, 'x', ['a', 'b']))
    assert inst.id and not inst.obj_what_changed()
    got = objects.Instance.get_by_uuid(ctxt, inst.uuid)
    assert got.metadata == {'k': 'v'}
    assert got.system_metadata == {'image_x': 'y'}
    assert got.info_cache.network_info == []
    assert got.name == 'instance-%08x' % inst.id
    # Lazy loads
    assert got.flavor.name == 'm1.small'
    assert got.flavor.extra_specs == {'hw:a': 'b'}
    assert got.old_flavor is None
    assert sorted(t.tag for t in got.tags) == ['a', 'b']
    assert got.fault is None
    assert len(got.keypairs) == 0


def test_save_metadata_and_task_state(ctxt):
    inst = _instance(ctxt)
    inst.metadata['new'] = 'x'
    del inst.metadata['k']
    inst.task_state = None
    inst.vm_state = 'active'
    inst.save(expected_task_state=['scheduling'])
    got = objects.Instance.get_by_uuid(ctxt, inst.uuid)
    assert got.metadata == {'new': 'x'}
    assert got.vm_state == 'active' and got.task_state is None
    got.task_state = 'rebooting'
    with pytest.raises(exception.UnexpectedTaskStateError):
        got.save(expected_task_state=['spawning'])
    assert objects.Instance.get_by_uuid(ctxt, inst.uuid).task_state is None


def test_save_deleting_raises_deleting_error(ctxt):
    inst = _instance(ctxt, task_state='deleting')
    inst.task_state = 'spawning'
    with pytest.raises(exception.UnexpectedDeletingTaskStateError):
        inst.save(expected_task_state=['scheduling'])


def test_flavor_resize_slots(ctxt):
    small, big = _flavor(ctxt), _flavor(ctxt, name='big', flavorid='3')
    inst = _instance(ctxt, flavor=small)
    inst.old_flavor = small
    inst.new_flavor = big
    inst.save()
    got = objects.Instance.get_by_uuid(ctxt, inst.uuid, expected_attrs=['flavor'])
    assert got.new_flavor.flavorid == '3' and got.old_flavor.flavorid == '2'
    assert got.get_flavor('new').name == 'big'


def test_destroy_is_soft(ctxt):
    inst = _instance(ctxt)
    inst.destroy()
    assert inst.deleted
    with pytest.raises(exception.InstanceNotFound):
        objects.Instance.get_by_uuid(ctxt, inst.uuid)
    deleted_ctxt = ctxt.elevated(read_deleted='yes')
    assert objects.Instance.get_by_uuid(deleted_ctxt, inst.uuid).deleted


def test_destroy_host_changed(ctxt):
    inst = _instance(ctxt)
    other = objects.Instance.get_by_uuid(ctxt, inst.uuid)
    other.host = 'elsewhere'
    other.save()
    with pytest.raises(exception.ObjectActionError):
        inst.destroy()


def test_info_cache_save(ctxt):
    inst = _instance(ctxt)
    inst.info_cache.network_info = [{'id': 'port1', 'address': 'aa:bb'}]
    inst.save()
    cache = objects.InstanceInfoCache.get_by_instance_uuid(ctxt, inst.uuid)
    assert cache.network_info[0]['id'] == 'port1'


def test_fault(ctxt):
    inst = _instance(ctxt)
    for code in (500, 404):
        objects.InstanceFault(ctxt, instance_uuid=inst.uuid, code=code, message='boom %d' % code,
                              details='tb', host='h').create()
    latest = objects.InstanceFault.get_latest_for_instance(ctxt, inst.uuid)
    assert latest.code == 404
    got = objects.Instance.get_by_uuid(ctxt, inst.uuid, expected_attrs=['fault'])
    assert got.fault.message == 'boom 404'
    faults = objects.InstanceFaultList.get_by_instance_uuids(ctxt, [inst.uuid])
    assert len(faults) == 2


def test_list_filters_sort_marker(ctxt):
    made = [_instance(ctxt, display_name='vm-%d' % i, host='h%d' % (i % 2)) for i in range(5)]
    listed = objects.InstanceList.get_by_filters(ctxt, {}, sort_keys=['display_name'],
                                                 sort_dirs=['asc'])
    assert [i.display_name for i in listed] == ['vm-%d' % i for i in range(5)]
    page = objects.InstanceList.get_by_filters(ctxt, {}, sort_keys=['display_name'],
                                               sort_dirs=['asc'], limit=2,
                                               marker=listed[1].uuid)
    assert [i.display_name for i in page] == ['vm-2', 'vm-3']
    assert len(objects.InstanceList.get_by_filters(ctxt, {'host': 'h0'})) == 3
    assert len(objects.InstanceList.get_by_filters(ctxt, {'display_name': 'vm-1'})) == 1
    assert len(objects.InstanceList.get_by_filters(
        ctxt, {'uuid': [made[0].uuid, made[1].uuid]})) == 2
    with pytest.raises(exception.MarkerNotFound):
        objects.InstanceList.get_by_filters(ctxt, {}, marker=uuidutils.generate_uuid())
    made[0].destroy()
    assert len(objects.InstanceList.get_by_filters(ctxt, {'deleted': False})) == 4
    assert len(objects.InstanceList.get_by_filters(ctxt, {'deleted': True})) == 1
    by_host = objects.InstanceList.get_by_host(ctxt, 'h1', expected_attrs=['fault', 'tags'])
    assert len(by_host) == 2 and by_host[0].fault is None
    counts = objects.InstanceList.get_counts(ctxt, ctxt.project_id, ctxt.user_id)
    assert counts['project']['instances'] == 4
    assert counts['user']['ram'] == 4 * 512


def test_tags(ctxt):
    inst = _instance(ctxt)
    objects.Tag(ctxt, resource_id=inst.uuid, tag='one').create()
    assert objects.Tag.exists(ctxt, inst.uuid, 'one')
    tags = objects.TagList.create(ctxt, inst.uuid, ['x', 'y'])
    assert [t.tag for t in tags] == ['x', 'y']
    objects.Tag.destroy(ctxt, inst.uuid, 'x')
    assert [t.tag for t in objects.TagList.get_by_resource_id(ctxt, inst.uuid)] == ['y']
    with pytest.raises(exception.InstanceTagNotFound):
        objects.Tag.destroy(ctxt, inst.uuid, 'x')
    objects.TagList.destroy(ctxt, inst.uuid)
    assert len(objects.TagList.get_by_resource_id(ctxt, inst.uuid)) == 0


def test_name_without_id_falls_back_to_uuid(ctxt):
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid())
    assert inst.name == inst.uuid
