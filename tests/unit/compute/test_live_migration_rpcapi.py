"""Compute RPC 6.11 (live migration): the versions agree, a pin below 6.11 refuses
every step, a pin at 6.11 lets them through."""

import pytest

import nova.conf
from nova.compute import live_migration_rpcapi
from nova.compute import rpcapi as compute_rpcapi
from nova import context as nova_context
from nova import objects
from nova.objects import service as service_obj
from tests.unit.compute.test_resize import _instance
from tests.unit.compute.test_resize import assert_pin_refuses
from tests.unit.compute.test_resize import fake_transport  # noqa: F401

CONF = nova.conf.CONF
objects.register_all()


def _migration():
    return objects.Migration(id=9, uuid='5c4f2d3b-0e9f-4f8b-a7d6-e5f4a3b2c1d0',
                             source_compute='src', dest_compute='dst',
                             migration_type='live-migration', status='running')


def test_the_versions_agree():
    history = service_obj.SERVICE_VERSION_HISTORY
    assert history[12]['compute_rpc'] == live_migration_rpcapi.VERSION == '6.11'


@pytest.mark.parametrize('method,args', [
    ('check_can_live_migrate_destination', ('dst', None, None, 'migration')),
    ('check_can_live_migrate_source', ({},)),
    ('live_migration', ('dst', True, 'migration', {})),
    ('pre_live_migration', (True, 'dst', {})),
    ('post_live_migration_at_destination', (True, 'dst', 'migration')),
    ('rollback_live_migration_at_destination', ('dst', True, {})),
    ('live_migration_force_complete', ('migration',)),
    ('live_migration_abort', (9,)),
])
def test_a_pin_below_611_refuses_every_step(fake_transport, method, args):  # noqa: F811
    assert_pin_refuses('6.10', _migration(), method, args)


def test_a_pin_at_611_lets_a_cast_through(fake_transport):  # noqa: F811
    CONF.set_override('compute', '6.11', group='upgrade_levels')
    ctxt = nova_context.get_admin_context()
    compute_rpcapi.ComputeAPI().live_migration_abort(ctxt, _instance(ctxt), 9)
