"""Keystone authentication glue and the auth-strategy pipeline selector.

``NovaKeystoneContext`` runs after keystonemiddleware's auth_token and turns
the identity headers it sets into a ``nova.context.RequestContext``.
``pipeline_factory_v21`` picks the paste pipeline named by ``[api]
auth_strategy``.
"""

from oslo_log import log as logging
from oslo_serialization import jsonutils
import webob.dec
import webob.exc

import nova.conf
from nova.api import wsgi_base
from nova import context

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _load_pipeline(loader, pipeline):
    filters = [loader.get_filter(name) for name in pipeline[:-1]]
    app = loader.get_app(pipeline[-1])
    for filter_ in reversed(filters):
        app = filter_(app)
    return app


def pipeline_factory_v21(loader, global_conf, **local_conf):
    """paste composite: ``keystone = ...`` / ``noauth2 = ...`` chosen by auth_strategy."""
    strategy = CONF.api.auth_strategy
    pipeline = local_conf.get(strategy)
    if pipeline is None:
        raise ValueError('api-paste.ini has no %r pipeline' % strategy)
    return _load_pipeline(loader, pipeline.split())


class NovaKeystoneContext(wsgi_base.Middleware):
    """Build the request context from the headers auth_token validated."""

    @webob.dec.wsgify
    def __call__(self, req):
        user_id = req.headers.get('X_USER_ID') or req.headers.get('X_USER')
        if user_id is None:
            LOG.debug('Neither X_USER_ID nor X_USER found in request')
            return webob.exc.HTTPUnauthorized()
        project_id = req.headers.get('X_PROJECT_ID') or req.headers.get('X_TENANT_ID')
        roles = [r.strip() for r in req.headers.get('X_ROLES', '').split(',') if r.strip()]
        service_catalog = None
        if req.headers.get('X_SERVICE_CATALOG') is not None:
            try:
                service_catalog = jsonutils.loads(req.headers['X_SERVICE_CATALOG'])
            except ValueError:
                raise webob.exc.HTTPInternalServerError(
                    explanation='Invalid service catalog json.')
        ctx = context.RequestContext(
            user_id=user_id,
            project_id=project_id,
            user_name=req.headers.get('X_USER_NAME'),
            project_name=req.headers.get('X_PROJECT_NAME') or req.headers.get('X_TENANT_NAME'),
            user_domain_id=req.headers.get('X_USER_DOMAIN_ID'),
            project_domain_id=req.headers.get('X_PROJECT_DOMAIN_ID'),
            domain_id=req.headers.get('X_DOMAIN_ID'),
            system_scope=req.headers.get('OpenStack-System-Scope'),
            roles=roles,
            auth_token=req.headers.get('X_AUTH_TOKEN'),
            remote_address=req.remote_addr,
            service_catalog=service_catalog,
            request_id=req.environ.get('openstack.request_id'),
            user_auth_plugin=req.environ.get('keystone.token_auth'),
            is_admin=None,
        )
        req.environ['nova.context'] = ctx
        return self.application
