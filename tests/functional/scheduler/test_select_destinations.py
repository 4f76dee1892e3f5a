"""select_destinations against the real Placement service and a real SQLite cell DB.

Three compute nodes (service + ComputeNode records in the cell, providers with
inventories in Placement) of different sizes; the scheduler runs in-process,
and once over the real RabbitMQ through SchedulerAPI.
"""

import uuid

import pytest
import requests

from tests.fixtures import cloud

# name: (vcpus, memory_mb, disk_gb)
HOSTS = {'sched-host1': (8, 8192, 100), 'sched-host2': (4, 4096, 50),
         'sched-host3': (2, 2048, 20)}


def _placement(env, method, path, **kwargs):
    resp = requests.request(method, env['placement_url'] + path,
                            headers={'X-Auth-Token': 'admin',
                                     'OpenStack-API-Version': 'placement 1.39'},
                            timeout=10, **kwargs)
    resp.raise_for_status()
    return resp.json() if resp.content else None


def _add_compute(ctxt, client, host, vcpus, memory_mb, disk_gb):
    from nova import objects
    objects.Service(ctxt, host=host, binary='nova-compute', topic='compute',
                    report_count=0, disabled=False).create()
    node = objects.ComputeNode(
        ctxt, uuid=str(uuid.uuid4()), host=host, hypervisor_hostname=host, vcpus=vcpus,
        memory_mb=memory_mb, local_gb=disk_gb, vcpus_used=0, memory_mb_used=0,
        local_gb_used=0, free_ram_mb=memory_mb, free_disk_gb=disk_gb,
        hypervisor_type='fake', hypervisor_version=1000, cpu_info='{}',
        supported_hv_specs=['["x86_64", "fake", "hvm"]'], stats={},
        cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0, disk_allocation_ratio=1.0,
        running_vms=0, current_workload=0, disk_available_least=disk_gb)
    node.create()
    provider = client.ensure_resource_provider(ctxt, node.uuid, host)
    inventory = {rc: {'total': total, 'allocation_ratio': 1.0, 'reserved': 0,
                      'min_unit': 1, 'max_unit': total, 'step_size': 1}
                 for rc, total in (('VCPU', vcpus), ('MEMORY_MB', memory_mb),
                                   ('DISK_GB', disk_gb))}
    generation = client.set_inventory(ctxt, node.uuid, inventory, provider['generation'])
    client.set_traits(ctxt, node.uuid, ['COMPUTE_NODE'], generation)
    return node


@pytest.fixture(scope='module')
def env(tmp_path_factory):
    with cloud.nova_with_placement(tmp_path_factory.mktemp('scheduler'),
                                   host='sched-test') as nova:
        conf, ctxt, cell1 = nova.conf, nova.ctxt, nova.cell1
        # Service records are written once here and never heartbeat.
        conf.set_override('service_down_time', 3600)
        from nova import context
        from nova.scheduler.client import report
        client = report.SchedulerReportClient()
        with context.target_cell(ctxt, cell1) as cctxt:
            nodes = {host: _add_compute(cctxt, client, host, *size)
                     for host, size in HOSTS.items()}
        yield {'placement_url': nova.placement_url, 'ctxt': ctxt, 'cell1': cell1,
               'nodes': nodes, 'client': client, 'conf': conf}


class _Direct(object):
    """Calls the manager as the RPC dispatcher would, re-raising what it expected."""

    def __init__(self, manager):
        self.manager = manager

    def select_destinations(self, *args, **kwargs):
        import oslo_messaging
        try:
            return self.manager.select_destinations(*args, **kwargs)
        except oslo_messaging.ExpectedException as exc:
            raise exc.exc_info[1]


@pytest.fixture
def scheduler(env):
    """A fresh in-process scheduler manager (no HostState left from other tests)."""
    from nova.scheduler import manager
    return _Direct(manager.SchedulerManager())


@pytest.fixture
def consumers(env):
    """Instance uuids for a test; their Placement allocations are removed afterwards."""
    made = []

    def make(count=1):
        new = [str(uuid.uuid4()) for _ in range(count)]
        made.extend(new)
        return new

    yield make
    for consumer in made:
        env['client'].delete_allocation_for_instance(env['ctxt'], consumer)


def _spec(ctxt, instance_uuid, vcpus=1, memory_mb=1024, root_gb=10, num_instances=1,
          group=None, availability_zone=None):
    from nova import context, objects
    flavor = objects.Flavor(id=1, flavorid='f1', name='f1', vcpus=vcpus, memory_mb=memory_mb,
                            root_gb=root_gb, ephemeral_gb=0, swap=0, extra_specs={})
    image = objects.ImageMeta.from_dict({'id': str(uuid.uuid4()), 'properties': {}})
    user_ctxt = context.RequestContext('user-1', 'project-1')
    return objects.RequestSpec.from_components(
        user_ctxt, instance_uuid, image, flavor, num_instances=num_instances,
        availability_zone=availability_zone, instance_group=group)


def _allocations(env, consumer):
    return _placement(env, 'GET', '/allocations/%s' % consumer)['allocations']


def test_select_over_rpc_claims_the_best_host_and_returns_alternates(env, consumers):
    from nova import service
    from nova.scheduler import rpcapi
    svc = service.Service.create(binary='nova-scheduler', host='sched-test')
    svc.start()
    try:
        (instance,) = consumers()
        spec = _spec(env['ctxt'], instance)
        result = rpcapi.SchedulerAPI().select_destinations(
            env['ctxt'], spec, [instance], return_objects=True, return_alternates=True)
    finally:
        svc.stop()
    assert len(result) == 1
    picks = result[0]
    # Most free RAM/CPU/disk wins with the default weighers; max_attempts=3.
    assert [p.service_host for p in picks] == ['sched-host1', 'sched-host2', 'sched-host3']
    chosen = picks[0]
    node1 = env['nodes']['sched-host1']
    assert chosen.compute_node_uuid == node1.uuid
    assert chosen.nodename == 'sched-host1'
    assert chosen.cell_uuid == env['cell1'].uuid
    assert chosen.availability_zone == 'nova'
    allocations = _allocations(env, instance)
    assert list(allocations) == [node1.uuid]
    assert allocations[node1.uuid]['resources'] == {'VCPU': 1, 'MEMORY_MB': 1024,
                                                    'DISK_GB': 10}
    usages = _placement(env, 'GET', '/resource_providers/%s/usages' % node1.uuid)['usages']
    assert usages == {'VCPU': 1, 'MEMORY_MB': 1024, 'DISK_GB': 10}
    # Alternates are proposals only: nothing is claimed on them.
    for alt in picks[1:]:
        usages = _placement(env, 'GET',
                            '/resource_providers/%s/usages' % alt.compute_node_uuid)['usages']
        assert set(usages.values()) == {0}
        assert alt.allocation_request and alt.allocation_request_version


def test_legacy_dict_answer(env, scheduler, consumers):
    (instance,) = consumers()
    result = scheduler.select_destinations(env['ctxt'], spec_obj=_spec(env['ctxt'], instance),
                                           instance_uuids=[instance])
    assert result == [{'host': 'sched-host1', 'nodename': 'sched-host1', 'limits': {}}]


def test_too_big_a_flavor_finds_no_host_and_leaves_no_allocation(env, scheduler, consumers):
    from nova import exception
    (instance,) = consumers()
    with pytest.raises(exception.NoValidHost):
        scheduler.select_destinations(env['ctxt'], spec_obj=_spec(env['ctxt'], instance,
                                                                  vcpus=16),
                                      instance_uuids=[instance], return_objects=True)
    assert _allocations(env, instance) == {}


def test_only_hosts_with_room_are_candidates(env, scheduler, consumers):
    (instance,) = consumers()
    picks = scheduler.select_destinations(
        env['ctxt'], spec_obj=_spec(env['ctxt'], instance, vcpus=6, memory_mb=6000),
        instance_uuids=[instance], return_objects=True, return_alternates=True)[0]
    assert [p.service_host for p in picks] == ['sched-host1']


def test_three_servers_get_three_allocations(env, scheduler, consumers):
    instances = consumers(3)
    spec = _spec(env['ctxt'], instances[0], memory_mb=2048, num_instances=3)
    result = scheduler.select_destinations(env['ctxt'], spec_obj=spec,
                                           instance_uuids=instances, return_objects=True,
                                           return_alternates=True)
    assert len(result) == 3
    by_host = {}
    for instance, picks in zip(instances, result):
        allocations = _allocations(env, instance)
        assert list(allocations) == [picks[0].compute_node_uuid]
        by_host.setdefault(picks[0].service_host, []).append(instance)
    # The weighers see each claim: host1 (8 GB) takes two, host2 (4 GB) one.
    assert sorted(len(v) for v in by_host.values()) == [1, 2]
    node1 = env['nodes']['sched-host1']
    usages = _placement(env, 'GET', '/resource_providers/%s/usages' % node1.uuid)['usages']
    assert usages['MEMORY_MB'] == 4096


def test_a_multi_create_that_does_not_fit_is_undone(env, scheduler, consumers):
    from nova import exception
    instances = consumers(4)
    spec = _spec(env['ctxt'], instances[0], memory_mb=4096, num_instances=4)
    with pytest.raises(exception.NoValidHost):
        scheduler.select_destinations(env['ctxt'], spec_obj=spec, instance_uuids=instances,
                                      return_objects=True)
    for instance in instances:
        assert _allocations(env, instance) == {}
    for node in env['nodes'].values():
        usages = _placement(env, 'GET', '/resource_providers/%s/usages' % node.uuid)['usages']
        assert set(usages.values()) == {0}


def _hosts_for_group_of_two(env, scheduler, consumers, name, policy):
    """Schedule two servers of a new server group; the hosts picked for them."""
    from nova import context, objects
    instances = consumers(2)
    user_ctxt = context.RequestContext('user-1', 'project-1')
    group = objects.InstanceGroup(user_ctxt, name=name, policy=policy,
                                  user_id='user-1', project_id='project-1',
                                  members=list(instances))
    group.create()
    spec = _spec(env['ctxt'], instances[0], num_instances=2, group=group)
    result = scheduler.select_destinations(env['ctxt'], spec_obj=spec,
                                           instance_uuids=instances, return_objects=True)
    return [picks[0].service_host for picks in result]


def test_anti_affinity_group_spreads_two_servers(env, scheduler, consumers):
    hosts = _hosts_for_group_of_two(env, scheduler, consumers, 'spread', 'anti-affinity')
    assert len(set(hosts)) == 2


def test_affinity_group_packs_two_servers(env, scheduler, consumers):
    hosts = _hosts_for_group_of_two(env, scheduler, consumers, 'pack', 'affinity')
    assert len(set(hosts)) == 1


def test_availability_zone_goes_through_placement_aggregates(env, scheduler, consumers):
    from nova import objects
    ctxt = env['ctxt']
    agg = objects.Aggregate(ctxt, name='az1-hosts', metadata={'availability_zone': 'az1'})
    agg.create()
    agg.add_host('sched-host3')
    node3 = env['nodes']['sched-host3']
    generation = _placement(env, 'GET', '/resource_providers/%s' % node3.uuid)['generation']
    _placement(env, 'PUT', '/resource_providers/%s/aggregates' % node3.uuid,
               json={'aggregates': [agg.uuid], 'resource_provider_generation': generation})
    try:
        (instance,) = consumers()
        picks = scheduler.select_destinations(
            ctxt, spec_obj=_spec(ctxt, instance, availability_zone='az1'),
            instance_uuids=[instance], return_objects=True, return_alternates=True)[0]
        assert [p.service_host for p in picks] == ['sched-host3']
        assert picks[0].availability_zone == 'az1'
    finally:
        generation = _placement(env, 'GET',
                                '/resource_providers/%s' % node3.uuid)['generation']
        _placement(env, 'PUT', '/resource_providers/%s/aggregates' % node3.uuid,
                   json={'aggregates': [], 'resource_provider_generation': generation})
        agg.delete_host('sched-host3')
        agg.destroy()


def test_disabled_compute_is_not_a_candidate(env, scheduler, consumers):
    client, ctxt = env['client'], env['ctxt']
    node1 = env['nodes']['sched-host1']
    traits = client.get_traits(ctxt, node1.uuid)
    client.set_traits(ctxt, node1.uuid, ['COMPUTE_NODE', 'COMPUTE_STATUS_DISABLED'],
                      traits['resource_provider_generation'])
    try:
        (instance,) = consumers()
        picks = scheduler.select_destinations(
            ctxt, spec_obj=_spec(ctxt, instance), instance_uuids=[instance],
            return_objects=True, return_alternates=True)[0]
        assert 'sched-host1' not in [p.service_host for p in picks]
    finally:
        traits = client.get_traits(ctxt, node1.uuid)
        client.set_traits(ctxt, node1.uuid, ['COMPUTE_NODE'],
                          traits['resource_provider_generation'])


def test_report_client_allocation_helpers(env, consumers):
    client, ctxt = env['client'], env['ctxt']
    node2 = env['nodes']['sched-host2']
    (instance,) = consumers()
    alloc_req = {'allocations': {node2.uuid: {'resources': {'VCPU': 1, 'MEMORY_MB': 256}}}}
    assert client.claim_resources(ctxt, instance, alloc_req, 'project-1', 'user-1',
                                  allocation_request_version='1.36')
    assert client.get_allocations_for_consumer(ctxt, instance)[node2.uuid]['resources'] == {
        'VCPU': 1, 'MEMORY_MB': 256}
    assert client.get_provider_usages(ctxt, node2.uuid)['MEMORY_MB'] == 256
    counts = client.get_usages_counts_for_quota(ctxt, 'project-1')
    assert counts['instances'] >= 1 and counts['cores'] >= 1 and counts['ram'] >= 256
    # The same claim again, as a new consumer, would need a generation: refused.
    from nova import exception
    with pytest.raises(exception.AllocationUpdateFailed):
        client.claim_resources(ctxt, instance, alloc_req, 'project-1', 'user-1')
    too_much = {'allocations': {node2.uuid: {'resources': {'VCPU': 64}}}}
    (other,) = consumers()
    assert client.claim_resources(ctxt, other, too_much, 'project-1', 'user-1') is False
    assert client.delete_allocation_for_instance(ctxt, instance)
    assert client.get_allocations_for_consumer(ctxt, instance) == {}
    assert client.delete_allocation_for_instance(ctxt, instance)  # nothing left: still fine


def test_unreachable_placement_is_a_clear_error(env):
    from keystoneauth1 import adapter, session
    from nova import exception
    from nova.scheduler.client import report
    sess = session.Session()
    broken = report.SchedulerReportClient(adapter.Adapter(
        sess, endpoint_override='http://127.0.0.1:9', service_type='placement'))
    with pytest.raises(exception.PlacementAPIConnectFailure):
        broken.get_provider_usages(env['ctxt'], str(uuid.uuid4()))


def test_anti_affinity_sees_members_already_running_in_the_cell(env, scheduler, consumers):
    from nova import context, objects
    running, new = consumers(2)
    user_ctxt = context.RequestContext('user-1', 'project-1')
    with context.target_cell(env['ctxt'], env['cell1']) as cctxt:
        instance = objects.Instance(cctxt, uuid=running, host='sched-host1',
                                    node='sched-host1', project_id='project-1',
                                    user_id='user-1', vm_state='active')
        instance.create()
    try:
        group = objects.InstanceGroup(user_ctxt, name='apart', policy='anti-affinity',
                                      user_id='user-1', project_id='project-1',
                                      members=[running, new])
        group.create()
        # As a spec read back from the API DB has it: members and hosts unknown.
        group.members = None
        group.hosts = None
        spec = _spec(env['ctxt'], new, group=group)
        picks = scheduler.select_destinations(env['ctxt'], spec_obj=spec,
                                              instance_uuids=[new], return_objects=True,
                                              return_alternates=True)[0]
        assert 'sched-host1' not in [p.service_host for p in picks]
        assert spec.instance_group.hosts == ['sched-host1', picks[0].service_host]
    finally:
        with context.target_cell(env['ctxt'], env['cell1']) as cctxt:
            objects.Instance.get_by_uuid(cctxt, running).destroy(hard_delete=True)
