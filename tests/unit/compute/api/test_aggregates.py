"""The compute API's host aggregates over real API and cell databases: a host in one
zone only, no zone change under a host's servers, the reserved internal zone,
membership mirrored to each of the host's node providers in Placement (a recording
stand-in: Placement does not run in the unit tier), failures there only logged."""

import pytest

from nova.compute.api import aggregates
from nova import context as nova_context
from nova import exception
from nova import objects


class _Placement(object):
    def __init__(self):
        self.calls = []
        self.fail = False

    def _record(self, kind, context, aggregate_uuid, rp_uuid):
        if self.fail:
            raise exception.PlacementAPIConnectFailure()
        self.calls.append((kind, aggregate_uuid, rp_uuid))

    def aggregate_add_host(self, context, aggregate_uuid, rp_uuid):
        self._record('add', context, aggregate_uuid, rp_uuid)

    def aggregate_remove_host(self, context, aggregate_uuid, rp_uuid):
        self._record('remove', context, aggregate_uuid, rp_uuid)


@pytest.fixture
def api(fake_rpc, monkeypatch):
    monkeypatch.setattr(aggregates.report, 'SchedulerReportClient', _Placement)
    return aggregates.AggregateAPI()


def _compute(ctxt, cell, host, with_server=False, mapped=True):
    with nova_context.target_cell(ctxt, cell) as cctxt:
        service = objects.Service(cctxt, host=host, binary='nova-compute', topic='compute')
        service.create()
        node = objects.ComputeNode(
            cctxt, host=host, hypervisor_hostname=host + '-node', vcpus=1, memory_mb=1,
            local_gb=1, vcpus_used=0, memory_mb_used=0, local_gb_used=0,
            hypervisor_type='fake', hypervisor_version=1, cpu_info='{}', stats={},
            supported_hv_specs=[], cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0,
            disk_allocation_ratio=1.0, service_id=service.id)
        node.create()
        if with_server:
            objects.Instance(cctxt, host=host, project_id='p', user_id='u').create()
    if mapped:
        objects.HostMapping(ctxt, host=host, cell_mapping=cell).create()
    return node


@pytest.fixture
def hosts(ctxt, two_cells):
    _cell0, cell1 = two_cells
    return {'empty': _compute(ctxt, cell1, 'empty'),
            'busy': _compute(ctxt, cell1, 'busy', with_server=True),
            'unmapped': _compute(ctxt, cell1, 'unmapped', mapped=False)}


def test_a_host_is_found_in_its_cell_mapped_or_not(fake_rpc, ctxt, two_cells, hosts):
    assert aggregates.find_compute_cell(ctxt, 'empty').uuid == two_cells[1].uuid
    assert aggregates.find_compute_cell(ctxt, 'unmapped').uuid == two_cells[1].uuid
    with pytest.raises(exception.ComputeHostNotFound):
        aggregates.find_compute_cell(ctxt, 'nowhere')


def test_adding_and_removing_a_host_mirrors_each_node_provider(api, ctxt, hosts):
    agg = api.create_aggregate(ctxt, 'rack1')
    api.add_host_to_aggregate(ctxt, agg.id, 'empty')
    with pytest.raises(exception.AggregateHostExists):
        api.add_host_to_aggregate(ctxt, agg.id, 'empty')
    api.remove_host_from_aggregate(ctxt, str(agg.id), 'empty')
    with pytest.raises(exception.AggregateHostNotFound):
        api.remove_host_from_aggregate(ctxt, agg.uuid, 'empty')
    node = hosts['empty'].uuid
    assert api.reportclient.calls == [('add', agg.uuid, node), ('remove', agg.uuid, node)]


def test_placement_failing_does_not_undo_the_membership(api, ctxt, hosts):
    agg = api.create_aggregate(ctxt, 'rack1')
    api.reportclient.fail = True
    api.add_host_to_aggregate(ctxt, agg.uuid, 'empty')
    assert api.get_aggregate(ctxt, agg.uuid).hosts == ['empty']


def test_the_internal_zone_is_reserved(api, ctxt):
    with pytest.raises(exception.InvalidAggregateActionUpdate):
        api.create_aggregate(ctxt, 'x', availability_zone='internal')
    agg = api.create_aggregate(ctxt, 'x')
    with pytest.raises(exception.InvalidAggregateActionUpdateMeta):
        api.update_aggregate_metadata(ctxt, agg.id, {'availability_zone': 'internal'})


def test_a_host_is_in_one_zone_only(api, ctxt, hosts):
    london = api.create_aggregate(ctxt, 'london', availability_zone='london')
    paris = api.create_aggregate(ctxt, 'paris', availability_zone='paris')
    plain = api.create_aggregate(ctxt, 'plain')
    api.add_host_to_aggregate(ctxt, london.id, 'empty')
    with pytest.raises(exception.InvalidAggregateActionAdd):
        api.add_host_to_aggregate(ctxt, paris.id, 'empty')
    api.add_host_to_aggregate(ctxt, plain.id, 'empty')  # no zone: fine
    with pytest.raises(exception.InvalidAggregateActionUpdate):
        api.update_aggregate(ctxt, plain.id, {'availability_zone': 'paris'})
    api.update_aggregate(ctxt, plain.id, {'availability_zone': 'london'})


def test_servers_keep_their_zone(api, ctxt, hosts):
    london = api.create_aggregate(ctxt, 'london', availability_zone='london')
    # The busy host's servers are in the default zone: joining london would move them.
    with pytest.raises(exception.InvalidAggregateActionAdd):
        api.add_host_to_aggregate(ctxt, london.id, 'busy')
    plain = api.create_aggregate(ctxt, 'plain')
    api.add_host_to_aggregate(ctxt, plain.id, 'busy')
    with pytest.raises(exception.InvalidAggregateActionUpdateMeta):
        api.update_aggregate_metadata(ctxt, plain.id, {'availability_zone': 'london'})


def test_metadata_updates_and_deleting_a_missing_key(api, ctxt):
    agg = api.create_aggregate(ctxt, 'rack1')
    api.update_aggregate_metadata(ctxt, agg.id, {'ssd': 'true', 'absent': None})
    assert api.get_aggregate(ctxt, agg.id).metadata == {'ssd': 'true'}
    api.update_aggregate_metadata(ctxt, agg.id, {'ssd': None})
    assert api.get_aggregate(ctxt, agg.id).metadata == {}
    renamed = api.update_aggregate(ctxt, agg.id, {'name': 'rack2', 'availability_zone': None})
    assert renamed.name == 'rack2' and renamed.availability_zone is None


def test_only_an_empty_aggregate_is_deleted(api, ctxt, hosts):
    agg = api.create_aggregate(ctxt, 'rack1')
    api.add_host_to_aggregate(ctxt, agg.id, 'empty')
    with pytest.raises(exception.InvalidAggregateActionDelete):
        api.delete_aggregate(ctxt, agg.id)
    api.remove_host_from_aggregate(ctxt, agg.id, 'empty')
    api.delete_aggregate(ctxt, agg.id)
    with pytest.raises(exception.AggregateNotFound):
        api.get_aggregate(ctxt, agg.id)
    assert len(api.get_aggregate_list(ctxt)) == 0
