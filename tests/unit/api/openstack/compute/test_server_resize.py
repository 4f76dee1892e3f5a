"""resize, confirmResize, revertResize and migrate through the paste app.

The server lives in a real SQLite cell database with real flavors in the API
database; casts to conductor and compute go to oslo.messaging's fake
transport, where nobody consumes them: these tests see what the API itself
decides (schemas, policy, the checks before a move, task states, migration
statuses, action records). tests/functional/moves follows the moves through
real services.
"""

import pytest

from nova.compute import vm_states
from nova import context as nova_context
from nova import objects

FLAVORS = {'1': ('m1.tiny', 1, 512, 1), '2': ('m1.small', 2, 1024, 2),
           '3': ('m1.nodisk', 1, 512, 0)}
V256 = '2.56'


@pytest.fixture
def server(active_server, cell1):
    ctxt = nova_context.get_admin_context()
    made = {}
    for flavorid, (name, vcpus, ram, disk) in FLAVORS.items():
        made[flavorid] = objects.Flavor(ctxt, flavorid=flavorid, name=name, vcpus=vcpus,
                                        memory_mb=ram, root_gb=disk, ephemeral_gb=0,
                                        swap=0, rxtx_factor=1.0, is_public=True,
                                        disabled=False)
        made[flavorid].create()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, active_server.uuid)
        instance.flavor = made['1']
        instance.image_ref = 'cd3b9c39-0b3d-4a36-8b8a-2a9f0c4b6c11'
        instance.save()
        objects.InstanceAction.action_start(cctxt, instance.uuid, 'create',
                                            want_result=False)
    return active_server


def _reload(cell1, server):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        return objects.Instance.get_by_uuid(cctxt, server.uuid, expected_attrs=['flavor'])


def _action(client, server, body, version=None):
    return client.post('/servers/%s/action' % server.uuid, body, version=version)


def _actions(client, server):
    listed = client.get('/servers/%s/os-instance-actions' % server.uuid).json_body_or_none
    return [a['action'] for a in listed['instanceActions']]


def test_resize_moves_into_resize_prep_and_records_the_action(user, server, cell1):
    resp = _action(user, server, {'resize': {'flavorRef': '2', 'OS-DCF:diskConfig': 'AUTO'}})
    assert resp.status_int == 202, resp.body
    assert _reload(cell1, server).task_state == 'resize_prep'
    assert _actions(user, server) == ['resize', 'create']
    assert user.get('/servers/%s' % server.uuid).json_body_or_none['server']['status'] == \
        'RESIZE'
    again = _action(user, server, {'resize': {'flavorRef': '2'}})
    assert again.status_int == 409


@pytest.mark.parametrize('flavor,message', [
    ('1', 'When resizing, instances must change flavor!'),
    ('3', 'Resize to zero disk flavor is not allowed.'),
    ('99', 'Flavor 99 could not be found.'),
])
def test_a_resize_that_cannot_be_is_400(user, server, cell1, flavor, message):
    resp = _action(user, server, {'resize': {'flavorRef': flavor}})
    assert resp.status_int == 400, resp.body
    assert message in resp.json_body_or_none['badRequest']['message']
    assert _reload(cell1, server).task_state is None
    assert _actions(user, server) == ['create']


@pytest.mark.parametrize('body', [
    {'resize': {}}, {'resize': {'flavorRef': ''}}, {'resize': {'flavorRef': '2', 'x': 1}},
    {'resize': None}])
def test_resize_bodies_are_validated(user, server, body):
    assert _action(user, server, body).status_int == 400


def test_migrate_is_for_administrators_and_names_an_existing_host(user, admin, server,
                                                                   cell1):
    assert _action(user, server, {'migrate': None}).status_int == 403
    # A host only from 2.56 on.
    assert _action(admin, server, {'migrate': {'host': 'h'}}).status_int == 400
    unknown = _action(admin, server, {'migrate': {'host': 'nowhere'}}, version=V256)
    assert unknown.status_int == 400, unknown.body
    assert 'nowhere' in unknown.json_body_or_none['badRequest']['message']
    itself = _action(admin, server, {'migrate': {'host': 'host1'}}, version=V256)
    assert itself.status_int == 400
    resp = _action(admin, server, {'migrate': None}, version=V256)
    assert resp.status_int == 202, resp.body
    assert _reload(cell1, server).task_state == 'resize_prep'
    assert _actions(admin, server) == ['migrate', 'create']


def _resized(cell1, server):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server.uuid, expected_attrs=['flavor'])
        instance.vm_state = vm_states.RESIZED
        instance.old_flavor = instance.flavor
        instance.new_flavor = instance.flavor
        instance.save()
        migration = objects.Migration(cctxt, instance_uuid=server.uuid, status='finished',
                                      migration_type='resize', source_compute='host1',
                                      dest_compute='host2', source_node='host1',
                                      dest_node='host2', old_instance_type_id=1,
                                      new_instance_type_id=2)
        migration.create()
        return migration


def _migration_status(cell1, migration):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        return objects.Migration.get_by_id(cctxt, migration.id).status


def test_confirm_and_revert_need_a_resized_server(user, server):
    for body in ({'confirmResize': None}, {'revertResize': None}):
        resp = _action(user, server, body)
        assert resp.status_int == 409
        assert 'conflictingRequest' in resp.json_body_or_none


def test_confirm_marks_the_migration_confirming(user, server, cell1):
    migration = _resized(cell1, server)
    resp = _action(user, server, {'confirmResize': None})
    assert resp.status_int == 204, resp.body
    assert _migration_status(cell1, migration) == 'confirming'
    assert _actions(user, server) == ['confirmResize', 'create']


def test_revert_marks_the_migration_reverting(user, server, cell1):
    migration = _resized(cell1, server)
    resp = _action(user, server, {'revertResize': None})
    assert resp.status_int == 202, resp.body
    assert _migration_status(cell1, migration) == 'reverting'
    assert _reload(cell1, server).task_state == 'resize_reverting'
    assert user.get('/servers/%s' % server.uuid).json_body_or_none['server']['status'] == \
        'REVERT_RESIZE'


def test_a_resized_server_without_its_migration_is_400(user, server, cell1):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server.uuid)
        instance.vm_state = vm_states.RESIZED
        instance.save()
    resp = _action(user, server, {'confirmResize': None})
    assert resp.status_int == 400
    assert resp.json_body_or_none['badRequest']['message'] == 'Instance has not been resized.'
