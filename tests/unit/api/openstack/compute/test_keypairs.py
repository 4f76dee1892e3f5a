"""os-keypairs through the paste app."""

from tests.unit.api.conftest import sample

PUBLIC = sample('os-keypairs/keypairs-import-post-req.json')['keypair']['public_key']


def test_generate_list_show_delete(user):
    res = user.post('/os-keypairs', {'keypair': {'name': 'gen'}})
    assert res.status_int == 200, res.body
    body = res.json_body_or_none['keypair']
    assert sorted(body) == sorted(sample('os-keypairs/keypairs-post-resp.json')['keypair'])
    assert body['private_key'].startswith('-----BEGIN RSA PRIVATE KEY-----')
    assert body['public_key'].startswith('ssh-rsa ')
    listed = user.get('/os-keypairs').json_body_or_none['keypairs']
    assert [k['keypair']['name'] for k in listed] == ['gen']
    assert sorted(listed[0]['keypair']) == sorted(
        sample('os-keypairs/keypairs-list-resp.json')['keypairs'][0]['keypair'])
    shown = user.get('/os-keypairs/gen').json_body_or_none['keypair']
    assert sorted(shown) == sorted(sample('os-keypairs/keypairs-get-resp.json')['keypair'])
    assert user.delete('/os-keypairs/gen').status_int == 202
    assert user.get('/os-keypairs/gen').status_int == 404


def test_import_and_errors(user, admin):
    res = user.post('/os-keypairs', {'keypair': {'name': 'imp', 'public_key': PUBLIC}})
    assert res.status_int == 200
    assert 'private_key' not in res.json_body_or_none['keypair']
    assert res.json_body_or_none['keypair']['fingerprint'].count(':') == 15
    assert user.post('/os-keypairs', {'keypair': {'name': 'imp', 'public_key': PUBLIC}}
                     ).status_int == 409
    res = user.post('/os-keypairs', {'keypair': {'name': 'bad', 'public_key': 'nonsense'}})
    assert res.status_int == 400
    # A key type the crypto library does not know is a bad key too, not a 500.
    res = user.post('/os-keypairs', {'keypair': {'name': 'bad', 'public_key': 'ssh-foo AAAA'}})
    assert res.status_int == 400
    assert user.post('/os-keypairs', {'keypair': {'name': 'bad/name'}}).status_int == 400
    # Key pairs belong to users: the admin does not see the user's by default.
    assert admin.get('/os-keypairs').json_body_or_none['keypairs'] == []


def test_microversions(user, admin, max_version):
    res = user.post('/os-keypairs', {'keypair': {'name': 'k', 'type': 'ssh',
                                                 'public_key': PUBLIC}}, version='2.2')
    assert res.status_int == 201
    assert res.json_body_or_none['keypair']['type'] == 'ssh'
    res = user.post('/os-keypairs', {'keypair': {'name': 'x', 'type': 'x509'}}, version='2.2')
    assert res.status_int == 201
    assert 'BEGIN CERTIFICATE' in res.json_body_or_none['keypair']['public_key']
    assert user.post('/os-keypairs', {'keypair': {'name': 'gen'}},
                     version='2.92').status_int == 400
    for name in ('a', 'b', 'c'):
        user.post('/os-keypairs', {'keypair': {'name': name, 'public_key': PUBLIC}},
                  version='2.35')
    page = user.get('/os-keypairs?limit=2', version='2.35').json_body_or_none
    assert [k['keypair']['name'] for k in page['keypairs']] == ['a', 'b']
    assert 'marker=b' in page['keypairs_links'][0]['href']
    listed = admin.get('/os-keypairs?user_id=demo', version='2.10').json_body_or_none
    assert len(listed['keypairs']) == 5
    assert user.get('/os-keypairs?user_id=other', version='2.10').status_int == 403
    assert user.delete('/os-keypairs/a', version='2.2').status_int == 204


def test_quota(user):
    from nova import conf
    conf.CONF.set_override('key_pairs', 1, 'quota')
    try:
        assert user.post('/os-keypairs', {'keypair': {'name': 'a', 'public_key': PUBLIC}}
                         ).status_int == 200
        res = user.post('/os-keypairs', {'keypair': {'name': 'b', 'public_key': PUBLIC}})
        assert res.status_int == 403
    finally:
        conf.CONF.clear_override('key_pairs', 'quota')
