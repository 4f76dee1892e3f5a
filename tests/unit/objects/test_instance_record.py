"""InstanceRecord reads what Instance reads, from the same rows, without objects."""

import pytest
from oslo_utils import timeutils

from nova import exception
from nova import objects
from nova.objects import instance_record
from tests.unit.objects.test_instance import _flavor
from tests.unit.objects.test_instance import _instance

_ATTRS = ['flavor', 'info_cache', 'metadata', 'security_groups', 'fault', 'tags',
          'trusted_certs', 'system_metadata']


def _full(ctxt):
    inst = _instance(ctxt, flavor=_flavor(ctxt), access_ip_v4='192.0.2.5', locked=True,
                     tags=objects.TagList.from_names(ctxt, 'x', ['b', 'a']),
                     trusted_certs=objects.TrustedCerts(ids=['c1', 'c2']),
                     info_cache=objects.InstanceInfoCache(network_info=[
                         {'id': 'p1', 'address': 'fa:16:3e:00:00:01',
                          'network': {'label': 'private', 'subnets': []}}]))
    objects.InstanceFault(ctxt, instance_uuid=inst.uuid, code=500, message='boom',
                          details='trace', host='host1').create()
    return inst


def test_a_record_reads_as_the_instance_does(ctxt):
    inst = _full(ctxt)
    record = instance_record.get_by_uuid(ctxt, inst.uuid, expected_attrs=_ATTRS)
    full = objects.Instance.get_by_uuid(ctxt, inst.uuid, expected_attrs=_ATTRS)
    for field in ('uuid', 'id', 'display_name', 'vm_state', 'task_state', 'host', 'node',
                  'project_id', 'locked', 'created_at', 'access_ip_v4', 'name',
                  'auto_disk_config'):
        expected = getattr(full, field)
        if field == 'created_at':
            expected = timeutils.normalize_time(expected)  # rows hold naive UTC
        if field == 'access_ip_v4':
            expected = str(expected)  # as the views show it
        assert getattr(record, field) == expected, field
    assert record.metadata == full.metadata
    assert record.system_metadata == full.system_metadata
    assert [t.tag for t in record.tags] == [t.tag for t in full.tags] == ['a', 'b']
    assert record.flavor.name == full.flavor.name
    assert record.flavor.extra_specs == full.flavor.extra_specs == {'hw:a': 'b'}
    assert record.flavor.obj_attr_is_set('extra_specs')
    assert record.info_cache.network_info[0]['network']['label'] == 'private'
    assert (record.fault.code, record.fault.message, record.fault.details) == (
        500, 'boom', 'trace')
    assert record.trusted_certs == ['c1', 'c2']
    assert [g.name for g in record.security_groups] == \
        [g.name for g in full.security_groups]


def test_only_the_asked_pieces_are_read(ctxt):
    inst = _full(ctxt)
    record = instance_record.get_by_uuid(ctxt, inst.uuid, expected_attrs=['metadata'])
    assert record.obj_attr_is_set('metadata') and record.obj_attr_is_set('vm_state')
    assert not record.obj_attr_is_set('flavor')
    with pytest.raises(AttributeError):
        record.flavor  # never lazy-loaded
    assert record.get('flavor', 'none') == 'none'


def test_a_list_of_records_keeps_the_order_and_filters(ctxt):
    made = [_instance(ctxt, display_name='vm-%d' % i) for i in range(4)]
    listed = instance_record.get_by_filters(
        ctxt, {'deleted': False}, sort_keys=['display_name'], sort_dirs=['desc'],
        expected_attrs=['fault'])
    assert [r.uuid for r in listed] == [i.uuid for i in reversed(made)]
    assert all(r.fault is None for r in listed)
    page = instance_record.get_by_filters(ctxt, {'deleted': False}, limit=2,
                                          marker=made[1].uuid, sort_keys=['display_name'],
                                          sort_dirs=['asc'])
    assert [r.uuid for r in page] == [made[2].uuid, made[3].uuid]


def test_a_missing_instance_is_not_found(ctxt):
    with pytest.raises(exception.InstanceNotFound):
        instance_record.get_by_uuid(ctxt, '00000000-0000-4000-8000-000000000000')
