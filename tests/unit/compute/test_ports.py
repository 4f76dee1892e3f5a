"""A build's ports: allocated bound to this host before spawn with the network
info in the instance's info cache and handed to the driver; released again
when the spawn fails (before a reschedule) or the build aborts, and on
delete. Neutron is the in-memory one of the network tests (no daemon can
run in the unit tier); the rest is the build of test_build."""

import pytest

from nova.compute import ports
from nova.compute import vm_states
from nova import exception
from nova import objects
from tests.unit.compute import test_build
from tests.unit.compute.test_build import instance  # noqa: F401
from tests.unit.network import fake_neutron


@pytest.fixture
def neutron(monkeypatch):
    n = fake_neutron.install(monkeypatch, host_bindable=(test_build.HOST, test_build.ALTERNATE))
    n.private = n.add_network('private', project_id='p', cidr='10.0.0.0/24')
    n.add_security_group('default', project_id='p')
    return n


class _Recording(test_build._Driver):
    network_info = None

    def spawn(self, context, inst, image_meta, injected_files, admin_password,
              allocations, network_info=None, block_device_info=None, **kwargs):
        self.network_info = network_info
        return super().spawn(context, inst, image_meta, injected_files, admin_password,
                             allocations, network_info=network_info,
                             block_device_info=block_device_info, **kwargs)


@pytest.fixture
def compute(fake_rpc):
    host = test_build._Host()
    host.driver = _Recording(None)
    host.driver.init_host(test_build.HOST)
    host.rt.driver = host.driver
    return host


def _build(compute, ctxt, instance, requested, host_list=(test_build.HOST,)):  # noqa: F811
    compute._do_build_and_run_instance(
        ctxt, instance, {}, None, {}, None, [], requested, [], [], compute.driver.nodename,
        list(host_list))


def test_the_port_is_bound_here_and_cached_before_spawn(compute, ctxt, instance, neutron):  # noqa: F811
    _build(compute, ctxt, instance, [{'uuid': neutron.private['id']}])
    (port,) = neutron.ports.values()
    assert (port['device_id'], port['binding:host_id']) == (instance.uuid, test_build.HOST)
    assert [vif['id'] for vif in compute.driver.network_info] == [port['id']]
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid, expected_attrs=['info_cache'])
    assert stored.vm_state == vm_states.ACTIVE
    (vif,) = stored.info_cache.network_info
    assert vif['network']['subnets'][0]['ips'][0]['address'] == '10.0.0.2'


def test_networks_none_or_no_neutron_creates_nothing(compute, ctxt, instance, neutron):  # noqa: F811
    _build(compute, ctxt, instance, 'none')
    assert neutron.ports == {} and compute.driver.network_info == []


def test_a_failed_spawn_releases_ports_before_rescheduling(compute, ctxt, instance,  # noqa: F811
                                                           neutron):
    mine = neutron.client().create_port({'network_id': neutron.private['id']})
    compute.driver.spawn_error = RuntimeError('qemu died')
    _build(compute, ctxt, instance, [{'port': mine['id']}, {'uuid': neutron.private['id']}],
           host_list=(test_build.HOST, test_build.ALTERNATE))
    assert len(compute.compute_task_api.rebuilds) == 1
    # Nova's port is gone, the user's is back to unbound.
    assert list(neutron.ports) == [mine['id']]
    assert neutron.ports[mine['id']]['device_id'] == ''
    assert neutron.ports[mine['id']]['binding:host_id'] == ''


def test_a_network_error_no_host_can_fix_aborts_the_build(compute, ctxt, instance, neutron):  # noqa: F811
    neutron.fail['create_port'] = fake_neutron._error('POST', '/ports', 409,
                                                      'IpAddressInUse', 'taken')
    _build(compute, ctxt, instance, [{'uuid': neutron.private['id'], 'fixed_ip': '10.0.0.9'}],
           host_list=(test_build.HOST, test_build.ALTERNATE))
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid)
    assert stored.vm_state == vm_states.ERROR
    assert compute.compute_task_api.rebuilds == []
    (fault,) = objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])
    assert '10.0.0.9' in fault.message


def test_neutron_down_fails_the_build_with_a_fault_saying_so(compute, ctxt, instance, neutron):  # noqa: F811
    neutron.fail['list_networks'] = exception.NeutronConnectionFailed(reason='refused')
    _build(compute, ctxt, instance, [{'uuid': neutron.private['id']}])
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid)
    assert stored.vm_state == vm_states.ERROR
    (fault,) = objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])
    assert 'networking service' in fault.message or 'networking service' in (
        fault.details or '')
    assert neutron.ports == {}


def test_release_never_raises_and_deletes_what_nova_made(ctxt, instance, neutron):  # noqa: F811
    nw_info = ports.network_api().allocate_for_instance(
        ctxt, instance, [{'uuid': neutron.private['id']}], test_build.HOST)
    neutron.fail['delete_port'] = exception.NeutronConnectionFailed(reason='refused')
    assert ports.release(ctxt, instance, nw_info) is False
    del neutron.fail['delete_port']
    assert ports.release(ctxt, instance, nw_info) is True
    assert neutron.ports == {}


# --- moves ------------------------------------------------------------------------------

@pytest.fixture
def moved(monkeypatch, ctxt, instance, neutron):  # noqa: F811
    """The instance with a port bound to HOST (cached); a fresh network API (its
    extension list is cached per process)."""
    monkeypatch.setattr(ports, '_API', [])
    ports.allocate(ctxt, instance, [{'uuid': neutron.private['id']}], test_build.HOST)
    return instance


def _cached_ids(ctxt, instance):  # noqa: F811
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid, expected_attrs=['info_cache'])
    return [vif['id'] for vif in stored.info_cache.network_info]


def test_bind_to_host_moves_the_ports_and_refreshes_the_cache(ctxt, moved, neutron):
    (port_id,) = neutron.ports
    neutron.calls.clear()
    nw_info = ports.bind_to_host(ctxt, moved, test_build.ALTERNATE)
    assert neutron.ports[port_id]['binding:host_id'] == test_build.ALTERNATE
    assert [vif['id'] for vif in nw_info] == [port_id] == _cached_ids(ctxt, moved)
    # The cache was read back from Neutron after the update.
    names = [c[0] for c in neutron.calls]
    assert names.index('update_port') < len(names) - 1 - names[::-1].index('list_ports')


def test_without_neutron_a_move_uses_the_cache_and_asks_nothing(ctxt, moved, neutron,
                                                                 monkeypatch):
    monkeypatch.setattr(fake_neutron.neutron_client, 'is_configured', lambda: False)
    neutron.calls.clear()
    assert [v['id'] for v in ports.bind_to_host(ctxt, moved, 'x')] == list(neutron.ports)
    assert ports.unbind(ctxt, moved) is True
    assert ports.bind_for_live_migration(ctxt, moved, 'x') == []
    assert ports.drop_live_migration_bindings(ctxt, moved, 'x') is True
    assert neutron.calls == []


def test_a_binding_neutron_refuses_fails_the_move(ctxt, moved, neutron):
    with pytest.raises(exception.PortBindingFailed):
        ports.bind_to_host(ctxt, moved, 'nowhere')


def test_unbind_and_drop_never_raise(ctxt, moved, neutron):
    neutron.extensions.append('binding-extended')
    neutron.down = exception.NeutronConnectionFailed(reason='refused')
    assert ports.unbind(ctxt, moved) is False
    assert ports.drop_live_migration_bindings(ctxt, moved, test_build.ALTERNATE) is False
    neutron.down = None
    assert ports.unbind(ctxt, moved) is True
    assert {p['binding:host_id'] for p in neutron.ports.values()} == {''}


def test_activation_after_a_live_migration_never_raises(ctxt, moved, neutron):
    neutron.extensions.append('binding-extended')
    assert ports.bind_for_live_migration(ctxt, moved, test_build.ALTERNATE) == list(
        neutron.ports)
    neutron.fail['activate_port_binding'] = exception.NeutronConnectionFailed(
        reason='refused')
    # The guest has moved: the failure is logged, the cache still read back.
    assert [v['id'] for v in ports.activate_live_migration(
        ctxt, moved, test_build.ALTERNATE, test_build.HOST)] == list(neutron.ports)
    del neutron.fail['activate_port_binding']
    ports.activate_live_migration(ctxt, moved, test_build.ALTERNATE, test_build.HOST)
    (port,) = neutron.ports.values()
    assert port['binding:host_id'] == test_build.ALTERNATE
    assert neutron.inactive[port['id']] == {}


@pytest.mark.parametrize('error', [
    exception.NeutronConnectionFailed(reason='refused'),
    fake_neutron._error('POST', '/ports', 500, 'HTTPInternalServerError', 'boom')],
    ids=['down', '500'])
def test_neutron_failing_the_port_create_aborts_without_rescheduling(
        compute, ctxt, instance, neutron, error):  # noqa: F811
    neutron.fail['create_port'] = error
    _build(compute, ctxt, instance, [{'uuid': neutron.private['id']}],
           host_list=(test_build.HOST, test_build.ALTERNATE))
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid)
    assert stored.vm_state == vm_states.ERROR
    assert compute.compute_task_api.rebuilds == []
    (fault,) = objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])
    assert fault.message.startswith('Build of instance %s aborted: Failed to allocate the '
                                    'network(s), not rescheduling.' % instance.uuid)
    assert 'etworking service' in fault.message
    assert neutron.ports == {}


def test_a_port_binding_failure_is_still_rescheduled(compute, ctxt, instance, neutron):  # noqa: F811
    neutron.fail['create_port'] = exception.PortBindingFailed(port_id='p1')
    _build(compute, ctxt, instance, [{'uuid': neutron.private['id']}],
           host_list=(test_build.HOST, test_build.ALTERNATE))
    assert len(compute.compute_task_api.rebuilds) == 1


def test_release_raises_for_a_delete_when_asked(ctxt, instance, neutron):  # noqa: F811
    nw_info = ports.network_api().allocate_for_instance(
        ctxt, instance, [{'uuid': neutron.private['id']}], test_build.HOST)
    neutron.fail['list_ports'] = exception.NeutronConnectionFailed(reason='refused')
    with pytest.raises(exception.NeutronConnectionFailed):
        ports.release(ctxt, instance, nw_info, raise_errors=True)
    assert len(neutron.ports) == 1
