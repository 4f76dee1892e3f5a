"""Compute RPC 6.7 (resize and cold migration): versions, pins, and the fake
driver's part of each step.

The RPC client is checked against oslo.messaging's fake transport: a pin
below 6.7 refuses the move before anything is sent. The fake driver is two
hosts' worth of drivers, each holding its own guests, so what the source and
the destination keep after each step is what nova-compute would see.
"""

import pytest

import nova.conf
from nova.compute import manager
from nova.compute import power_state
from nova.compute import resize
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import vm_states
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.objects import service as service_obj
from nova import rpc
from nova.virt import fake

CONF = nova.conf.CONF
UUID = '8b0c3d6e-2f41-4e7a-9a55-0c1d2e3f4a5b'


@pytest.fixture
def fake_transport():
    objects.register_all()
    rpc.register_opts(CONF)
    CONF.set_override('transport_url', 'fake:/')
    rpc.cleanup()
    rpc.init(CONF)
    yield
    rpc.cleanup()
    CONF.clear_override('transport_url')
    CONF.clear_override('compute', group='upgrade_levels')


def _instance(ctxt):
    flavor = objects.Flavor(id=1, vcpus=1, memory_mb=512, flavorid='1', name='m1.tiny',
                            root_gb=1, ephemeral_gb=0, swap=0, extra_specs={})
    return objects.Instance(ctxt, uuid=UUID, host='src', node='src', flavor=flavor,
                            system_metadata={})


def _migration(source='src', dest='dst'):
    return objects.Migration(id=7, uuid='4b3e1c2a-9d8f-4e7a-b6c5-d4e3f2a1b0c9',
                             source_compute=source, dest_compute=dest, source_node=source,
                             dest_node=dest, migration_type='resize', status='migrating')


def test_the_versions_agree():
    history = service_obj.SERVICE_VERSION_HISTORY
    assert manager.ComputeManager.target.version == compute_rpcapi.ComputeAPI.VERSION == \
        history[-1]['compute_rpc']
    assert len(history) == service_obj.SERVICE_VERSION + 1
    assert history[8]['compute_rpc'] == '6.7'


@pytest.mark.parametrize('method,args', [
    ('prep_resize', ('flavor', 'migration', 'spec', [], 'dst')),
    ('resize_instance', ('migration', 'flavor')),
    ('finish_resize', ('migration', '[]')),
    ('confirm_resize', ('migration',)),
    ('revert_resize', ('migration',)),
    ('finish_revert_resize', ('migration',)),
])
def test_a_pin_below_67_refuses_every_step(fake_transport, method, args):
    assert_pin_refuses('6.6', _migration(), method, args)


def assert_pin_refuses(pin, migration, method, args):
    """With ``[upgrade_levels] compute`` at ``pin`` the compute RPC client
    refuses ``method`` (``'migration'`` in ``args`` stands for ``migration``)."""
    CONF.set_override('compute', pin, group='upgrade_levels')
    ctxt = nova_context.get_admin_context()
    args = tuple(migration if a == 'migration' else a for a in args)
    with pytest.raises(exception.ComputeServiceUnavailable):
        getattr(compute_rpcapi.ComputeAPI(), method)(ctxt, _instance(ctxt), *args)


def test_fake_guest_moves_between_two_hosts():
    ctxt = nova_context.get_admin_context()
    source, dest = fake.FakeDriver(None), fake.FakeDriver(None)
    instance = _instance(ctxt)
    source.spawn(ctxt, instance, None, [], None, None)
    assert source.migrate_disk_and_power_off(ctxt, instance, 'dst', instance.flavor,
                                             []) == '[]'
    assert source.get_info(instance).state == power_state.SHUTDOWN
    migration = _migration()
    dest.finish_migration(ctxt, migration, instance, '[]', [], None, True, None,
                          power_on=True)
    assert dest.get_info(instance).state == power_state.RUNNING
    # A revert brings the source's guest back as it was told; a confirm drops it.
    source.finish_revert_migration(ctxt, instance, [], migration, power_on=False)
    assert source.get_info(instance).state == power_state.SHUTDOWN
    source.confirm_migration(ctxt, migration, instance, [])
    assert instance.uuid not in source.list_instance_uuids()
    assert instance.uuid in dest.list_instance_uuids()


def test_a_same_host_confirm_keeps_the_resized_guest():
    ctxt = nova_context.get_admin_context()
    driver = fake.FakeDriver(None)
    instance = _instance(ctxt)
    driver.spawn(ctxt, instance, None, [], None, None)
    migration = _migration(dest='src')
    driver.migrate_disk_and_power_off(ctxt, instance, 'src', instance.flavor, [])
    driver.finish_migration(ctxt, migration, instance, '[]', [], None, True, None)
    driver.confirm_migration(ctxt, migration, instance, [])
    assert driver.get_info(instance).state == power_state.RUNNING


@pytest.mark.parametrize('sysmeta,expected', [
    ({}, vm_states.ACTIVE), ({'old_vm_state': 'stopped'}, vm_states.STOPPED)])
def test_the_state_before_the_move_is_what_a_revert_restores(sysmeta, expected):
    instance = objects.Instance(system_metadata=sysmeta)
    assert resize._old_vm_state(instance) == expected


@pytest.mark.parametrize('state,expected', [
    (power_state.RUNNING, vm_states.ACTIVE), (power_state.SHUTDOWN, vm_states.STOPPED),
    (power_state.NOSTATE, vm_states.ACTIVE)])
def test_a_confirm_settles_on_the_guests_power_state(state, expected):
    assert resize._vm_state_of_power(state) == expected


def test_a_pin_at_67_lets_the_step_through(fake_transport):
    CONF.set_override('compute', '6.7', group='upgrade_levels')
    ctxt = nova_context.get_admin_context()
    compute_rpcapi.ComputeAPI().confirm_resize(ctxt, _instance(ctxt), _migration())
