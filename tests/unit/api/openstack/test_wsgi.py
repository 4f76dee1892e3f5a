"""The WSGI framework: versions, microversion negotiation, faults, auth, routing."""

from nova.api.openstack import api_version_request as avr
from tests.unit.api.conftest import sample


def test_root_lists_versions_without_auth(admin):
    res = admin.get('/', token='')
    assert res.status_int == 200
    body = res.json_body_or_none
    expected = sample('versions/versions-get-resp.json')
    assert [sorted(v) for v in body['versions']] == [sorted(v) for v in expected['versions']]
    v21 = body['versions'][1]
    assert v21['version'] == avr.MAX_API_VERSION and v21['min_version'] == '2.1'
    assert v21['links'][0]['href'] == 'http://localhost/v2.1/'


def test_version_document_needs_no_token_nor_redirect(admin):
    # keystoneauth's discovery reads the catalog's endpoint (.../v2.1) unauthenticated.
    expected = sample('versions/v21-version-get-resp.json')['version']
    for path in ('/v2.1', '/v2.1/'):
        res = admin.get(path, token='')
        assert res.status_int == 200, path
        version = res.json_body_or_none['version']
        assert sorted(version) == sorted(expected)
        assert version['id'] == 'v2.1' and version['version'] == avr.MAX_API_VERSION
        assert version['links'][0]['href'] == 'http://localhost/v2.1/'
        assert res.headers['X-OpenStack-Nova-API-Version'] == '2.1'
    for path in ('/v2', '/v2/'):
        res = admin.get(path, token='')
        assert res.status_int == 200, path
        assert res.json_body_or_none['version']['id'] == 'v2.0'
        assert res.json_body_or_none['version']['links'][0]['href'] == 'http://localhost/v2/'
        assert 'X-OpenStack-Nova-API-Version' not in res.headers
    res = admin.post('/v2.1', body={}, token='')
    assert res.status_int == 405


def test_deeper_paths_still_need_the_api_pipeline(admin):
    # noauth2 answers a request without a token with its 204 token hand-out,
    # which shows the request went through authentication.
    res = admin.get('/v2.1/flavors', token='')
    assert res.status_int == 204 and 'X-Auth-Token' in res.headers
    assert admin.get('/v2.1/flavors').status_int == 200


def test_versions_by_id(admin):
    body = admin.get('/v2.1/versions/v2.1').json_body_or_none
    assert body['version']['id'] == 'v2.1'
    assert body['version']['links'][0]['href'] == 'http://localhost/v2.1/'
    assert admin.get('/v2.1/versions/v2.0').json_body_or_none['version']['id'] == 'v2.0'
    res = admin.get('/v2.1/versions/v3')
    assert res.status_int == 404 and 'itemNotFound' in res.json_body_or_none
    # the frozen v2 endpoint knows only itself
    assert admin.get('/v2/versions/v2.1').json_body_or_none['version']['id'] == 'v2.0'


def test_a_trailing_slash_names_no_route(admin):
    # tempest: GET os-simple-tenant-usage/ (an empty tenant id) and DELETE
    # images/ (a blank image id) are 404, not the listing or a 405.
    assert admin.get('/v2.1/os-simple-tenant-usage/').status_int == 404
    assert admin.delete('/v2.1/images/').status_int == 404
    assert admin.get('/v2.1/os-simple-tenant-usage').status_int == 200


def test_version_document(admin):
    body = admin.get('/v2.1/').json_body_or_none
    expected = sample('versions/v21-version-get-resp.json')['version']
    assert sorted(body['version']) == sorted(expected)
    legacy = admin.get('/v2/').json_body_or_none
    assert legacy['version']['id'] == 'v2.0'


def test_link_prefix_is_honoured(admin):
    from nova import conf
    conf.CONF.set_override('compute_link_prefix', 'https://cloud.example/compute', 'api')
    try:
        body = admin.get('/', token='').json_body_or_none
        assert body['versions'][1]['links'][0]['href'] == 'https://cloud.example/compute/v2.1/'
    finally:
        conf.CONF.clear_override('compute_link_prefix', 'api')


def test_microversion_headers(admin, max_version):
    res = admin.get('/flavors', version='2.55')
    assert res.status_int == 200
    assert res.headers['OpenStack-API-Version'] == 'compute 2.55'
    assert res.headers['X-OpenStack-Nova-API-Version'] == '2.55'
    assert 'OpenStack-API-Version' in res.headers['Vary']
    res = admin.get('/flavors', headers={'X-OpenStack-Nova-API-Version': '2.10'})
    assert res.headers['X-OpenStack-Nova-API-Version'] == '2.10'
    res = admin.get('/flavors', version='latest')
    assert res.headers['X-OpenStack-Nova-API-Version'] == '2.104'
    res = admin.get('/flavors')
    assert res.headers['X-OpenStack-Nova-API-Version'] == '2.1'


def test_unsupported_and_malformed_versions(admin):
    res = admin.get('/flavors', version='2.999')
    assert res.status_int == 406
    assert 'computeFault' in res.json_body_or_none
    res = admin.get('/flavors', version='1.5')
    assert res.status_int == 406
    res = admin.get('/flavors', version='two')
    assert res.status_int == 400
    assert res.json_body_or_none['badRequest']['code'] == 400


def test_latest_is_max_constant(admin):
    res = admin.get('/flavors', version='latest')
    assert res.headers['X-OpenStack-Nova-API-Version'] == avr.MAX_API_VERSION


def test_faults(admin):
    res = admin.get('/nothing-here')
    assert res.status_int == 404
    assert res.json_body_or_none['itemNotFound']['code'] == 404
    res = admin.delete('/os-keypairs')
    assert res.status_int == 405
    assert 'badMethod' in res.json_body_or_none
    res = admin.post('/flavors', raw=b'{not json')
    assert res.status_int == 400
    assert res.json_body_or_none['badRequest']['message'] == 'Malformed request body'
    res = admin.post('/flavors', {'flavor': {'name': 'x', 'ram': 'abc', 'vcpus': 1, 'disk': 1}})
    assert res.status_int == 400
    assert res.json_body_or_none['badRequest']['message'].startswith(
        'Invalid input for field/attribute ram. Value: abc.')
    res = admin.post('/flavors', {'flavor': {'name': 'x', 'ram': 1, 'vcpus': 1, 'disk': 1},
                                  'bogus': 1})
    assert 'Additional properties are not allowed' in res.json_body_or_none[
        'badRequest']['message']


def test_request_ids(admin):
    res = admin.get('/flavors')
    assert res.headers['x-openstack-request-id'].startswith('req-')
    assert res.headers['x-compute-request-id'] == res.headers['x-openstack-request-id']


def test_noauth_without_token_hands_out_one(admin):
    res = admin.get('/flavors', token='')
    assert res.status_int == 204
    assert res.headers['X-Auth-Token'] == 'admin:admin'


def test_policy_refusal_is_403(user):
    res = user.post('/flavors', {'flavor': {'name': 'x', 'ram': 1, 'vcpus': 1, 'disk': 1}})
    assert res.status_int == 403
    assert res.json_body_or_none['forbidden']['message'] == (
        "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.")


def test_project_id_in_url(admin):
    assert admin.get('/v2.1/admin/flavors').status_int == 200
    assert admin.get('/v2.1/other/flavors').status_int == 400


def test_unexpected_error_is_500_compute_fault(admin, monkeypatch):
    from nova import objects

    def boom(*args, **kwargs):
        raise RuntimeError('kaboom')
    monkeypatch.setattr(objects.FlavorList, 'get_all', boom)
    res = admin.get('/flavors')
    assert res.status_int == 500
    message = res.json_body_or_none['computeFault']['message']
    assert 'RuntimeError' in message and 'Traceback' not in message


def test_microversion_compare():
    v = avr.APIVersionRequest('2.10')
    assert v > '2.9' and v >= '2.10' and v < '2.100'
    assert v.matches('2.1', '2.10') and not v.matches('2.11')
    assert v.matches(None, None)
