"""Flavors, flavor-manage, extra specs and flavor access through the paste app."""

from tests.unit.api.conftest import sample

NEW = {'flavor': {'name': 'm1.test', 'ram': 512, 'vcpus': 1, 'disk': 1, 'id': '42'}}


def _keys(body):
    return sorted(body)


def test_generated_id_and_paging(admin):
    for i in range(3):
        body = {'flavor': {'name': 'f%d' % i, 'ram': 256 * (i + 1), 'vcpus': 1, 'disk': i}}
        assert admin.post('/flavors', body).status_int == 200
    page = admin.get('/flavors/detail?limit=2&sort_key=memory_mb').json_body_or_none
    assert [f['ram'] for f in page['flavors']] == [256, 512]
    assert page['flavors_links'][0]['rel'] == 'next'
    marker = page['flavors'][-1]['id']
    rest = admin.get('/flavors/detail?limit=2&sort_key=memory_mb&marker=%s' % marker)
    assert [f['ram'] for f in rest.json_body_or_none['flavors']] == [768]
    assert admin.get('/flavors?minRam=600').json_body_or_none['flavors'][0]['name'] == 'f2'
    assert admin.get('/flavors?limit=abc').status_int == 400
    assert admin.get('/flavors?marker=nope').status_int == 400
    assert admin.get('/flavors?minRam=x').status_int == 400


def test_private_flavor_access(admin, user):
    body = {'flavor': dict(NEW['flavor'], **{'os-flavor-access:is_public': False})}
    admin.post('/flavors', body)
    assert user.get('/flavors').json_body_or_none['flavors'] == []
    # Without access the flavor is not there for the user: not shown, not bootable.
    assert user.get('/flavors/42').status_int == 404
    res = user.post('/servers', {'server': {
        'name': 's', 'flavorRef': '42', 'imageRef': '70a599e0-31e7-49b7-b260-868f441e862b'}})
    assert res.status_int == 400, res.body
    assert 'Flavor 42 could not be found' in res.json_body_or_none['badRequest']['message']
    res = admin.post('/flavors/42/action', {'addTenantAccess': {'tenant': 'demoproject'}})
    assert res.json_body_or_none == {
        'flavor_access': [{'flavor_id': '42', 'tenant_id': 'demoproject'}]}
    assert [f['id'] for f in user.get('/flavors').json_body_or_none['flavors']] == ['42']
    assert user.get('/flavors/42').status_int == 200
    assert admin.get('/flavors/42/os-flavor-access').status_int == 200
    res = admin.post('/flavors/42/action', {'removeTenantAccess': {'tenant': 'demoproject'}})
    assert res.json_body_or_none == {'flavor_access': []}
    assert admin.post('/flavors/42/action', {'bogus': {}}).status_int == 404


def test_microversioned_fields(admin, max_version):
    body = {'flavor': dict(NEW['flavor'], description='small')}
    assert admin.post('/flavors', body, version='2.54').status_int == 400
    res = admin.post('/flavors', body, version='2.55')
    assert res.json_body_or_none['flavor']['description'] == 'small'
    res = admin.put('/flavors/42', {'flavor': {'description': 'new'}}, version='2.55')
    assert res.json_body_or_none['flavor']['description'] == 'new'
    assert admin.put('/flavors/42', {'flavor': {'description': 'x'}}).status_int == 404
    for version in ('2.55', '2.61', '2.75', '2.102'):
        got = admin.get('/flavors/42', version=version).json_body_or_none['flavor']
        expected = sample('flavors/v%s/flavor-get-resp.json' % version)['flavor']
        assert _keys(got) == _keys(expected), version
    assert admin.get('/flavors/42', version='2.75').json_body_or_none['flavor']['swap'] == 0


def test_name_filter_from_2_102(admin, max_version):
    for i in range(2):
        admin.post('/flavors', {'flavor': {'name': 'f%d' % i, 'ram': 256, 'vcpus': 1,
                                           'disk': 1, 'id': str(i)}})
    for path in ('/flavors', '/flavors/detail'):
        named = admin.get(path + '?name=f1', version='2.102').json_body_or_none['flavors']
        assert [f['id'] for f in named] == ['1']
        assert admin.get(path + '?name=nope', version='2.102').json_body_or_none == {
            'flavors': []}
        # 2.75-2.101 refuse unknown query parameters; before 2.75 they are ignored
        assert admin.get(path + '?name=f1', version='2.101').status_int == 400
        unfiltered = admin.get(path + '?name=f1', version='2.74').json_body_or_none
        assert len(unfiltered['flavors']) == 2
    assert admin.get('/flavors?name=', version='2.102').status_int == 400


def test_hypervisor_list_ignores_2_53_parameters_before_2_53(admin, max_version):
    # with_servers is not validated (nor used) before 2.53
    assert admin.get('/os-hypervisors?with_servers=maybe', version='2.52').status_int == 200
    assert admin.get('/os-hypervisors?with_servers=maybe', version='2.53').status_int == 400
