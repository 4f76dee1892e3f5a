"""Compute RPC 6.5 (diagnostics, network info) over oslo.messaging's fake transport.

A real RPC server for host1 dispatches to the manager's diagnostics and
network-info mixins over the fake virt driver, so the versions, the instance's
trip over the wire and the exceptions coming back are those nova-compute would
produce.
"""

import threading

import oslo_messaging as messaging
import pytest

import nova.conf
from nova.compute import diagnostics
from nova.compute import manager
from nova.compute import network_info
from nova.compute import rpcapi as compute_rpcapi
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.objects import service as service_obj
from nova import rpc
from nova.virt import fake

CONF = nova.conf.CONF
UUID = '3f1c9a52-7d4e-4b8a-9e21-5c6d7e8f9a0b'


class _Host(diagnostics.DiagnosticsOperations, network_info.NetworkInfoOperations):
    """host1's nova-compute, as far as these methods go."""

    target = manager.ComputeManager.target

    def __init__(self):
        self.host = 'host1'
        self.driver = fake.FakeDriver(None)
        self.casts = threading.Event()

    def inject_network_info(self, context, instance):
        super().inject_network_info(context, instance)
        self.casts.set()


@pytest.fixture
def host():
    objects.register_all()
    rpc.register_opts(CONF)
    CONF.set_override('transport_url', 'fake:/')
    rpc.cleanup()
    rpc.init(CONF)
    endpoint = _Host()
    server = rpc.get_server(messaging.Target(topic='compute', server='host1'), [endpoint])
    server.start()
    yield endpoint
    server.stop()
    server.wait()
    rpc.cleanup()
    CONF.clear_override('transport_url')
    CONF.clear_override('compute', group='upgrade_levels')


def _instance(ctxt, vcpus=2, network_info=None):
    flavor = objects.Flavor(vcpus=vcpus, memory_mb=2048, flavorid='2', name='m1.small',
                            root_gb=1, ephemeral_gb=0, swap=0, extra_specs={})
    cache = objects.InstanceInfoCache(instance_uuid=UUID, network_info=network_info or [])
    return objects.Instance(ctxt, uuid=UUID, host='host1', config_drive='',
                            flavor=flavor, info_cache=cache)


def _boot(host, instance, state=fake.POWER_RUNNING):
    host.driver.instances[instance.uuid] = fake.FakeInstance(instance.uuid, 'guest', state)


def test_the_versions_agree():
    """The client's version, the manager's, and the service version that brought 6.5."""
    assert manager.ComputeManager.target.version == compute_rpcapi.ComputeAPI.VERSION
    history = service_obj.SERVICE_VERSION_HISTORY
    assert len(history) == service_obj.SERVICE_VERSION + 1
    assert history[6]['compute_rpc'] == '6.5'
    assert history[5]['compute_rpc'] == '6.4'


def test_diagnostics_round_trip(host):
    ctxt = nova_context.get_admin_context()
    instance = _instance(ctxt)
    _boot(host, instance)
    rpcapi = compute_rpcapi.ComputeAPI()
    standard = rpcapi.get_instance_diagnostics(ctxt, instance)
    assert standard['state'] == 'running'
    assert standard['num_cpus'] == 2 and len(standard['cpu_details']) == 2
    assert standard['memory_details'] == {'maximum': 2048, 'used': 0}
    assert standard['config_drive'] is False
    legacy = rpcapi.get_diagnostics(ctxt, instance)
    assert sorted(k for k in legacy if k.endswith('_time')) == ['cpu0_time', 'cpu1_time']
    assert legacy['memory'] == 2048 * 1024


@pytest.mark.parametrize('method', ['get_diagnostics', 'get_instance_diagnostics'])
def test_a_guest_not_running_comes_back_as_invalid_state(host, method):
    ctxt = nova_context.get_admin_context()
    instance = _instance(ctxt)
    _boot(host, instance, state=fake.POWER_SHUTDOWN)
    with pytest.raises(exception.InstanceInvalidState) as caught:
        getattr(compute_rpcapi.ComputeAPI(), method)(ctxt, instance)
    assert caught.value.kwargs['attr'] == 'power state'
    assert caught.value.kwargs['state'] == 'shutdown'
    # A guest the hypervisor does not know has no power state at all.
    del host.driver.instances[instance.uuid]
    with pytest.raises(exception.InstanceInvalidState) as caught:
        getattr(compute_rpcapi.ComputeAPI(), method)(ctxt, instance)
    assert caught.value.kwargs['state'] == 'pending'


def test_a_driver_without_diagnostics_comes_back_as_not_implemented(host, monkeypatch):
    ctxt = nova_context.get_admin_context()
    instance = _instance(ctxt)
    _boot(host, instance)

    def unsupported(instance):
        raise NotImplementedError()
    monkeypatch.setattr(host.driver, 'get_instance_diagnostics', unsupported)
    with pytest.raises(NotImplementedError):
        compute_rpcapi.ComputeAPI().get_instance_diagnostics(ctxt, instance)


def test_inject_network_info_is_cast_to_the_host(host):
    ctxt = nova_context.get_admin_context()
    vif = {'id': 'a3b5bb72-9f5e-4d9c-9d1c-1ffb6a1c9f01', 'address': 'fa:16:3e:11:22:33',
           'network': {'label': 'private', 'subnets': []}}
    instance = _instance(ctxt, network_info=[vif])
    _boot(host, instance)
    assert compute_rpcapi.ComputeAPI().inject_network_info(ctxt, instance) is None
    assert host.casts.wait(5)
    (received,) = host.driver.instances[UUID].network_info
    assert received['address'] == 'fa:16:3e:11:22:33'


@pytest.mark.parametrize('method', ['get_diagnostics', 'get_instance_diagnostics',
                                    'inject_network_info'])
def test_a_compute_pinned_below_65_is_unavailable(host, method):
    CONF.set_override('compute', '6.4', group='upgrade_levels')
    ctxt = nova_context.get_admin_context()
    instance = _instance(ctxt)
    _boot(host, instance)
    with pytest.raises(exception.ComputeServiceUnavailable):
        getattr(compute_rpcapi.ComputeAPI(), method)(ctxt, instance)
    assert host.driver.instances[UUID].network_info is None
