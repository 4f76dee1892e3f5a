"""/servers/{id}/shares (2.97) through the paste app: no Manila, so no shares."""

from nova.compute import vm_states
from nova import context as nova_context
from nova import objects

SHARE = 'e8debdc0-447a-4376-a10a-4cd9122d7986'
V = '2.97'


def _path(server, suffix=''):
    return '/servers/%s/shares%s' % (server.uuid, suffix)


def _stop(instance, cell):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        stored = objects.Instance.get_by_uuid(cctxt, instance.uuid)
        stored.vm_state = vm_states.STOPPED
        stored.power_state = 4
        stored.save()


def test_a_server_lists_no_shares(user, active_server, max_version):
    res = user.get(_path(active_server), version=V)
    assert res.status_int == 200 and res.json_body_or_none == {'shares': []}


def test_only_from_2_97(user, active_server, max_version):
    assert user.get(_path(active_server), version='2.96').status_int == 404
    body = {'share': {'share_id': SHARE}}
    assert user.post(_path(active_server), body, version='2.96').status_int == 404


def test_showing_or_detaching_a_share_is_404(user, active_server, max_version):
    for method in ('GET', 'DELETE'):
        res = user.request(method, _path(active_server, '/' + SHARE), version=V)
        assert res.status_int == 404, method
        assert SHARE in res.json_body_or_none['itemNotFound']['message']


def test_attaching_needs_a_stopped_server_then_a_share_manila_knows(
        user, active_server, cell1, max_version):
    body = {'share': {'share_id': SHARE, 'tag': 'my-share'}}
    res = user.post(_path(active_server), body, version=V)
    assert res.status_int == 409 and 'conflictingRequest' in res.json_body_or_none
    _stop(active_server, cell1)
    res = user.post(_path(active_server), body, version=V)
    assert res.status_int == 404
    assert SHARE in res.json_body_or_none['itemNotFound']['message']


def test_bad_bodies_are_400(user, active_server, max_version):
    for body in ({}, {'share': {}}, {'share': {'share_id': 'not-a-uuid'}},
                 {'share': {'share_id': SHARE, 'tag': ''}},
                 {'share': {'share_id': SHARE, 'extra': 1}}):
        res = user.post(_path(active_server), body, version=V)
        assert res.status_int == 400, body


def test_unknown_server_is_404(user, paste_app, dbs, fake_rpc, max_version):  # noqa: F811
    missing = '9b9e0b39-5d64-4b8f-9b4c-3a1f0c2c0f00'
    assert user.get('/servers/%s/shares' % missing, version=V).status_int == 404
