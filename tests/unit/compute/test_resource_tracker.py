"""The resource tracker's claims: what an instance takes on its host's books, and gives back.

The instance and the node are objects in memory, as nova-compute holds them:
a claim changes them and nothing else (the caller saves the instance with its
own state change; the usage flush saves the node a moment later). Only the
abort, which saves the instance, uses the per-test databases.
"""

import pytest

import nova.conf
from nova import exception
from nova.compute import resource_tracker
from nova import objects

CONF = nova.conf.CONF
HOST = 'host1'
NODE = 'node1'


class _Tracker(resource_tracker.ResourceTracker):
    """The tracker with its delayed flush recorded instead of run.

    The real flush is a timer thread that saves the node half a second later;
    here the test looks at the node itself, so no thread outlives it.
    """

    def __init__(self):
        super().__init__(HOST, driver=None, reportclient=None)
        self.flushes = 0

    def _schedule_flush(self):
        self.flushes += 1


def _node():
    objects.register_all()
    node = objects.ComputeNode(id=7, host=HOST, hypervisor_hostname=NODE, vcpus=8,
                               memory_mb=16384, local_gb=200, vcpus_used=0,
                               memory_mb_used=CONF.reserved_host_memory_mb, local_gb_used=0,
                               free_ram_mb=16384 - CONF.reserved_host_memory_mb,
                               free_disk_gb=200, running_vms=0)
    node.obj_reset_changes()
    return node


def _instance(uuid, vcpus=2, memory_mb=2048, root_gb=10, ephemeral_gb=0, swap=0):
    objects.register_all()
    flavor = objects.Flavor(vcpus=vcpus, memory_mb=memory_mb, root_gb=root_gb,
                            ephemeral_gb=ephemeral_gb, swap=swap)
    return objects.Instance(uuid=uuid, flavor=flavor, host=None, node=None)


@pytest.fixture
def tracker():
    rt = _Tracker()
    rt.compute_nodes[NODE] = _node()
    return rt


def test_claim_puts_the_instance_on_the_host(tracker):
    instance = _instance('a1')
    tracker.instance_claim(None, instance, NODE)
    assert (instance.host, instance.node, instance.launched_on) == (HOST, NODE, HOST)
    assert instance.compute_id == 7
    assert tracker.tracked_instances == {'a1': (2, 2048, 10)}


def test_claim_counts_usage_with_the_host_reservations(tracker):
    CONF.set_override('reserved_host_disk_mb', 1025)
    try:
        tracker.instance_claim(None, _instance('a1'), NODE)
        node = tracker.compute_nodes[NODE]
        assert node.vcpus_used == 2
        assert node.memory_mb_used == 2048 + CONF.reserved_host_memory_mb
        # 1025 MB reserved is 2 GB once rounded up.
        assert node.local_gb_used == 10 + 2
        assert node.free_ram_mb == 16384 - 2048 - CONF.reserved_host_memory_mb
        assert node.free_disk_gb == 200 - 12
        assert node.running_vms == 1
    finally:
        CONF.clear_override('reserved_host_disk_mb')


def test_ephemeral_disk_and_swap_count_as_disk(tracker):
    # Swap is in MB: 1 MB of swap still takes a whole GB.
    instance = _instance('a1', root_gb=5, ephemeral_gb=3, swap=1)
    tracker.instance_claim(None, instance, NODE)
    assert tracker.tracked_instances['a1'] == (2, 2048, 5 + 3 + 1)


def test_claims_add_up_and_a_burst_asks_for_flushes_not_saves(tracker):
    for uuid in ('a1', 'a2', 'a3'):
        tracker.instance_claim(None, _instance(uuid, vcpus=1, memory_mb=512), NODE)
    node = tracker.compute_nodes[NODE]
    assert (node.vcpus_used, node.running_vms) == (3, 3)
    assert node.memory_mb_used == 3 * 512 + CONF.reserved_host_memory_mb
    # Each claim changed the node, so each asked for the (single, delayed) save.
    assert tracker.flushes == 3
    assert 'vcpus_used' in node.obj_what_changed()


def test_forgetting_an_instance_gives_its_resources_back(tracker):
    first, second = _instance('a1'), _instance('a2', vcpus=4, memory_mb=4096)
    tracker.instance_claim(None, first, NODE)
    tracker.instance_claim(None, second, NODE)
    tracker.forget_instance(None, first)
    node = tracker.compute_nodes[NODE]
    assert tracker.tracked_instances == {'a2': (4, 4096, 10)}
    assert (node.vcpus_used, node.running_vms) == (4, 1)
    # Forgetting it twice changes nothing more.
    flushes = tracker.flushes
    tracker.forget_instance(None, first)
    assert tracker.flushes == flushes
    tracker.remove_instance(None, second)
    assert (node.vcpus_used, node.running_vms, tracker.tracked_instances) == (0, 0, {})


def test_claim_on_a_node_not_yet_recorded_is_tracked_without_usage(tracker):
    instance = _instance('a1')
    tracker.instance_claim(None, instance, 'node-unknown')
    assert instance.node == 'node-unknown'
    assert 'compute_id' not in instance.obj_what_changed()
    assert tracker.tracked_instances == {'a1': (2, 2048, 10)}
    assert tracker.flushes == 0


def _stored_instance(ctxt):
    instance = objects.Instance(ctxt, uuid='6b5a1d2e-3f4c-4b7a-9c1d-2e3f4a5b6c7d',
                                project_id='p', user_id='u', vm_state='building',
                                memory_mb=2048, vcpus=2)
    instance.create()
    instance.flavor = objects.Flavor(vcpus=2, memory_mb=2048, root_gb=10, ephemeral_gb=0,
                                     swap=0)
    return instance


def test_abort_releases_the_claim_and_clears_the_host(tracker, ctxt):
    instance = _stored_instance(ctxt)
    tracker.instance_claim(ctxt, instance, NODE)
    instance.save()
    tracker.abort_instance_claim(ctxt, instance)
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid)
    assert (stored.host, stored.node) == (None, None)
    assert tracker.tracked_instances == {}
    assert tracker.compute_nodes[NODE].vcpus_used == 0


def test_abort_of_a_deleted_instance_still_releases_the_claim(tracker, ctxt):
    instance = _stored_instance(ctxt)
    tracker.instance_claim(ctxt, instance, NODE)
    instance.save()
    objects.Instance.get_by_uuid(ctxt, instance.uuid).destroy()
    tracker.abort_instance_claim(ctxt, instance)
    assert tracker.tracked_instances == {}
    assert (instance.host, instance.node) == (None, None)


# --- a host with many nodes: its records and instances read once per period ---

def _stored_node(ctxt, nodename, uuid, host=HOST):
    node = objects.ComputeNode(ctxt, uuid=uuid, host=host, hypervisor_hostname=nodename,
                               vcpus=8, memory_mb=16384, local_gb=200, vcpus_used=0,
                               memory_mb_used=0, local_gb_used=0, hypervisor_type='fake',
                               hypervisor_version=1, cpu_info='{}',
                               cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0,
                               disk_allocation_ratio=1.0)
    node.create()
    return node


def _counting_lookups(monkeypatch):
    calls = []
    for name in ('get_by_uuid', 'get_by_host_and_nodename'):
        real = getattr(objects.ComputeNode, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)
        monkeypatch.setattr(objects.ComputeNode, name, counted)
    return calls


def test_read_host_hands_each_node_its_instances_and_finds_records_without_lookups(
        ctxt, monkeypatch):
    known = _stored_node(ctxt, 'n1', 'aaaaaaaa-0000-4000-8000-000000000001')
    for uuid, node in (('b1b1b1b1-0000-4000-8000-000000000001', 'n1'),
                       ('b1b1b1b1-0000-4000-8000-000000000002', 'n2')):
        instance = objects.Instance(ctxt, uuid=uuid, project_id='p', user_id='u',
                                    host=HOST, node=node, vm_state='active',
                                    memory_mb=512, vcpus=1)
        instance.flavor = objects.Flavor(vcpus=1, memory_mb=512, root_gb=1,
                                         ephemeral_gb=0, swap=0)
        instance.create()
    tracker = _Tracker()
    by_node = tracker.read_host(ctxt)
    assert {n: [i.uuid for i in insts] for n, insts in by_node.items()} == {
        'n1': ['b1b1b1b1-0000-4000-8000-000000000001'],
        'n2': ['b1b1b1b1-0000-4000-8000-000000000002']}
    assert by_node['n1'][0].flavor.memory_mb == 512
    calls = _counting_lookups(monkeypatch)
    assert tracker._find_node(ctxt, {'uuid': known.uuid}, 'n1').id == known.id
    assert calls == []
    # A node with no record yet: only the uuid is checked (another host may own it).
    assert tracker._find_node(ctxt, {'uuid': 'aaaaaaaa-0000-4000-8000-000000000009'},
                              'n9') is None
    assert calls == ['get_by_uuid']


def test_a_node_whose_uuid_another_host_owns_is_refused_after_read_host(ctxt):
    _stored_node(ctxt, 'n1', 'aaaaaaaa-0000-4000-8000-000000000001', host='elsewhere')
    tracker = _Tracker()
    assert tracker.read_host(ctxt) == {}
    with pytest.raises(exception.InvalidNodeConfiguration):
        tracker._find_node(ctxt, {'uuid': 'aaaaaaaa-0000-4000-8000-000000000001'}, 'n1')


def test_without_read_host_a_node_looks_itself_up(ctxt, monkeypatch):
    known = _stored_node(ctxt, 'n1', 'aaaaaaaa-0000-4000-8000-000000000001')
    calls = _counting_lookups(monkeypatch)
    tracker = _Tracker()
    assert tracker._find_node(ctxt, {}, 'n1').id == known.id
    assert calls == ['get_by_host_and_nodename']


class _TraitsDriver(object):
    """A driver that can share disks between guests and cannot hot-plug NICs; its
    own traits include one it cannot have any more (an upgrade changed it)."""
    capabilities = {'supports_multiattach': True, 'supports_attach_interface': False}

    def update_provider_tree(self, tree, nodename):
        tree.update_traits(nodename, {'HW_CPU_X86_SSE2', 'COMPUTE_NET_ATTACH_INTERFACE'})


def test_the_node_provider_carries_the_drivers_capability_traits():
    """As upstream: COMPUTE_VOLUME_MULTI_ATTACH (which the API checks before a
    multiattach attach), COMPUTE_NET_ATTACH_INTERFACE, COMPUTE_DEVICE_TAGGING follow
    the driver's capabilities, added or taken away."""
    rt = resource_tracker.ResourceTracker(HOST, driver=_TraitsDriver(), reportclient=None)
    node = _node()
    node.uuid = '5e1d8f3c-8f2a-4a8e-9f57-2d0a8c6b7e10'
    tree = rt._update_placement(None, node, NODE)
    assert tree.data(node.uuid).traits == {
        'COMPUTE_NODE', 'HW_CPU_X86_SSE2', 'COMPUTE_VOLUME_MULTI_ATTACH'}


# --- a host with many nodes: each node counts only its own instances ---

class _NodesDriver(object):
    """Two nodes of one host, as the fake driver's fleet or Ironic report them."""
    capabilities = {}

    def get_available_resource(self, nodename):
        return {'uuid': {'na': 'cccccccc-0000-4000-8000-00000000000a',
                         'nb': 'cccccccc-0000-4000-8000-00000000000b'}[nodename],
                'hypervisor_hostname': nodename, 'vcpus': 8, 'memory_mb': 16384,
                'local_gb': 200, 'vcpus_used': 0, 'memory_mb_used': 0, 'local_gb_used': 0,
                'hypervisor_type': 'fake', 'hypervisor_version': 1, 'cpu_info': '{}'}

    def update_provider_tree(self, tree, nodename):
        pass


class _NoPlacement(object):
    def update_from_provider_tree(self, *args, **kwargs):
        pass


def _node_instance(ctxt, uuid, node, memory_mb):
    instance = objects.Instance(ctxt, uuid=uuid, project_id='p', user_id='u', host=HOST,
                                node=node, vm_state='active', memory_mb=memory_mb, vcpus=1)
    instance.flavor = objects.Flavor(vcpus=1, memory_mb=memory_mb, root_gb=1,
                                     ephemeral_gb=0, swap=0)
    instance.create()
    return instance


def test_each_node_of_a_host_counts_only_its_own_instances(ctxt, monkeypatch):
    monkeypatch.setattr(resource_tracker.allocation_audit,
                        'free_allocations_of_deleted_instances', lambda *a: set())
    _node_instance(ctxt, 'dddddddd-0000-4000-8000-00000000000a', 'na', 1024)
    for i in range(2):
        _node_instance(ctxt, 'dddddddd-0000-4000-8000-0000000000b%d' % i, 'nb', 4096)
    rt = _Tracker()
    rt.driver, rt.reportclient = _NodesDriver(), _NoPlacement()
    reserved = CONF.reserved_host_memory_mb

    def usage(nodename):
        node = rt.compute_nodes[nodename]
        return (node.vcpus_used, node.memory_mb_used, node.free_ram_mb, node.running_vms)

    # Both ways of reading the instances: per node, then the host's at once.
    for by_node in (None, rt.read_host(ctxt)):
        for nodename in ('na', 'nb'):
            rt.update_available_resource(
                ctxt, nodename, service_id=None,
                instances=None if by_node is None else by_node.get(nodename, []))
        assert usage('na') == (1, 1024 + reserved, 16384 - 1024 - reserved, 1)
        assert usage('nb') == (2, 8192 + reserved, 16384 - 8192 - reserved, 2)
        # The nodes' saved records say the same.
        stored = objects.ComputeNode.get_by_host_and_nodename(ctxt, HOST, 'na')
        assert (stored.memory_mb_used, stored.running_vms) == (1024 + reserved, 1)

    # A claim (then its abort) on one node leaves the other node's usage alone.
    claimed = _stored_instance(ctxt)
    rt.instance_claim(ctxt, claimed, 'na')
    assert usage('na') == (3, 3072 + reserved, 16384 - 3072 - reserved, 2)
    assert usage('nb') == (2, 8192 + reserved, 16384 - 8192 - reserved, 2)
    rt.abort_instance_claim(ctxt, claimed)
    assert usage('na') == (1, 1024 + reserved, 16384 - 1024 - reserved, 1)
    assert usage('nb') == (2, 8192 + reserved, 16384 - 8192 - reserved, 2)
    # A move claim onto one node, dropped again, likewise.
    rt.move_claim(ctxt, 'eeeeeeee-0000-4000-8000-000000000001', claimed.flavor, 'nb')
    assert usage('nb') == (4, 10240 + reserved, 16384 - 10240 - reserved, 3)
    assert usage('na') == (1, 1024 + reserved, 16384 - 1024 - reserved, 1)
    rt.drop_move_claim(ctxt, 'eeeeeeee-0000-4000-8000-000000000001')
    assert usage('nb') == (2, 8192 + reserved, 16384 - 8192 - reserved, 2)
