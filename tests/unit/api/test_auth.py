"""The Keystone context middleware: the identity headers auth_token validated become
the request context (no user: 401; a broken service catalog: 500), and the paste
pipeline follows [api] auth_strategy."""

import pytest
import webob

import nova.conf
from nova.api import auth

CONF = nova.conf.CONF


def _app():
    @webob.dec.wsgify
    def app(req):
        return webob.Response(body=b'reached')
    return auth.NovaKeystoneContext(app)


def _request(**headers):
    req = webob.Request.blank('/', headers=headers)
    req.environ['openstack.request_id'] = 'req-123'
    return req


def test_identity_headers_become_the_context():
    req = _request(X_USER_ID='u1', X_TENANT_ID='p1', X_ROLES='member, reader,',
                   X_USER_NAME='alice', X_TENANT_NAME='demo', X_AUTH_TOKEN='tok',
                   X_SERVICE_CATALOG='[{"type": "image"}]')
    response = req.get_response(_app())
    ctx = req.environ['nova.context']
    assert response.body == b'reached'
    assert (ctx.user_id, ctx.project_id, ctx.project_name) == ('u1', 'p1', 'demo')
    assert ctx.roles == ['member', 'reader'] and ctx.request_id == 'req-123'
    assert ctx.service_catalog == [{'type': 'image'}] and ctx.auth_token == 'tok'


def test_the_project_header_wins_over_the_tenant_header():
    req = _request(X_USER='u1', X_PROJECT_ID='project', X_TENANT_ID='tenant')
    req.get_response(_app())
    assert req.environ['nova.context'].project_id == 'project'


def test_no_user_is_unauthorized():
    req = _request(X_TENANT_ID='p1')
    assert req.get_response(_app()).status_int == 401
    assert 'nova.context' not in req.environ


def test_a_broken_service_catalog_is_a_server_error():
    req = _request(X_USER_ID='u1', X_SERVICE_CATALOG='{not json')
    assert req.get_response(_app()).status_int == 500


class _Loader(object):
    def get_filter(self, name):
        return lambda app: ('%s(%s)' % (name, app))

    def get_app(self, name):
        return name


@pytest.mark.parametrize('strategy, expected', [
    ('keystone', 'request_id(authtoken(keystonecontext(osapi)))'),
    ('noauth2', 'request_id(noauth2(osapi))')])
def test_the_pipeline_follows_the_auth_strategy(strategy, expected):
    CONF.set_override('auth_strategy', strategy, group='api')
    try:
        assert auth.pipeline_factory_v21(
            _Loader(), {}, keystone='request_id authtoken keystonecontext osapi',
            noauth2='request_id noauth2 osapi') == expected
        with pytest.raises(ValueError):
            auth.pipeline_factory_v21(_Loader(), {}, other='x')
    finally:
        CONF.clear_override('auth_strategy', group='api')
