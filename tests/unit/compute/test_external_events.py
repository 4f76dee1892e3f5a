"""The compute manager's external event handling on real Instance rows: power-update,
network-vif-plugged handed to the driver waiting for it, network-changed and
network-vif-deleted kept in the info cache (and the deleted port's NIC taken
from the guest)."""

import pytest
from oslo_utils import uuidutils

from nova.compute import external_events
from nova.compute import instance_events
from nova.compute import ports
from nova.compute import power_state
from nova import objects
from tests.unit.objects.conftest import _template_dbs, ctxt, dbs  # noqa: F401


class _Driver(object):
    def __init__(self):
        self.notified = []

    def power_update_event(self, instance, target):
        self.notified.append((instance.uuid, target))

    def detach_interface(self, context, instance, vif):
        self.notified.append((instance.uuid, 'detached', vif['id']))


class _Compute(external_events.ExternalEventOperations):
    """Just the mixin: the handler needs only a driver."""

    def __init__(self):
        self.driver = _Driver()
        self.instance_events = instance_events.InstanceEvents()


def _instance(context, **values):
    fields = dict(uuid=uuidutils.generate_uuid(), project_id='p', user_id='u', host='h1',
                  node='n1', vm_state='active', task_state=None,
                  power_state=power_state.RUNNING, display_name='vm', memory_mb=512,
                  vcpus=1)
    fields.update(values)
    instance = objects.Instance(context, **fields)
    instance.create()
    return instance


def _event(context, instance, name='power-update', tag='POWER_OFF'):
    return objects.InstanceExternalEvent(context, instance_uuid=instance.uuid, name=name,
                                         status='completed', tag=tag, data={})


@pytest.mark.parametrize('start,tag,end', [
    (('active', None, power_state.RUNNING), 'POWER_OFF', ('stopped', power_state.SHUTDOWN)),
    (('stopped', None, power_state.SHUTDOWN), 'POWER_ON', ('active', power_state.RUNNING)),
    # Already in the state the event announces: nothing changes.
    (('stopped', None, power_state.SHUTDOWN), 'POWER_OFF', ('stopped', power_state.SHUTDOWN)),
    # A task under way owns the state: the event is ignored.
    (('active', 'rebooting', power_state.RUNNING), 'POWER_OFF',
     ('active', power_state.RUNNING)),
])
def test_power_update(ctxt, start, tag, end):  # noqa: F811
    objects.register_all()
    vm_state, task_state, power = start
    instance = _instance(ctxt, vm_state=vm_state, task_state=task_state, power_state=power)
    compute = _Compute()
    compute.external_instance_event(ctxt, [instance], [_event(ctxt, instance, tag=tag)])
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid)
    assert (stored.vm_state, stored.power_state) == end
    changed = end[0] != vm_state
    assert compute.driver.notified == ([(instance.uuid, tag)] if changed else [])


def test_other_events_change_nothing(ctxt):  # noqa: F811
    objects.register_all()
    instance = _instance(ctxt)
    other = _instance(ctxt)
    compute = _Compute()
    events = [_event(ctxt, instance, name='network-changed', tag=None),
              _event(ctxt, instance, name='network-vif-plugged', tag='port-1'),
              # An event for an instance the cast did not carry is skipped.
              _event(ctxt, other)]
    compute.external_instance_event(ctxt, [instance], events)
    for uuid in (instance.uuid, other.uuid):
        stored = objects.Instance.get_by_uuid(ctxt, uuid)
        assert (stored.vm_state, stored.power_state) == ('active', power_state.RUNNING)
    assert events[1].key == 'network-vif-plugged-port-1'
    assert compute.driver.notified == []


def test_plug_events_reach_their_waiter_before_other_events(ctxt, monkeypatch):  # noqa: F811
    objects.register_all()
    instance = _instance(ctxt)
    compute = _Compute()
    waiter = compute.instance_events.prepare(instance.uuid, 'network-vif-plugged', 'port-1')
    seen = []
    monkeypatch.setattr(ports, 'network_api_enabled', lambda: True)

    class _Net(object):
        def get_instance_nw_info(self, context, inst, preserved=()):
            seen.append(waiter.event is not None)
            return [{'id': 'port-1'}]
    monkeypatch.setattr(ports, 'network_api', _Net)
    compute.external_instance_event(ctxt, [instance], [
        _event(ctxt, instance, name='network-changed', tag='port-1'),
        _event(ctxt, instance, name='network-vif-plugged', tag='port-1')])
    assert waiter.wait(0) and waiter.event.status == 'completed'
    # The refresh ran after the plug event was delivered, and was cached.
    assert seen == [True]
    cache = objects.InstanceInfoCache.get_by_instance_uuid(ctxt, instance.uuid)
    assert cache.network_info == [{'id': 'port-1'}]
    compute.external_instance_event(ctxt, [instance], [
        _event(ctxt, instance, name='network-vif-deleted', tag='port-1')])
    cache = objects.InstanceInfoCache.get_by_instance_uuid(ctxt, instance.uuid)
    assert cache.network_info == []
    # The guest's NIC of the deleted port went too.
    assert compute.driver.notified == [(instance.uuid, 'detached', 'port-1')]


def _cache_seen_by_refresh(ctxt, monkeypatch, instance):  # noqa: F811
    """What the network API found cached when a network-changed event refreshed."""
    seen = []
    monkeypatch.setattr(ports, 'network_api_enabled', lambda: True)

    class _Net(object):
        def get_instance_nw_info(self, context, inst, preserved=()):
            seen.append(ports.cached_network_info(inst))
            return [{'id': 'port-1', 'preserve_on_delete': True}]
    monkeypatch.setattr(ports, 'network_api', _Net)
    _Compute().external_instance_event(ctxt, [instance], [
        _event(ctxt, instance, name='network-changed', tag='port-1')])
    return seen


def test_network_changed_keeps_the_users_ports_marked(ctxt, monkeypatch):  # noqa: F811
    objects.register_all()
    created = _instance(ctxt)
    ports.save_network_info(ctxt, created, [{'id': 'port-1', 'preserve_on_delete': True}])
    # As the API sends it: the instance without its info cache.
    instance = objects.Instance.get_by_uuid(ctxt, created.uuid, expected_attrs=[])
    assert not instance.obj_attr_is_set('info_cache')
    assert _cache_seen_by_refresh(ctxt, monkeypatch, instance) == [
        [{'id': 'port-1', 'preserve_on_delete': True}]]


def test_network_changed_sees_the_cache_a_build_saved_after_the_event_was_loaded(
        ctxt, monkeypatch):  # noqa: F811
    objects.register_all()
    created = _instance(ctxt)
    ports.save_network_info(ctxt, created, [])
    # The event's copy was read before the build saved the user's port in the cache.
    instance = objects.Instance.get_by_uuid(ctxt, created.uuid)
    ports.save_network_info(ctxt, created, [{'id': 'port-1', 'preserve_on_delete': True}])
    assert _cache_seen_by_refresh(ctxt, monkeypatch, instance) == [
        [{'id': 'port-1', 'preserve_on_delete': True}]]
