"""HostMapping and host discovery against the migrated SQLite API and cell
databases: one mapping per host, cell0 skipped, nodes marked mapped once handled,
discovery by service records."""

import pytest

from nova import context as nova_context
from nova import exception
from nova import objects
from nova.objects import host_mapping


@pytest.fixture(autouse=True)
def _transport_url(fake_rpc):
    """A cell mapping read back fills its URLs from [DEFAULT] transport_url."""



def _node(cctxt, host, node, service):
    objects.ComputeNode(
        context=cctxt, host=host, hypervisor_hostname=node, vcpus=1, memory_mb=512,
        local_gb=1, vcpus_used=0, memory_mb_used=0, local_gb_used=0, hypervisor_type='fake',
        hypervisor_version=1, cpu_info='{}', service_id=service.id, stats={},
        supported_hv_specs=[], cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0,
        disk_allocation_ratio=1.0, mapped=0).create()


def _service(cctxt, host):
    service = objects.Service(context=cctxt, host=host, binary='nova-compute',
                              topic='compute')
    service.create()
    return service


def test_one_mapping_per_host_and_moving_it(ctxt, two_cells):
    cell0, cell1 = two_cells
    mapping = objects.HostMapping(ctxt, host='h1', cell_mapping=cell1)
    mapping.create()
    with pytest.raises(exception.HostMappingExists):
        objects.HostMapping(ctxt, host='h1', cell_mapping=cell0).create()
    mapping.cell_mapping = cell0
    mapping.save()
    assert objects.HostMapping.get_by_host(ctxt, 'h1').cell_mapping.uuid == cell0.uuid
    assert [m.host for m in objects.HostMappingList.get_by_cell_id(ctxt, cell0.id)] == ['h1']
    mapping.destroy()
    with pytest.raises(exception.HostMappingNotFound):
        objects.HostMapping.get_by_host(ctxt, 'h1')
    assert len(objects.HostMappingList.get_all(ctxt)) == 0


def test_discovery_maps_new_hosts_once_and_skips_cell0(ctxt, two_cells):
    _cell0, cell1 = two_cells
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        service = _service(cctxt, 'h1')
        _node(cctxt, 'h1', 'n1', service)
        _node(cctxt, 'h1', 'n2', service)  # a second node of a host: one mapping
    said = []
    added = host_mapping.discover_hosts(ctxt, status_fn=said.append)
    assert [(m.host, m.cell_mapping.uuid) for m in added] == [('h1', cell1.uuid)]
    assert 'Skipping cell0 since it does not contain hosts.' in said
    assert 'Found 2 unmapped computes in cell: %s' % cell1.uuid in said
    # The nodes are marked: a second discovery has nothing to look at.
    said.clear()
    assert host_mapping.discover_hosts(ctxt, cell_uuid=cell1.uuid, status_fn=said.append) == []
    assert 'Found 0 unmapped computes in cell: %s' % cell1.uuid in said


def test_discovery_by_service_finds_hosts_without_nodes(ctxt, two_cells):
    _cell0, cell1 = two_cells
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        _service(cctxt, 'ironic1')
    added = host_mapping.discover_hosts(ctxt, by_service=True)
    assert [m.host for m in added] == ['ironic1']
    assert host_mapping.discover_hosts(ctxt, by_service=True) == []
