"""The compute manager's shelve, offload (at once, by hand, by the periodic) and
unshelve, with what they leave in Glance and Placement."""

import datetime

import oslo_messaging as messaging
import pytest
from oslo_utils import timeutils

import nova.conf
from nova.compute import task_states
from nova.compute import vm_states
from nova import objects
from tests.unit.compute import single_moves as moves

CONF = nova.conf.CONF
SNAPSHOT = '7b3d5e7a-4165-4c7d-9c2a-9d0e1f2a3b4c'


@pytest.fixture
def compute(fake_rpc):
    return moves.Host()


@pytest.fixture
def offload_time():
    def set_time(seconds):
        CONF.set_override('shelved_offload_time', seconds)
    yield set_time
    CONF.clear_override('shelved_offload_time')


def _shelve(compute, ctxt, instance):
    compute.image_api.add(SNAPSHOT, status='queued')
    compute.shelve_instance(ctxt, instance, image_id=SNAPSHOT, clean_shutdown=False)
    return moves.stored(ctxt, instance)


def test_shelve_keeps_the_guest_when_offloading_is_off(compute, ctxt, offload_time):
    offload_time(-1)
    instance = moves.make_instance(ctxt, compute, task_states.SHELVING)
    found = _shelve(compute, ctxt, instance)
    assert (found.vm_state, found.task_state, found.host) == (
        vm_states.SHELVED, None, moves.HOST)
    assert found.system_metadata['shelved_image_id'] == SNAPSHOT
    assert found.system_metadata['shelved_host'] == moves.HOST
    assert compute.image_api.images[SNAPSHOT]['status'] == 'active'
    assert compute.driver.instances[instance.uuid].state == 4
    assert compute.reportclient.freed == []


def test_shelve_offloads_at_once_by_default(compute, ctxt, offload_time):
    offload_time(0)
    instance = moves.make_instance(ctxt, compute, task_states.SHELVING)
    found = _shelve(compute, ctxt, instance)
    assert (found.vm_state, found.task_state, found.host, found.node) == (
        vm_states.SHELVED_OFFLOADED, None, None, None)
    assert instance.uuid not in compute.driver.instances
    assert compute.reportclient.freed == [instance.uuid]


def test_the_periodic_offloads_servers_shelved_long_enough(compute, ctxt, offload_time):
    offload_time(600)
    instance = moves.make_instance(ctxt, compute, task_states.SHELVING)
    found = _shelve(compute, ctxt, instance)
    compute._poll_shelved_instances(ctxt)
    assert moves.stored(ctxt, instance).vm_state == vm_states.SHELVED
    past = timeutils.utcnow() - datetime.timedelta(seconds=1200)
    found.system_metadata = dict(found.system_metadata, shelved_at=past.isoformat())
    found.save()
    compute._poll_shelved_instances(ctxt)
    assert moves.stored(ctxt, instance).vm_state == vm_states.SHELVED_OFFLOADED


def _offloaded_and_unshelving(compute, ctxt, offload_time):
    offload_time(0)
    instance = moves.make_instance(ctxt, compute, task_states.SHELVING)
    found = _shelve(compute, ctxt, instance)
    found.task_state = task_states.UNSHELVING
    found.save()
    return instance, found


def test_unshelve_spawns_from_the_snapshot_and_deletes_it(compute, ctxt, offload_time):
    instance, found = _offloaded_and_unshelving(compute, ctxt, offload_time)
    compute.unshelve_instance(ctxt, found, node=moves.HOST)
    found = moves.stored(ctxt, instance)
    assert (found.vm_state, found.task_state, found.host) == (
        vm_states.ACTIVE, None, moves.HOST)
    assert 'shelved_image_id' not in found.system_metadata
    assert found.image_ref == moves.IMAGE
    assert compute.driver.instances[instance.uuid].image_id == SNAPSHOT
    assert compute.image_api.deleted == [SNAPSHOT]


def test_a_failed_unshelve_leaves_the_server_offloaded(compute, ctxt, offload_time):
    instance, found = _offloaded_and_unshelving(compute, ctxt, offload_time)
    compute.driver.fail_spawn = True
    compute.unshelve_instance(ctxt, found, node=moves.HOST)
    found = moves.stored(ctxt, instance)
    assert (found.vm_state, found.task_state, found.host) == (
        vm_states.SHELVED_OFFLOADED, None, None)
    assert compute.reportclient.freed == [instance.uuid, instance.uuid]
    assert SNAPSHOT in compute.image_api.images  # kept for the next try
    assert len(moves.faults(ctxt, instance)) == 1


def _lose_replies(monkeypatch, method, count, after=True):
    """Make ``objects.Instance.<method>`` lose its reply ``count`` times, as a
    busy conductor does (MessagingTimeout); ``after``: the call had done its work."""
    real = getattr(objects.Instance, method)
    lost = []

    def flaky(self, *args, **kwargs):
        if len(lost) < count:
            lost.append(method)
            if after:
                real(self, *args, **kwargs)
            raise messaging.MessagingTimeout('injected: no reply from conductor')
        return real(self, *args, **kwargs)
    monkeypatch.setattr(objects.Instance, method, flaky)
    return lost


@pytest.mark.parametrize('after', [True, False])
def test_an_unshelve_survives_lost_replies_to_its_saves(compute, ctxt, offload_time,
                                                        monkeypatch, after):
    instance, found = _offloaded_and_unshelving(compute, ctxt, offload_time)
    lost = _lose_replies(monkeypatch, 'save', 2, after=after)
    compute.unshelve_instance(ctxt, found, node=moves.HOST)
    found = moves.stored(ctxt, instance)
    assert lost == ['save', 'save']
    assert (found.vm_state, found.task_state, found.host) == (
        vm_states.ACTIVE, None, moves.HOST)
    assert len(moves.faults(ctxt, instance)) == 0


def test_a_failed_unshelve_ends_offloaded_though_conductor_is_slow_to_answer(
        compute, ctxt, offload_time, monkeypatch):
    instance, found = _offloaded_and_unshelving(compute, ctxt, offload_time)
    compute.driver.fail_spawn = True
    lost = _lose_replies(monkeypatch, 'refresh', 2, after=False)
    compute.unshelve_instance(ctxt, found, node=moves.HOST)
    found = moves.stored(ctxt, instance)
    assert lost == ['refresh', 'refresh']
    assert (found.vm_state, found.task_state, found.host) == (
        vm_states.SHELVED_OFFLOADED, None, None)
    assert len(moves.faults(ctxt, instance)) == 1


@pytest.fixture
def neutron(monkeypatch):
    from nova.compute import ports
    from tests.unit.network import fake_neutron
    n = fake_neutron.install(monkeypatch, host_bindable=(moves.HOST,))
    n.private = n.add_network('private', project_id='p', cidr='10.0.0.0/24')
    n.add_security_group('default', project_id='p')
    monkeypatch.setattr(ports, '_API', [])
    return n


def _with_a_port(ctxt, instance, neutron):
    from nova.compute import ports
    ports.allocate(ctxt, instance, [{'uuid': neutron.private['id']}], moves.HOST)
    (port,) = neutron.ports.values()
    return port['id']


def test_offload_unbinds_the_ports_and_unshelve_binds_them_again(compute, ctxt,
                                                                 offload_time, neutron):
    offload_time(0)
    instance = moves.make_instance(ctxt, compute, task_states.SHELVING)
    port_id = _with_a_port(ctxt, instance, neutron)
    found = _shelve(compute, ctxt, instance)
    port = neutron.ports[port_id]
    assert (port['binding:host_id'], port['device_id']) == ('', instance.uuid)
    found.task_state = task_states.UNSHELVING
    found.save()
    compute.unshelve_instance(ctxt, found, node=moves.HOST)
    assert neutron.ports[port_id]['binding:host_id'] == moves.HOST
    cached = objects.Instance.get_by_uuid(ctxt, instance.uuid, expected_attrs=['info_cache'])
    assert [v['id'] for v in cached.info_cache.network_info] == [port_id]
    assert cached.info_cache.network_info[0]['type'] == 'ovs'


def test_an_unshelve_whose_ports_cannot_bind_here_ends_offloaded_unbound(
        compute, ctxt, offload_time, neutron):
    offload_time(0)
    instance = moves.make_instance(ctxt, compute, task_states.SHELVING)
    port_id = _with_a_port(ctxt, instance, neutron)
    found = _shelve(compute, ctxt, instance)
    found.task_state = task_states.UNSHELVING
    found.save()
    neutron.host_bindable.clear()
    compute.unshelve_instance(ctxt, found, node=moves.HOST)
    found = moves.stored(ctxt, instance)
    assert (found.vm_state, found.host) == (vm_states.SHELVED_OFFLOADED, None)
    assert neutron.ports[port_id]['binding:host_id'] == ''
    assert instance.uuid not in compute.driver.instances
