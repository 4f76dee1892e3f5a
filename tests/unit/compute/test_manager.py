"""nova-compute's manager: it answers every message its RPC client sends, at the
client's version; a node's resource update failing is logged and the next node still
updated (a node misconfigured stops the service); the image cache pass only for a
driver that has one."""

import ast
import inspect
import types

import oslo_messaging as messaging
import pytest

from nova.compute import live_migration_rpcapi
from nova.compute import manager
from nova.compute import rpcapi
from nova import exception
from nova import objects

objects.register_all()

# The client's helpers whose first string argument is the method sent.
_SENDERS = {'cast', 'call', '_cast_61', '_cast_67', '_cast_69', '_call_host',
            '_console_call', '_diagnostics_call', '_live_call', '_live_cast'}


def _sent_methods():
    """Every method name the compute RPC client puts on the bus."""
    names = set()
    for module in (rpcapi, live_migration_rpcapi):
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.Call) and getattr(node.func, 'attr', None) in _SENDERS:
                strings = [a.value for a in node.args
                           if isinstance(a, ast.Constant) and isinstance(a.value, str)
                           and not a.value[0].isdigit()]
                names.update(strings[:1])
    return names


def test_every_message_of_the_client_has_a_method_here():
    sent = _sent_methods()
    assert {'build_and_run_instance', 'reboot_instance', 'get_vnc_console',
            'prep_resize', 'live_migration_abort'} <= sent
    missing = sorted(name for name in sent if not callable(
        getattr(manager.ComputeManager, name, None)))
    assert not missing


def test_the_server_speaks_the_clients_version():
    assert manager.ComputeManager.target.version == rpcapi.ComputeAPI.VERSION


class _Tracker(object):
    def __init__(self, failing, host_instances=None):
        self.failing = failing
        self.updated = []
        self.host_reads = 0
        self.instances_given = {}
        self.host_instances = host_instances

    def read_host(self, context):
        self.host_reads += 1
        return self.host_instances

    def update_available_resource(self, context, nodename, service_id, startup=False,
                                  instances=None):
        self.instances_given[nodename] = instances
        if nodename in self.failing:
            raise self.failing[nodename]
        self.updated.append((nodename, service_id, startup))


def _manager(failing=None, nodes=('n1', 'n2'), service=True, host_instances=None):
    driver = types.SimpleNamespace(get_available_nodes=lambda refresh: list(nodes))
    return types.SimpleNamespace(
        driver=driver, rt=_Tracker(failing or {}, host_instances),
        service_ref=types.SimpleNamespace(id=5) if service else None)


def _update(compute, startup=False):
    manager.ComputeManager.update_available_resource(compute, None, startup)


def test_each_node_is_updated_and_a_failing_one_does_not_stop_the_others():
    compute = _manager({'n1': messaging.MessagingTimeout()})
    _update(compute, startup=True)
    assert compute.rt.updated == [('n2', 5, True)]
    compute = _manager({'n1': RuntimeError('driver hiccup')})
    _update(compute)
    assert compute.rt.updated == [('n2', 5, False)]


def test_a_misconfigured_node_stops_the_service():
    compute = _manager({'n1': exception.InvalidNodeConfiguration(reason='two nodes')})
    with pytest.raises(exception.InvalidNodeConfiguration):
        _update(compute)


def test_a_many_node_host_is_read_once_and_each_node_gets_its_instances():
    nodes = ['n%d' % i for i in range(20)]
    compute = _manager(nodes=nodes, host_instances={'n3': ['i1', 'i2'], 'n7': ['i3']})
    _update(compute)
    assert compute.rt.host_reads == 1
    assert sorted(compute.rt.updated) == sorted((n, 5, False) for n in nodes)
    assert compute.rt.instances_given['n3'] == ['i1', 'i2']
    assert compute.rt.instances_given['n7'] == ['i3']
    assert compute.rt.instances_given['n0'] == []


def test_nodes_read_their_own_instances_when_the_host_read_failed_or_one_node():
    compute = _manager(nodes=['n1', 'n2'], host_instances=None)
    _update(compute)
    assert compute.rt.instances_given == {'n1': None, 'n2': None}
    compute = _manager(nodes=['only'])
    _update(compute)
    assert compute.rt.host_reads == 0
    assert compute.rt.instances_given == {'only': None}


def test_nothing_is_reported_before_the_service_record_exists():
    compute = _manager(service=False)
    _update(compute)
    assert compute.rt.updated == []


def test_the_image_cache_pass_only_for_a_driver_with_a_cache(monkeypatch):
    passes = []
    driver = types.SimpleNamespace(capabilities={'has_imagecache': False},
                                   manage_image_cache=lambda ctx, insts: passes.append(insts))
    compute = types.SimpleNamespace(driver=driver, host='h1')
    run = manager.ComputeManager._run_image_cache_manager_pass
    run(compute, None)
    assert passes == []
    driver.capabilities['has_imagecache'] = True
    monkeypatch.setattr(manager.objects.InstanceList, 'get_by_filters',
                        classmethod(lambda cls, ctx, filters, expected_attrs: ['i1']))
    run(compute, None)
    assert passes == [['i1']]

    def unreadable(cls, ctx, filters, expected_attrs):
        raise messaging.MessagingTimeout()
    monkeypatch.setattr(manager.objects.InstanceList, 'get_by_filters',
                        classmethod(unreadable))
    run(compute, None)  # skipped, said in the log
    assert passes == [['i1']]
