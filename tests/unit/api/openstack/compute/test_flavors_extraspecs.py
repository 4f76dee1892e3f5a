"""A flavor's extra specs through the paste app: set, read by users, update one key,
delete, admins only; validated from 2.86 (refusing bad values, keeping custom keys),
stored as given before."""

NEW = {'flavor': {'name': 'm1.test', 'ram': 512, 'vcpus': 1, 'disk': 1, 'id': '42'}}
XS = {'flavor': {'name': 'm1.xs', 'ram': 512, 'vcpus': 1, 'disk': 1, 'id': '77'}}


def test_extra_specs(admin, user):
    admin.post('/flavors', NEW)
    res = admin.post('/flavors/42/os-extra_specs',
                     {'extra_specs': {'hw:cpu_policy': 'shared', 'hw:numa_nodes': 1}})
    assert res.status_int == 200
    assert res.json_body_or_none == {'extra_specs': {'hw:cpu_policy': 'shared',
                                                     'hw:numa_nodes': '1'}}
    assert user.get('/flavors/42/os-extra_specs').json_body_or_none['extra_specs'][
        'hw:numa_nodes'] == '1'
    assert admin.get('/flavors/42/os-extra_specs/hw:cpu_policy').json_body_or_none == {
        'hw:cpu_policy': 'shared'}
    res = admin.put('/flavors/42/os-extra_specs/hw:cpu_policy', {'hw:cpu_policy': 'dedicated'})
    assert res.json_body_or_none == {'hw:cpu_policy': 'dedicated'}
    res = admin.put('/flavors/42/os-extra_specs/hw:cpu_policy', {'other': 'x'})
    assert res.status_int == 400
    assert admin.delete('/flavors/42/os-extra_specs/hw:cpu_policy').status_int == 200
    assert admin.get('/flavors/42/os-extra_specs/hw:cpu_policy').status_int == 404
    assert user.post('/flavors/42/os-extra_specs',
                     {'extra_specs': {'a': 'b'}}).status_int == 403


def test_before_2_86_anything_is_stored(admin):
    assert admin.post('/flavors', XS).status_int == 200
    res = admin.post('/flavors/77/os-extra_specs',
                     {'extra_specs': {'hw:cpu_policy': 'bogus', 'hw:nope': 'x'}},
                     version='2.85')
    assert res.status_int == 200, res.body
    res = admin.put('/flavors/77/os-extra_specs/hw:numa_nodes',
                    {'hw:numa_nodes': 'zero'}, version='2.85')
    assert res.status_int == 200, res.body


def test_from_2_86_invalid_specs_are_rejected(admin):
    assert admin.post('/flavors', XS).status_int == 200
    res = admin.post('/flavors/77/os-extra_specs',
                     {'extra_specs': {'hw:cpu_policy': 'bogus'}}, version='2.86')
    assert res.status_int == 400
    body = res.json_body_or_none
    assert body['badRequest']['code'] == 400
    assert "'bogus' is not one of" in body['badRequest']['message']
    res = admin.put('/flavors/77/os-extra_specs/hw:numa_nodes',
                    {'hw:numa_nodes': 'zero'}, version='2.86')
    assert res.status_int == 400
    assert "'zero' is not a valid integer" in res.json_body_or_none['badRequest']['message']
    res = admin.post('/flavors/77/os-extra_specs',
                     {'extra_specs': {'hw:unknown_key': '1'}}, version='2.86')
    assert res.status_int == 400
    assert 'hw:unknown_key' in res.json_body_or_none['badRequest']['message']
    res = admin.post('/flavors/77/os-extra_specs',
                     {'extra_specs': {'vmware:no_such_key': '1'}}, version='2.86')
    assert res.status_int == 400
    assert admin.get('/flavors/77/os-extra_specs').json_body_or_none == {'extra_specs': {}}


def test_from_2_86_valid_and_custom_specs_are_stored(admin):
    assert admin.post('/flavors', XS).status_int == 200
    specs = {'hw:cpu_policy': 'dedicated', 'resources1:VCPU': '2',
             'trait1:HW_CPU_X86_AVX': 'required', 'mycorp:tier': 'gold',
             'powervm:min_mem': 'not validated since the driver left'}
    res = admin.post('/flavors/77/os-extra_specs', {'extra_specs': specs}, version='2.86')
    assert res.status_int == 200, res.body
    res = admin.put('/flavors/77/os-extra_specs/hw:numa_nodes',
                    {'hw:numa_nodes': '2'}, version='2.86')
    assert res.status_int == 200, res.body
    stored = admin.get('/flavors/77/os-extra_specs').json_body_or_none['extra_specs']
    assert stored == dict(specs, **{'hw:numa_nodes': '2'})
