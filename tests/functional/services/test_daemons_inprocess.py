"""conductor, scheduler and compute as in-process services over the real RabbitMQ,
with a real SQLite database and the real Placement service."""

import threading

import pytest

from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for

HOST = 'functional-compute-1'


@pytest.fixture(scope='module')
def running_cloud(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('cloud')
    with cloud.nova_with_placement(tmp, host=HOST) as nova:
        from nova import service
        services = {}
        try:
            for binary in ('nova-conductor', 'nova-scheduler', 'nova-compute'):
                services[binary] = service.Service.create(binary=binary)
                services[binary].start()
            yield {'services': services, 'placement_url': nova.placement_url,
                   'cell1': nova.cell1, 'ctxt': nova.ctxt, 'state_path': tmp / 'state',
                   'transport_url': nova.transport_url}
        finally:
            for svc in reversed(list(services.values())):
                svc.stop()


def _placement(running_cloud, path):
    import requests
    resp = requests.get(running_cloud['placement_url'] + path,
                        headers={'X-Auth-Token': 'admin',
                                 'OpenStack-API-Version': 'placement 1.39'}, timeout=10)
    resp.raise_for_status()
    return resp.json()


def test_service_records_and_heartbeats(running_cloud):
    from nova import objects
    ctxt = running_cloud['ctxt']
    records = {s.binary: s for s in objects.ServiceList.get_all(ctxt)}
    assert set(records) == {'nova-conductor', 'nova-scheduler', 'nova-compute'}
    assert {records[b].topic for b in records} == {'conductor', 'scheduler', 'compute'}
    first = records['nova-compute'].report_count
    wait_for(lambda: objects.Service.get_by_host_and_binary(
        ctxt, HOST, 'nova-compute').report_count > first + 1)
    from nova import servicegroup
    refreshed = objects.Service.get_by_host_and_binary(ctxt, HOST, 'nova-compute')
    assert servicegroup.API().service_is_up(refreshed)


def test_compute_node_reported_to_placement(running_cloud):
    from nova import objects
    ctxt = running_cloud['ctxt']
    node = objects.ComputeNode.get_by_host_and_nodename(ctxt, HOST, HOST)
    stored_uuid = (running_cloud['state_path'] / 'compute_id').read_text().strip()
    assert node.uuid == stored_uuid
    assert node.hypervisor_type == 'fake'
    providers = _placement(running_cloud, '/resource_providers?name=%s' % HOST)
    assert [p['uuid'] for p in providers['resource_providers']] == [node.uuid]
    inventories = _placement(running_cloud,
                             '/resource_providers/%s/inventories' % node.uuid)['inventories']
    assert set(inventories) == {'VCPU', 'MEMORY_MB', 'DISK_GB'}
    assert inventories['VCPU']['allocation_ratio'] == 4.0
    assert inventories['VCPU']['total'] == node.vcpus
    assert inventories['MEMORY_MB']['reserved'] == 1024
    assert inventories['MEMORY_MB']['allocation_ratio'] == 1.0
    assert inventories['DISK_GB']['reserved'] == 2
    traits = _placement(running_cloud, '/resource_providers/%s/traits' % node.uuid)['traits']
    assert 'COMPUTE_NODE' in traits
    # the fake driver's capabilities, as upstream's traits (the API reads the
    # multiattach one before reserving a multiattach volume)
    assert {'COMPUTE_VOLUME_MULTI_ATTACH', 'COMPUTE_NET_ATTACH_INTERFACE'} <= set(traits)
    assert 'COMPUTE_DEVICE_TAGGING' not in traits


def test_discover_hosts_maps_the_compute(running_cloud):
    from nova import exception, objects
    from nova.objects import host_mapping
    ctxt = running_cloud['ctxt']
    with pytest.raises(exception.HostMappingNotFound):
        objects.HostMapping.get_by_host(ctxt, HOST)
    added = host_mapping.discover_hosts(ctxt)
    assert [m.host for m in added] == [HOST]
    mapping = objects.HostMapping.get_by_host(ctxt, HOST)
    assert mapping.cell_mapping.uuid == running_cloud['cell1'].uuid
    assert host_mapping.discover_hosts(ctxt) == []


def test_rpc_reaches_each_service_with_the_callers_request_id(running_cloud, monkeypatch):
    from nova.compute import rpcapi as compute_rpcapi
    from nova.conductor import manager as conductor_manager
    from nova.conductor import rpcapi as conductor_rpcapi
    from nova import context
    from nova.scheduler import rpcapi as scheduler_rpcapi
    seen = {}
    original = conductor_manager.ConductorManager.ping

    def recording_ping(self, ctxt, arg):
        seen['request_id'] = ctxt.request_id
        seen['user_id'] = ctxt.user_id
        return original(self, ctxt, arg)

    monkeypatch.setattr(conductor_manager.ConductorManager, 'ping', recording_ping)
    ctxt = context.RequestContext('alice', 'project-a')
    assert conductor_rpcapi.ConductorAPI().ping(ctxt, 10)['service'] == 'conductor'
    assert seen == {'request_id': ctxt.request_id, 'user_id': 'alice'}
    assert scheduler_rpcapi.SchedulerAPI().ping(ctxt, timeout=10)['service'] == 'scheduler'
    assert compute_rpcapi.ComputeAPI().ping(ctxt, HOST, timeout=10)['host'] == HOST


def test_objects_through_conductor_over_rabbitmq(running_cloud):
    """The two indirection calls nova-compute makes for every DB read and write.

    (Setting NovaObject.indirection_api here would also send the conductor's
    own, in-process calls back to itself; the e2e tier runs nova-compute as a
    process of its own with the switch on.)
    """
    from nova.conductor import rpcapi as conductor_rpcapi
    from nova import context, objects
    from nova.objects import base
    from oslo_versionedobjects import base as ovo_base
    api = conductor_rpcapi.ConductorAPI()
    ctxt = context.get_admin_context()
    versions = ovo_base.obj_tree_get_versions('Service')
    service = api.object_class_action_versions(
        ctxt, 'Service', 'get_by_host_and_binary', versions, (HOST, 'nova-compute'), {})
    assert isinstance(service, objects.Service) and service.host == HOST
    service.disabled_reason = 'checked over RPC'
    updates, result = api.object_action(ctxt, service, 'save', (), {})
    assert result is None
    assert updates['updated_at'] is not None  # set by the save in conductor
    stored = objects.Service.get_by_host_and_binary(ctxt, HOST, 'nova-compute')
    assert stored.disabled_reason == 'checked over RPC'
    assert base.NovaObject.indirection_api is None


def test_compute_restart_keeps_node_identity(running_cloud):
    from nova import objects, service
    ctxt = running_cloud['ctxt']
    before = objects.ComputeNodeList.get_all_by_host(ctxt, HOST)
    running_cloud['services']['nova-compute'].stop()
    replacement = service.Service.create(binary='nova-compute')
    replacement.start()
    running_cloud['services']['nova-compute'] = replacement
    after = objects.ComputeNodeList.get_all_by_host(ctxt, HOST)
    assert [(n.id, n.uuid) for n in after] == [(n.id, n.uuid) for n in before]
    assert threading.active_count() < 200
