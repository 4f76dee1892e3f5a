"""The compute API's outer layer (nova/api/openstack/__init__.py): every escaping error
a JSON fault in upstream's shape (a bug a 500 that names only its type), /v2 served
without microversions, and the router's 404, 405 with Allow, project prefix and
redirects, over a route list of its own."""

import json

import webob
import webob.dec

from nova.api import openstack
from nova.api.openstack import wsgi
from nova import exception


class Things(wsgi.Controller):
    def index(self, req):
        return {'things': []}

    def show(self, req, id):
        return {'thing': {'id': id}}


_things = Things()


def _factory():
    return _things


ROUTES = [
    ('/', {'GET': (_factory, 'index')}),
    ('/things', {'GET': (_factory, 'index')}),
    ('/things/{id}', {'GET': (_factory, 'show')}),
    ('/old', '/things'),
]


def _router():
    return openstack.APIRouterV21(ROUTES)


def _call(app, path, method='GET'):
    req = webob.Request.blank(path, method=method)
    return req.get_response(app)


def test_routes_answer_with_and_without_the_project_segment():
    assert json.loads(_call(_router(), '/things/7').body) == {'thing': {'id': '7'}}
    assert json.loads(_call(_router(), '/some-project/things').body) == {'things': []}
    assert _call(_router(), '/some-project/').status_int == 404  # the version document


def test_unknown_path_is_404_and_wrong_method_405_with_allow():
    assert _call(_router(), '/nothing').status_int == 404
    assert _call(_router(), '/things/').status_int == 404  # a trailing slash names nothing
    res = _call(_router(), '/things', method='DELETE')
    assert res.status_int == 405 and res.headers['Allow'] == 'GET'


def test_a_redirect_is_a_302_to_the_target():
    res = _call(_router(), '/old')
    assert res.status_int == 302 and res.location == 'http://localhost/things'


def _raising(error):
    @webob.dec.wsgify
    def app(req):
        raise error
    return openstack.FaultWrapper(app)


def test_a_bug_is_a_500_naming_only_its_type():
    res = _call(_raising(KeyError('secret detail')), '/')
    body = json.loads(res.body)
    assert res.status_int == 500
    assert body['computeFault']['code'] == 500
    assert "KeyError" in body['computeFault']['message']
    assert 'secret detail' not in body['computeFault']['message']


def test_known_errors_keep_their_status_and_message():
    res = _call(_raising(exception.InvalidInput(reason='bad')), '/')
    assert json.loads(res.body) == {'badRequest': {
        'code': 400, 'message': 'Invalid input received: bad'}}
    res = _call(_raising(exception.Forbidden()), '/')
    assert res.status_int == 403 and 'forbidden' in json.loads(res.body)


def test_an_error_no_controller_expected_keeps_its_code_but_not_its_message():
    """(A controller lists the errors it expects; one that slips past is a bug whose
    message may say more than a user should read.)"""
    res = _call(_raising(exception.InstanceNotFound(instance_id='secret-uuid')), '/')
    body = json.loads(res.body)['itemNotFound']
    assert res.status_int == 404 and 'secret-uuid' not in body['message']
    assert body['message'].startswith('Unexpected API Error')


def test_an_exception_with_an_unusable_code_is_a_500():
    class Odd(Exception):
        code = 'teapot'
    assert _call(_raising(Odd()), '/').status_int == 500


def test_the_legacy_v2_endpoint_drops_microversion_headers():
    seen = {}

    @webob.dec.wsgify
    def app(req):
        seen['legacy'] = req.environ.get('nova.legacy_v2')
        seen['header'] = req.headers.get(wsgi.API_VERSION_HEADER)
        return webob.Response(headers={wsgi.API_VERSION_HEADER: 'compute 2.1',
                                        'Vary': wsgi.API_VERSION_HEADER})
    req = webob.Request.blank('/', headers={wsgi.API_VERSION_HEADER: 'compute 2.50'})
    res = req.get_response(openstack.LegacyV2CompatibleWrapper(app))
    assert seen == {'legacy': True, 'header': None}
    assert wsgi.API_VERSION_HEADER not in res.headers and 'Vary' not in res.headers
