"""Compute RPC 6.11 (live migration): versions, pins, and the fake driver's part of
each step on two hosts' worth of drivers."""

import contextlib
import threading
from unittest import mock

import pytest

import nova.conf
from nova.compute import live_migration
from nova.compute import power_state
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.virt import fake
from tests.unit.compute.test_resize import _instance
from tests.unit.compute.test_resize import UUID
from tests.unit.compute.test_resize import fake_transport  # noqa: F401

CONF = nova.conf.CONF
objects.register_all()


class _Progress(object):
    """What the driver sees of a migration: figures to set, saves counted (the
    RPC tests get a real Migration)."""

    saves = 0

    def save(self):
        self.saves += 1


def _two_hosts(monkeypatch, steps=4):
    monkeypatch.setattr(fake.FakeDriver, 'live_migration_step_seconds', 0)
    monkeypatch.setattr(fake.FakeDriver, 'live_migration_steps', steps)
    ctxt = nova_context.get_admin_context()
    source, dest = fake.FakeDriver(None), fake.FakeDriver(None)
    source._nodename, dest._nodename = 'src', 'dst'
    instance = _instance(ctxt)
    source.spawn(ctxt, instance, None, [], None, None)
    return ctxt, source, dest, instance


def _checked(ctxt, source, dest, instance, block_migration=None):
    data = dest.check_can_live_migrate_destination(ctxt, instance, block_migration, False)
    return source.check_can_live_migrate_source(ctxt, instance, data)


def test_a_fake_live_migration_moves_the_guest_with_its_console(monkeypatch):
    ctxt, source, dest, instance = _two_hosts(monkeypatch)
    data = _checked(ctxt, source, dest, instance)
    assert data['block_migration'] is True  # "auto": fake hosts share no storage
    assert any('booted' in line for line in data['console'])
    data = dest.pre_live_migration(ctxt, instance, True, data)
    assert dest.get_info(instance).state == power_state.PAUSED  # incoming
    migration = _Progress()
    source.live_migration(ctxt, instance, 'dst', True, data, migration)
    assert migration.saves == 4
    assert migration.memory_total == 512 * 1024 * 1024 == migration.memory_processed
    assert migration.memory_remaining == 0 == migration.disk_remaining
    assert migration.disk_total == 1024 ** 3
    source.post_live_migration_at_source(ctxt, instance, data)
    dest.post_live_migration_at_destination(ctxt, instance, True)
    assert instance.uuid not in source.list_instance_uuids()
    assert dest.get_info(instance).state == power_state.RUNNING
    console = dest.get_console_output(ctxt, instance)
    assert 'booted' in console and 'arrived by live migration on dst' in console


def test_no_block_migration_copies_no_disk(monkeypatch):
    ctxt, source, dest, instance = _two_hosts(monkeypatch, steps=1)
    data = _checked(ctxt, source, dest, instance, block_migration=False)
    assert data['block_migration'] is False
    migration = _Progress()
    source.live_migration(ctxt, instance, 'dst', False, data, migration)
    assert migration.disk_total == 0


def _running(source, ctxt, instance, data, migration):
    errors = []

    def run():
        try:
            source.live_migration(ctxt, instance, 'dst', True, data, migration)
        except Exception as exc:
            errors.append(exc)
    thread = threading.Thread(target=run)
    thread.start()
    for _ in range(500):
        if instance.uuid in source._live_controls():
            break
        thread.join(0.01)
    return thread, errors


def test_abort_stops_it_and_the_guest_stays(monkeypatch):
    ctxt, source, dest, instance = _two_hosts(monkeypatch, steps=10 ** 6)
    monkeypatch.setattr(fake.FakeDriver, 'live_migration_step_seconds', 0.01)
    data = dest.pre_live_migration(ctxt, instance, True, _checked(ctxt, source, dest,
                                                                   instance))
    thread, errors = _running(source, ctxt, instance, data, _Progress())
    source.live_migration_abort(instance)
    thread.join(10)
    assert [type(e) for e in errors] == [exception.LiveMigrationAborted]
    assert source.get_info(instance).state == power_state.RUNNING
    dest.rollback_live_migration_at_destination(ctxt, instance, True, data)
    assert instance.uuid not in dest.list_instance_uuids()
    # Nothing runs now: another abort is refused.
    with pytest.raises(exception.MigrationError):
        source.live_migration_abort(instance)


def test_force_complete_finishes_at_once(monkeypatch):
    ctxt, source, dest, instance = _two_hosts(monkeypatch, steps=10 ** 6)
    monkeypatch.setattr(fake.FakeDriver, 'live_migration_step_seconds', 0.01)
    data = _checked(ctxt, source, dest, instance)
    migration = _Progress()
    thread, errors = _running(source, ctxt, instance, data, migration)
    source.live_migration_force_complete(instance)
    thread.join(10)
    assert not thread.is_alive() and errors == []
    assert migration.memory_remaining == 0


# --- the ports' bindings: who drops the destination's when it goes wrong ---------------

class _Books(object):
    def __init__(self):
        self.claims = []

    def move_claim(self, context, uuid, flavor, node):
        self.claims.append(uuid)

    def drop_move_claim(self, context, uuid):
        self.claims.remove(uuid)


class _Host(live_migration.LiveMigrationOperations):
    host = 'dst'

    def __init__(self, monkeypatch):
        self.rt = _Books()
        self.driver = fake.FakeDriver(None)
        self.driver._nodename = 'dst'
        self.reportclient = mock.Mock()
        self.compute_rpcapi = mock.Mock()
        self.dropped = []
        monkeypatch.setattr(live_migration.compute_utils, 'notify_about_instance_action',
                            lambda *a, **kw: None)
        monkeypatch.setattr(live_migration.compute_utils, 'event_reporter',
                            lambda *a: contextlib.nullcontext())
        monkeypatch.setattr(live_migration.compute_utils, 'add_instance_fault_from_exc',
                            lambda *a, **kw: None)
        monkeypatch.setattr(live_migration.ports, 'bind_for_live_migration',
                            lambda ctxt, inst, host: ['port-1'])
        monkeypatch.setattr(live_migration.ports, 'drop_live_migration_bindings',
                            lambda ctxt, inst, host: self.dropped.append(host))


def test_a_destination_whose_driver_fails_drops_its_bindings_and_claim(monkeypatch):
    host = _Host(monkeypatch)
    ctxt = nova_context.get_admin_context()
    instance = _instance(ctxt)
    monkeypatch.setattr(host.driver, 'pre_live_migration',
                        mock.Mock(side_effect=exception.MigrationError(reason='disk')))
    with pytest.raises(exception.MigrationError):
        host.pre_live_migration(ctxt, instance, True, {})
    assert host.dropped == ['dst'] and host.rt.claims == []


@pytest.mark.parametrize('prepared,dest_answers,dropped_here', [
    (True, True, []),          # the destination drops its own
    (True, False, ['dst']),    # it cannot be asked: the source drops them
    (False, True, ['dst']),    # pre_live_migration failed or its reply was lost
])
def test_a_rollback_drops_the_destination_bindings_once(monkeypatch, prepared, dest_answers,
                                                         dropped_here):
    host = _Host(monkeypatch)
    host.host = 'src'
    ctxt = nova_context.get_admin_context()
    instance = mock.Mock(uuid=UUID)
    if not dest_answers:
        host.compute_rpcapi.rollback_live_migration_at_destination.side_effect = \
            exception.ComputeServiceUnavailable(host='dst')
    host._get_power_state = lambda inst: power_state.RUNNING
    host._rollback_live_migration(ctxt, instance, 'dst', mock.Mock(), {}, prepared, 'error')
    assert host.dropped == dropped_here
    assert host.compute_rpcapi.rollback_live_migration_at_destination.called == prepared


def test_the_destination_drops_its_bindings_on_rollback_even_if_its_driver_fails(
        monkeypatch):
    host = _Host(monkeypatch)
    ctxt = nova_context.get_admin_context()
    instance = _instance(ctxt)
    host.rt.claims.append(instance.uuid)
    monkeypatch.setattr(host.driver, 'rollback_live_migration_at_destination',
                        mock.Mock(side_effect=RuntimeError('libvirt')))
    with pytest.raises(RuntimeError):
        host.rollback_live_migration_at_destination(ctxt, instance, True, {})
    assert host.dropped == ['dst'] and host.rt.claims == []
