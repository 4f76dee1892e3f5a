"""RPC clients honour [upgrade_levels] and carry the caller's context."""


import nova.conf
from nova.conductor import rpcapi as conductor_rpcapi
from nova import context
from nova import objects
from nova import rpc
from nova.scheduler import rpcapi as scheduler_rpcapi

CONF = nova.conf.CONF


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
