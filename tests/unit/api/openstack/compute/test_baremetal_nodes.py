"""/os-baremetal-nodes through the paste app: the Ironic proxy without Ironic."""

import pytest


def test_listing_and_showing_answer_501_without_ironic(admin):
    for path in ('/os-baremetal-nodes', '/os-baremetal-nodes/058d27fa-241b-445a-a386'):
        res = admin.get(path)
        assert res.status_int == 501, path
        assert res.json_body_or_none['notImplemented']['code'] == 501


def test_policy_comes_first(user):
    res = user.get('/os-baremetal-nodes')
    assert res.status_int == 403 and 'forbidden' in res.json_body_or_none


@pytest.mark.parametrize('method,path,body,command', [
    ('POST', '/os-baremetal-nodes', {'node': {}}, 'node-create'),
    ('DELETE', '/os-baremetal-nodes/1', None, 'node-delete'),
    ('POST', '/os-baremetal-nodes/1/action', {'add_interface': {}}, 'port-create'),
    ('POST', '/os-baremetal-nodes/1/action', {'remove_interface': {}}, 'port-delete'),
])
def test_changes_point_at_ironic(admin, method, path, body, command):
    res = admin.request(method, path, body)
    assert res.status_int == 400
    assert command in res.json_body_or_none['badRequest']['message']


def test_gone_from_2_36(admin):
    assert admin.get('/os-baremetal-nodes', version='2.36').status_int == 404
    assert admin.get('/os-baremetal-nodes/1', version='2.36').status_int == 404
    assert admin.post('/os-baremetal-nodes', {'node': {}}, version='2.36').status_int == 404
    assert admin.get('/os-baremetal-nodes', version='2.35').status_int == 501
