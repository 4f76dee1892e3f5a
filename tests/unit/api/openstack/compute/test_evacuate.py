"""The evacuate server action through the paste app, per microversion.

The server lives in a real SQLite cell database, its host's service record
in the same database; casts to conductor go to oslo.messaging's fake
transport, where nobody consumes them. tests/functional/moves follows an
evacuation through real services.
"""

import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.api.openstack.compute.test_server_resize import server  # noqa: F401


def _evacuate(client, server, body, version):  # noqa: F811
    return client.post('/servers/%s/action' % server.uuid, {'evacuate': body},
                       version=version)


def _host_down(cell1):
    ctxt = nova_context.get_admin_context()
    service = objects.Service.get_by_compute_host(ctxt, 'host1')
    service.forced_down = True
    service.save()


def _migrations(cell1, server):  # noqa: F811
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        return objects.MigrationList.get_by_filters(cctxt, {'instance_uuid': server.uuid})


def test_evacuate_is_for_administrators(user, server):  # noqa: F811
    assert _evacuate(user, server, {}, '2.68').status_int == 403


def test_a_host_still_up_is_400(admin, server, cell1):  # noqa: F811
    resp = _evacuate(admin, server, {}, '2.68')
    assert resp.status_int == 400
    assert resp.json_body_or_none['badRequest']['message'] == \
        'Compute service of host1 is still in use.'
    assert len(_migrations(cell1, server)) == 0


@pytest.mark.parametrize('body,version', [
    ({}, '2.13'),                                        # onSharedStorage required
    ({'onSharedStorage': False}, '2.14'),                 # and gone from 2.14
    ({'force': True}, '2.28'), ({'force': True}, '2.68'),  # force only 2.29 - 2.67
    ({'host': ''}, '2.68'), ({'extra': 1}, '2.68'),
])
def test_bodies_are_validated_per_microversion(admin, server, body, version):  # noqa: F811
    assert _evacuate(admin, server, body, version).status_int == 400


def test_evacuating_records_the_migration_and_the_action(admin, server, cell1):  # noqa: F811
    _host_down(cell1)
    assert _evacuate(admin, server, {'host': 'nowhere'}, '2.68').status_int == 404
    resp = _evacuate(admin, server, {}, '2.95')
    assert resp.status_int == 200, resp.body
    assert not resp.body
    [migration] = _migrations(cell1, server)
    assert (migration.migration_type, migration.status, migration.source_compute) == (
        'evacuation', 'accepted', 'host1')
    shown = admin.get('/servers/%s' % server.uuid).json_body_or_none['server']
    assert shown['status'] == 'REBUILD'
    listed = admin.get('/servers/%s/os-instance-actions' % server.uuid).json_body_or_none
    assert listed['instanceActions'][0]['action'] == 'evacuate'


def test_before_214_the_answer_carries_the_admin_password(admin, server, cell1):  # noqa: F811
    _host_down(cell1)
    resp = _evacuate(admin, server, {'onSharedStorage': False, 'adminPass': 'Secret1'},
                     '2.13')
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none == {'adminPass': 'Secret1'}
