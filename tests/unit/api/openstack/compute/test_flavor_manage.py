"""Flavor management (os-flavor-manage) through the paste app: create in the
samples' shape, delete, a duplicate is a conflict."""

from tests.unit.api.conftest import sample

NEW = {'flavor': {'name': 'm1.test', 'ram': 512, 'vcpus': 1, 'disk': 1, 'id': '42'}}


def _keys(body):
    return sorted(body)

def test_create_show_list_delete(admin):
    res = admin.post('/flavors', NEW)
    assert res.status_int == 200, res.body
    created = res.json_body_or_none['flavor']
    assert _keys(created) == _keys(sample('flavors/flavor-get-resp.json')['flavor'])
    assert created['id'] == '42' and created['swap'] == ''
    assert created['links'][0]['href'] == 'http://localhost/v2.1/flavors/42'
    assert created['links'][1]['href'] == 'http://localhost/flavors/42'
    show = admin.get('/flavors/42').json_body_or_none['flavor']
    assert show == created
    listed = admin.get('/flavors').json_body_or_none['flavors']
    assert [f['id'] for f in listed] == ['42']
    assert _keys(listed[0]) == _keys(sample('flavors/flavors-list-resp.json')['flavors'][0])
    detail = admin.get('/flavors/detail').json_body_or_none['flavors']
    assert detail[0] == created
    assert admin.delete('/flavors/42').status_int == 202
    assert admin.get('/flavors/42').status_int == 404


def test_duplicate_is_conflict(admin):
    admin.post('/flavors', NEW)
    res = admin.post('/flavors', NEW)
    assert res.status_int == 409
    assert 'conflictingRequest' in res.json_body_or_none
