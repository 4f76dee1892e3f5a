"""HostState and HostManager: a node's record refreshes the state unless the scheduler's
own consumption is newer; forced, ignored and requested hosts; instances loaded only
when a filter needs them, one query per cell; host states read from the cells' real
SQLite databases."""

import uuid

from oslo_utils import timeutils
import pytest

from nova import context as nova_context
from nova import objects
from nova.scheduler import host_manager
from tests.unit.scheduler import fakes


class _Handler(object):
    """The filter handler's interface: keeps the hosts whose name is allowed."""

    def __init__(self, allowed):
        self.allowed = allowed
        self.asked = []

    def get_filtered_objects(self, filters, hosts, spec_obj):
        self.asked.append([h.host for h in hosts])
        return [h for h in hosts if h.host in self.allowed]


class _Manager(host_manager.HostManager):
    def __init__(self):
        super().__init__()
        self.loaded = []

    def load_instances(self, host_states):
        self.loaded.append([h.host for h in host_states])


def _spec(**values):
    spec = fakes.request_spec()
    for key, value in values.items():
        setattr(spec, key, value)
    return spec


HOSTS = ['Host1', 'host2', 'host3']


def _filtered(spec, allowed=('host2', 'host3')):
    manager, handler = _Manager(), _Handler(allowed)
    hosts = [fakes.host_state(name, node=name + '-node') for name in HOSTS]
    found = manager.get_filtered_hosts(hosts, spec, handler, filters=[])
    return [h.host for h in found], handler.asked, manager.loaded


def test_plain_requests_go_through_the_filters():
    assert _filtered(_spec()) == (['host2', 'host3'], [HOSTS], [])


def test_ignored_hosts_are_dropped_whatever_their_case():
    assert _filtered(_spec(ignore_hosts=['HOST2']))[0] == ['host3']


def test_a_forced_host_or_node_skips_the_filters():
    assert _filtered(_spec(force_hosts=['host1'])) == (['Host1'], [], [])
    assert _filtered(_spec(force_nodes=['HOST3-NODE'])) == (['host3'], [], [])
    assert _filtered(_spec(force_hosts=['elsewhere'])) == ([], [], [])


def test_a_requested_destination_narrows_but_still_filters():
    dest = objects.Destination(host='Host1')
    assert _filtered(_spec(requested_destination=dest)) == ([], [['Host1']], [])
    dest = objects.Destination(host='host3', node='host3-node')
    assert _filtered(_spec(requested_destination=dest))[0] == ['host3']


@pytest.mark.parametrize('group, hints, loads', [
    (None, {}, False),
    (fakes.group('affinity'), {}, False),
    (fakes.group('anti-affinity'), {}, True),
    (fakes.group('soft-anti-affinity'), {}, True),
    (None, {'different_host': ['x']}, True),
])
def test_instances_are_loaded_only_for_filters_that_look_at_them(group, hints, loads):
    spec = _spec(instance_group=group, scheduler_hints=hints)
    assert bool(_filtered(spec)[2]) == loads


def test_instances_load_lazily_once_and_are_forgotten_on_a_new_report():
    calls = []
    state = host_manager.HostState('h', 'h', fakes.CELL)
    state.set_instance_loader(lambda hs: calls.append(hs.host) or {'i': 1})
    assert calls == []
    assert state.instances == {'i': 1} and state.instances == {'i': 1}
    assert calls == ['h']
    state.update(_node())
    assert state.instances == {'i': 1} and calls == ['h', 'h']


def _node(**values):
    fields = dict(
        uuid='00000001-0000-0000-0000-000000000000', host='h', hypervisor_hostname='h',
        vcpus=8, memory_mb=4096, local_gb=100, vcpus_used=1, memory_mb_used=1024,
        local_gb_used=10, free_ram_mb=None, free_disk_gb=None, disk_available_least=None,
        hypervisor_type='fake', hypervisor_version=1, cpu_info='{}', numa_topology=None,
        supported_hv_specs=[], stats={}, host_ip='127.0.0.1', metrics=None,
        cpu_allocation_ratio=4.0, ram_allocation_ratio=1.0, disk_allocation_ratio=1.0,
        updated_at=timeutils.utcnow())
    fields.update(values)
    return objects.ComputeNode(**fields)


def test_free_space_is_computed_when_the_record_has_none():
    state = host_manager.HostState('h', 'h', fakes.CELL)
    state.update(_node())
    assert (state.free_ram_mb, state.free_disk_mb) == (3072, 90 * 1024)
    state.update(_node(disk_available_least=95, updated_at=None))
    assert state.free_disk_mb == 90 * 1024  # the least available only lowers it


def _compute(cctxt, host, node):
    service = objects.Service(context=cctxt, host=host, binary='nova-compute',
                              topic='compute')
    service.create()
    compute = objects.ComputeNode(
        context=cctxt, host=host, hypervisor_hostname=node, vcpus=4, memory_mb=8192,
        local_gb=100, vcpus_used=0, memory_mb_used=0, local_gb_used=0,
        hypervisor_type='fake', hypervisor_version=1000, cpu_info='{}', free_ram_mb=8192,
        free_disk_gb=100, current_workload=0, running_vms=0, disk_available_least=100,
        host_ip='192.168.1.3', supported_hv_specs=[], cpu_allocation_ratio=16.0,
        ram_allocation_ratio=1.5, disk_allocation_ratio=1.0, service_id=service.id,
        stats={}, mapped=1)
    compute.create()
    return compute


def test_host_states_come_from_the_enabled_cells_and_are_kept(fake_rpc, ctxt, two_cells):
    _cell0, cell1 = two_cells
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        first = _compute(cctxt, 'host1', 'node1')
        second = _compute(cctxt, 'host2', 'node2')
        instance = objects.Instance(cctxt, host='host1', project_id='p', user_id='u')
        instance.create()
    aggregate = objects.Aggregate(ctxt, name='rack1')
    aggregate.create()
    aggregate.add_host('host1')
    manager = host_manager.HostManager()
    states = manager.get_host_states_by_uuids(ctxt, [first.uuid])
    assert [(s.host, s.nodename, s.cell_uuid) for s in states] == [
        ('host1', 'node1', cell1.uuid)]
    assert [a.name for a in states[0].aggregates] == ['rack1']
    assert states[0].service.host == 'host1'
    again = manager.get_host_states_by_uuids(ctxt, None)
    assert again[0] is states[0] and {s.host for s in again} == {'host1', 'host2'}
    manager.load_instances(again)
    by_host = {s.host: set(s.instances) for s in again}
    assert by_host == {'host1': {instance.uuid}, 'host2': set()}
    nodes = manager.get_compute_nodes_by_host_or_node(ctxt, host='host2')
    assert [n.uuid for n in nodes] == [second.uuid]
    assert manager.get_compute_nodes_by_host_or_node(ctxt, host='nowhere') == []
    assert [n.host for n in manager.get_compute_nodes_by_host_or_node(
        ctxt, node='node1')] == ['host1']


def test_host_state_update_keeps_newer_scheduler_consumption():
    node = objects.ComputeNode(
        uuid='00000001-0000-0000-0000-000000000000', host='h', hypervisor_hostname='h',
        vcpus=8, memory_mb=4096, local_gb=100, vcpus_used=1, memory_mb_used=1024,
        local_gb_used=10, free_ram_mb=3072, free_disk_gb=90, disk_available_least=80,
        hypervisor_type='fake', hypervisor_version=1, cpu_info='{}', numa_topology=None,
        supported_hv_specs=['["x86_64", "fake", "hvm"]'], stats={'num_instances': '2',
                                                                 'io_workload': '1'},
        host_ip='127.0.0.1', metrics=None, cpu_allocation_ratio=4.0,
        ram_allocation_ratio=1.0, disk_allocation_ratio=1.0,
        updated_at=timeutils.utcnow())
    state = host_manager.HostState('h', 'h', fakes.CELL)
    state.update(node)
    assert (state.free_ram_mb, state.free_disk_mb, state.vcpus_total) == (3072, 80 * 1024, 8)
    assert state.num_instances == 2 and state.num_io_ops == 1
    assert state.supported_instances == [('x86_64', 'fake', 'hvm')]
    state.consume_from_request(fakes.request_spec(memory_mb=1000, root_gb=1))
    assert state.free_ram_mb == 2072
    state.update(node)   # the record is older than the consumption: kept
    assert state.free_ram_mb == 2072


def _reported_node(cctxt, host):
    objects.Service(cctxt, host=host, binary='nova-compute', topic='compute').create()
    node = objects.ComputeNode(
        cctxt, uuid=str(uuid.uuid4()), host=host, hypervisor_hostname=host, vcpus=8,
        memory_mb=4096, local_gb=100, vcpus_used=0, memory_mb_used=0, local_gb_used=0,
        free_ram_mb=4096, free_disk_gb=100, hypervisor_type='fake', hypervisor_version=1,
        cpu_info='{}', supported_hv_specs=[], stats={}, cpu_allocation_ratio=1.0,
        ram_allocation_ratio=1.0, disk_allocation_ratio=1.0)
    node.create()
    return node


def test_a_request_re_reads_only_the_nodes_that_changed(ctxt, fake_rpc, two_cells,
                                                        monkeypatch):
    with nova_context.target_cell(ctxt, two_cells[1]) as cctxt:
        nodes = [_reported_node(cctxt, 'hm-host-%d' % i) for i in range(3)]
    uuids = [n.uuid for n in nodes]
    read = []
    real = objects.ComputeNodeList.get_all_by_uuids

    def spy(context, compute_uuids):
        read.append(sorted(compute_uuids))
        return real(context, compute_uuids)

    monkeypatch.setattr(objects.ComputeNodeList, 'get_all_by_uuids', staticmethod(spy))
    manager = host_manager.HostManager()
    states = manager.get_host_states_by_uuids(ctxt, uuids)
    assert sorted(s.uuid for s in states) == sorted(uuids) and read == [sorted(uuids)]
    assert all(s.service.host == s.host and s.service_read_at for s in states)

    manager.get_host_states_by_uuids(ctxt, uuids)
    assert len(read) == 1  # nothing changed: nothing re-read

    nodes[0].vcpus_used = 3
    nodes[0].save()
    states = manager.get_host_states_by_uuids(ctxt, uuids)
    assert read[-1] == [nodes[0].uuid]
    assert {s.host: s.vcpus_used for s in states} == {
        'hm-host-0': 3, 'hm-host-1': 0, 'hm-host-2': 0}
