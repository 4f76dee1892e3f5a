"""nova.context: who calls (admin from roles, read_deleted), how a context travels
over RPC, and aiming it at a cell (connections made once per cell and its URLs)."""

import datetime
import types

import pytest

from nova import context as nova_context


def test_admin_comes_from_the_roles_unless_given():
    assert nova_context.RequestContext('u', 'p', roles=['Admin']).is_admin is True
    assert nova_context.RequestContext('u', 'p', roles=['member']).is_admin is False
    assert nova_context.RequestContext('u', 'p', is_admin=False,
                                       roles=['admin']).is_admin is False


def test_read_deleted_takes_three_values():
    ctxt = nova_context.RequestContext('u', 'p')
    for value in ('no', 'yes', 'only'):
        ctxt.read_deleted = value
        assert ctxt.read_deleted == value
    with pytest.raises(ValueError):
        ctxt.read_deleted = 'maybe'
    with pytest.raises(ValueError):
        nova_context.RequestContext('u', 'p', read_deleted=True)


def test_round_trip_through_a_dict():
    when = datetime.datetime(2026, 1, 2, 3, 4, 5, 678)
    ctxt = nova_context.RequestContext('u', 'p', roles=['member'], read_deleted='yes',
                                       remote_address='10.0.0.1', timestamp=when,
                                       quota_class='gold', service_catalog=[{'type': 'x'}],
                                       overwrite=False)
    values = ctxt.to_dict()
    assert values['timestamp'] == '2026-01-02T03:04:05.000678'
    again = nova_context.RequestContext.from_dict(values)
    assert (again.user_id, again.project_id, again.is_admin, again.read_deleted) == (
        'u', 'p', False, 'yes')
    assert again.timestamp == when and again.request_id == ctxt.request_id
    assert (again.remote_address, again.quota_class, again.service_catalog) == (
        '10.0.0.1', 'gold', [{'type': 'x'}])


def test_elevated_is_an_admin_copy():
    ctxt = nova_context.RequestContext('u', 'p', roles=['member'], overwrite=False)
    admin = ctxt.elevated(read_deleted='yes')
    assert admin.is_admin and 'admin' in admin.roles and admin.read_deleted == 'yes'
    assert not ctxt.is_admin and ctxt.roles == ['member'] and ctxt.read_deleted == 'no'
    assert admin.elevated().roles.count('admin') == 1
    assert admin.to_policy_values()['is_admin'] is True


def test_admin_and_user_contexts():
    admin = nova_context.get_admin_context(read_deleted='only')
    assert admin.is_admin and admin.read_deleted == 'only' and admin.user_id is None
    assert not nova_context.get_context().is_admin
    assert nova_context.is_user_context(nova_context.RequestContext('u', 'p'))
    assert not nova_context.is_user_context(admin)
    assert not nova_context.is_user_context(nova_context.RequestContext('u', None))
    assert not nova_context.is_user_context(None)


def _cell(uuid, db='sqlite://', mq='none:///'):
    return types.SimpleNamespace(uuid=uuid, database_connection=db, transport_url=mq)


def test_target_cell_aims_a_copy_and_reuses_connections():
    nova_context.reset_cell_cache()
    try:
        ctxt = nova_context.get_admin_context()
        cell = _cell('c1')
        with nova_context.target_cell(ctxt, cell) as cctxt:
            assert cctxt.cell_uuid == 'c1' and cctxt.db_connection is not None
            assert cctxt.mq_connection is None  # 'none:' cells get no transport
            first = cctxt.db_connection
        assert ctxt.cell_uuid is None and ctxt.db_connection is None
        with nova_context.target_cell(ctxt, cell) as cctxt:
            assert cctxt.db_connection is first
        # the cell's database moved: new connections
        with nova_context.target_cell(ctxt, _cell('c1', db='sqlite:///:memory:')) as cctxt:
            assert cctxt.db_connection is not first
        nova_context.set_target_cell(ctxt, cell)
        nova_context.set_target_cell(ctxt, None)
        assert (ctxt.cell_uuid, ctxt.db_connection, ctxt.mq_connection) == (None, None, None)
        nova_context.reset_cell_cache()
        assert nova_context._CELL_CACHE == {}
    finally:
        nova_context.reset_cell_cache()
