"""ComputeNode against a migrated SQLite cell database: stats and supported
instances stored as JSON, a driver's report copied on (uuid kept once set),
lookups and their not-found errors, only changes saved."""

import pytest

from nova import exception
from nova import objects


def _node(ctxt, host='h1', node='n1', **values):
    fields = dict(context=ctxt, host=host, hypervisor_hostname=node, vcpus=4, memory_mb=2048,
                  local_gb=40, vcpus_used=0, memory_mb_used=0, local_gb_used=0,
                  hypervisor_type='fake', hypervisor_version=1, cpu_info='{}', stats={},
                  supported_hv_specs=[], cpu_allocation_ratio=16.0, ram_allocation_ratio=1.5,
                  disk_allocation_ratio=1.0)
    fields.update(values)
    compute = objects.ComputeNode(**fields)
    compute.create()
    return compute


def test_create_round_trips_json_columns_and_fills_uuid_and_mapped(ctxt):
    compute = _node(ctxt, stats={'num_instances': '2'}, host_ip='192.0.2.7',
                    supported_hv_specs=['["x86_64", "kvm", "hvm"]'])
    got = objects.ComputeNode.get_by_id(ctxt, compute.id)
    assert got.stats == {'num_instances': '2'}
    assert got.supported_hv_specs == ['["x86_64", "kvm", "hvm"]']
    assert str(got.host_ip) == '192.0.2.7'
    assert got.uuid == compute.uuid and got.mapped == 0 and got.deleted is False
    with pytest.raises(exception.ObjectActionError):
        compute.create()


def test_the_drivers_report_is_copied_on_but_not_its_uuid(ctxt):
    compute = _node(ctxt)
    first_uuid = compute.uuid
    compute.update_from_virt_driver({
        'vcpus': 8, 'memory_mb_used': 512, 'uuid': 'ignored-once-set', 'unknown': 1,
        'supported_instances': [['x86_64', 'qemu', 'hvm']]})
    assert compute.vcpus == 8 and compute.uuid == first_uuid
    assert compute.supported_hv_specs == ['["x86_64", "qemu", "hvm"]']
    compute.save()
    got = objects.ComputeNode.get_by_uuid(ctxt, first_uuid)
    assert (got.vcpus, got.memory_mb_used) == (8, 512)
    fresh = objects.ComputeNode(ctxt)
    fresh.update_from_virt_driver({'uuid': 'd0000000-0000-0000-0000-00000000000d'})
    assert fresh.uuid == 'd0000000-0000-0000-0000-00000000000d'


def test_lookups_and_their_errors(ctxt):
    compute = _node(ctxt)
    _node(ctxt, node='n2')
    _node(ctxt, host='h2', node='other')
    assert objects.ComputeNode.get_by_host_and_nodename(ctxt, 'h1', 'n2').host == 'h1'
    assert objects.ComputeNode.get_by_nodename(ctxt, 'other').host == 'h2'
    assert len(objects.ComputeNodeList.get_all_by_host(ctxt, 'h1')) == 2
    assert [c.hypervisor_hostname for c in
            objects.ComputeNodeList.get_by_hypervisor(ctxt, 'n')] == ['n1', 'n2']
    assert [c.id for c in objects.ComputeNodeList.get_all_by_uuids(ctxt, [compute.uuid])] == [
        compute.id]
    with pytest.raises(exception.ComputeHostNotFound):
        objects.ComputeNode.get_by_host_and_nodename(ctxt, 'h2', 'n1')
    with pytest.raises(exception.ComputeHostNotFound):
        objects.ComputeNodeList.get_all_by_host(ctxt, 'nowhere')
    with pytest.raises(exception.ComputeNodeNotFoundByUUID):
        objects.ComputeNode.get_by_uuid(ctxt, '00000000-0000-0000-0000-00000000000f')


def test_unmapped_nodes_and_delete(ctxt):
    mapped = _node(ctxt, mapped=1)
    unmapped = _node(ctxt, node='n2')
    assert [c.id for c in objects.ComputeNodeList.get_all_by_not_mapped(ctxt, 1)] == [
        unmapped.id]
    mapped.destroy()
    with pytest.raises(exception.ComputeNodeNotFound):
        objects.ComputeNode.get_by_id(ctxt, mapped.id)
    assert [c.id for c in objects.ComputeNodeList.get_all(ctxt)] == [unmapped.id]


def test_save_without_changes_writes_nothing(ctxt):
    compute = _node(ctxt)
    updated_at = objects.ComputeNode.get_by_id(ctxt, compute.id).updated_at
    compute.save()
    assert objects.ComputeNode.get_by_id(ctxt, compute.id).updated_at == updated_at


def test_node_versions_tell_a_changed_node(ctxt):
    import uuid
    node = objects.ComputeNode(
        ctxt, uuid=str(uuid.uuid4()), host='h', hypervisor_hostname='h', vcpus=1,
        memory_mb=512, local_gb=1, vcpus_used=0, memory_mb_used=0, local_gb_used=0,
        hypervisor_type='fake', hypervisor_version=1, cpu_info='{}',
        cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0, disk_allocation_ratio=1.0)
    node.create()
    missing = str(uuid.uuid4())
    before = objects.ComputeNodeList.get_versions_by_uuids(ctxt, [node.uuid, missing])
    assert list(before) == [node.uuid]
    node.vcpus_used = 1
    node.save()
    after = objects.ComputeNodeList.get_versions_by_uuids(ctxt, [node.uuid])
    assert after[node.uuid] is not None and after[node.uuid] != before[node.uuid]
