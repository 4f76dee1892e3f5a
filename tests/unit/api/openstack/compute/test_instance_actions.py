"""A server's action log (os-instance-actions) through the paste app: the views in the
samples' shapes per microversion, events shown to non-admins from 2.51."""

from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_server_actions import _action
from tests.unit.api.openstack.compute.test_server_actions import server  # noqa: F401


def test_instance_action_views_match_samples(user, admin, server, max_version):  # noqa: F811
    _action(user, server, {'os-stop': None})
    for version in ('2.1', '2.58', '2.84'):
        folder = 'os-instance-actions' + ('' if version == '2.1' else '/v' + version)
        listed = user.get('/servers/%s/os-instance-actions' % server.uuid,
                          version=version).json_body_or_none['instanceActions']
        expected = sample('%s/instance-actions-list-resp.json' % folder)
        assert sorted(listed[0]) == sorted(expected['instanceActions'][0])
        request_id = listed[0]['request_id']
        shown = admin.get('/servers/%s/os-instance-actions/%s' % (server.uuid, request_id),
                          version=version).json_body_or_none['instanceAction']
        expected = sample('%s/instance-action-get-resp.json' % folder)['instanceAction']
        assert sorted(shown) == sorted(expected)


def test_non_admin_events_before_and_after_251(user, server):  # noqa: F811
    _action(user, server, {'os-stop': None})
    request_id = user.get('/servers/%s/os-instance-actions' % server.uuid
                          ).json_body_or_none['instanceActions'][0]['request_id']
    path = '/servers/%s/os-instance-actions/%s' % (server.uuid, request_id)
    assert 'events' not in user.get(path, version='2.50').json_body_or_none['instanceAction']
    assert user.get(path, version='2.51').json_body_or_none['instanceAction']['events'] == []
    assert user.get(path + 'x').status_int == 404
