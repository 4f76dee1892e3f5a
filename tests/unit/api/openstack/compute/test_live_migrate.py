"""os-migrateLive through the paste app: schemas by microversion, policy, the
checks before a move, the task state and the action record.

Casts to conductor go to oslo.messaging's fake transport, where nobody
consumes them (tests/functional/moves/test_live_migration_flow.py follows
the migration through real services).
"""

import pytest

from nova.compute import vm_states
from nova import context as nova_context
from nova import objects
from tests.unit.api.openstack.compute.test_server_resize import _action
from tests.unit.api.openstack.compute.test_server_resize import _actions
from tests.unit.api.openstack.compute.test_server_resize import _reload
from tests.unit.api.openstack.compute.test_server_resize import server  # noqa: F401


def _live(client, server, version, **body):  # noqa: F811
    return _action(client, server, {'os-migrateLive': body}, version=version)


# From 2.34 the API casts to conductor; before it waits for conductor's
# checks, which nobody answers here (the functional tests cover 2.1).
@pytest.mark.parametrize('version,body', [
    ('2.34', {'host': None, 'block_migration': True, 'force': False}),
    ('2.67', {'host': None, 'block_migration': 'auto'}),
    ('2.68', {'host': None, 'block_migration': 'auto'}),
])
def test_accepted_bodies_move_into_migrating(admin, server, cell1, version,  # noqa: F811
                                             body):
    resp = _live(admin, server, version, **body)
    assert resp.status_int == 202, resp.body
    assert _reload(cell1, server).task_state == 'migrating'
    assert 'live-migration' in _actions(admin, server)


@pytest.mark.parametrize('version,body', [
    ('2.1', {'host': None, 'block_migration': 'auto', 'disk_over_commit': False}),
    ('2.1', {'host': None, 'block_migration': False}),
    ('2.24', {'host': None, 'block_migration': 'auto', 'disk_over_commit': False}),
    ('2.26', {'host': None, 'block_migration': 'auto', 'disk_over_commit': False}),
    ('2.25', {'block_migration': 'auto'}),
    ('2.29', {'host': None, 'block_migration': 'auto', 'force': True}),
    ('2.68', {'host': 'host1', 'block_migration': 'auto', 'force': True}),
    ('2.30', {'host': None, 'block_migration': 'auto', 'force': True}),
    ('2.30', {'host': 'bad host!', 'block_migration': 'auto'}),
    ('2.30', {'host': 'no-such-host', 'block_migration': 'auto'}),
])
def test_refused_bodies_change_nothing(admin, server, cell1, version, body):  # noqa: F811
    resp = _live(admin, server, version, **body)
    assert resp.status_int == 400, resp.body
    assert 'badRequest' in resp.json_body_or_none
    assert _reload(cell1, server).task_state is None


def test_only_administrators_by_default(user, server, cell1):  # noqa: F811
    resp = _live(user, server, '2.68', host=None, block_migration='auto')
    assert resp.status_int == 403, resp.body
    assert _reload(cell1, server).task_state is None


def test_a_stopped_or_busy_server_is_a_conflict(admin, server, cell1):  # noqa: F811
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server.uuid)
        instance.vm_state = vm_states.STOPPED
        instance.save()
    resp = _live(admin, server, '2.68', host=None, block_migration='auto')
    assert resp.status_int == 409, resp.body
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance.vm_state = vm_states.ACTIVE
        instance.task_state = 'migrating'
        instance.save()
    resp = _live(admin, server, '2.68', host=None, block_migration='auto')
    assert resp.status_int == 409, resp.body
