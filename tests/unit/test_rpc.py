"""RPC clients honour [upgrade_levels] and carry the caller's context."""

import pytest

import nova.conf
from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import rpcapi as conductor_rpcapi
from nova import context
from nova import objects
from nova.objects import service as service_obj
from nova import rpc
from nova.scheduler import rpcapi as scheduler_rpcapi

CONF = nova.conf.CONF


@pytest.fixture
def pin():
    pinned = []

    def _pin(service, value):
        CONF.set_override(service, value, group='upgrade_levels')
        pinned.append(service)
    yield _pin
    for service in pinned:
        CONF.clear_override(service, group='upgrade_levels')


def test_unpinned_clients_have_no_cap(fake_rpc):
    assert conductor_rpcapi.ConductorAPI().client.version_cap is None
    assert scheduler_rpcapi.SchedulerAPI().client.version_cap is None


def test_explicit_pins_cap_each_client(fake_rpc, pin):
    pin('conductor', '3.0')
    pin('scheduler', '4.0')
    conductor = conductor_rpcapi.ConductorAPI().client
    assert conductor.version_cap == '3.0'
    assert conductor.can_send_version('3.0')
    assert not conductor.can_send_version('3.1')
    assert scheduler_rpcapi.SchedulerAPI().client.version_cap == '4.0'


def test_release_alias_resolves(fake_rpc, pin, monkeypatch):
    monkeypatch.setitem(conductor_rpcapi.BASE_VERSION_ALIASES, 'somerelease', '3.0')
    pin('conductor', 'somerelease')
    assert conductor_rpcapi.ConductorAPI().client.version_cap == '3.0'


def test_compute_auto_follows_the_oldest_compute_service(fake_rpc, pin, ctxt):
    objects.CellMapping(ctxt, uuid=objects.CellMapping.CELL0_UUID, name='cell0',
                        transport_url='none:///', database_connection='sqlite://').create()
    objects.CellMapping(ctxt, uuid='11111111-1111-1111-1111-111111111111', name='cell1',
                        transport_url='fake:/',
                        database_connection=CONF.database.connection).create()
    objects.Service(ctxt, host='old-host', binary='nova-compute', topic='compute',
                    version=1).create()
    pin('compute', 'auto')
    try:
        client = compute_rpcapi.ComputeAPI()
        expected = service_obj.SERVICE_VERSION_HISTORY[1]['compute_rpc']
        assert client.version_cap == expected
    finally:
        context.reset_cell_cache()


def test_compute_auto_without_computes_leaves_the_cap_open(fake_rpc, pin, ctxt):
    pin('compute', 'auto')
    assert compute_rpcapi.ComputeAPI().version_cap is None


def test_context_travels_with_request_id():
    ctxt = context.RequestContext('u1', 'p1', roles=['member'], read_deleted='yes')
    serializer = rpc.RequestContextSerializer()
    received = serializer.deserialize_context(serializer.serialize_context(ctxt))
    assert received.request_id == ctxt.request_id
    assert (received.user_id, received.project_id) == ('u1', 'p1')
    assert received.roles == ['member'] and received.read_deleted == 'yes'
    assert not received.is_admin


def test_objects_cross_the_serializer(ctxt):
    serializer = rpc._object_serializer()
    service = objects.Service(ctxt, host='h', binary='nova-compute', topic='compute')
    wire = serializer.serialize_entity(ctxt, service)
    assert wire['nova_object.name'] == 'Service'
    back = serializer.deserialize_entity(ctxt, wire)
    assert isinstance(back, objects.Service) and back.host == 'h'
