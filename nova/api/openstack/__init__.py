"""The compute API's outer middlewares and the router.

``FaultWrapper`` guarantees a JSON fault for anything that escapes (never a
traceback); ``LegacyV2CompatibleWrapper`` marks requests to ``/v2`` so they
are served as the pre-microversion API; ``APIRouterV21`` maps paths from
``nova.api.openstack.compute.routes`` to controller Resources.
"""

from oslo_log import log as logging
import routes
import webob.dec
import webob.exc

from nova.api import wsgi_base
from nova.api.openstack import wsgi

LOG = logging.getLogger(__name__)


class FaultWrapper(wsgi_base.Middleware):
    """Turn any exception into upstream's JSON fault; unexpected ones are 500s."""

    @staticmethod
    def status_to_type(status):
        return webob.exc.status_map.get(status, webob.exc.HTTPInternalServerError)

    def _error(self, inner, req):
        fault = wsgi.fault_from_exception(inner)
        if fault is None:
            LOG.exception('Caught error: %s', inner)
            code = getattr(inner, 'code', 500)
            if not isinstance(code, int) or code < 400 or code > 599:
                code = 500
            if code == 500 or not getattr(inner, 'safe', False):
                message = wsgi.UNEXPECTED_ERROR_MSG % type(inner)
            else:
                message = str(inner)
            fault = wsgi.Fault(self.status_to_type(code)(explanation=message))
        return fault

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        try:
            return req.get_response(self.application)
        except Exception as error:
            return self._error(error, req)


class LegacyV2CompatibleWrapper(wsgi_base.Middleware):
    """Requests under /v2 get the frozen v2.0 behaviour (no microversions)."""

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        req.environ['nova.legacy_v2'] = True
        req.headers.pop(wsgi.API_VERSION_HEADER, None)
        req.headers.pop(wsgi.LEGACY_API_VERSION_HEADER, None)
        response = req.get_response(self.application)
        for header in (wsgi.API_VERSION_HEADER, wsgi.LEGACY_API_VERSION_HEADER, 'Vary'):
            response.headers.pop(header, None)
        return response


class APIRouterV21(object):
    """Dispatch by path and method; an unknown path is 404, a known one with a wrong method 405.

    Every route is also reachable with a leading ``/{project_id}`` segment, as
    old clients put the project in the endpoint URL.
    """

    def __init__(self, route_list=None):
        if route_list is None:
            from nova.api.openstack.compute import routes as compute_routes
            route_list = compute_routes.ROUTE_LIST
        self.map = routes.Mapper(explicit=True)
        self._resources = {}
        fallbacks = []
        for path, methods in route_list:
            if isinstance(methods, str):
                fallbacks.append((path, None, methods))
                continue
            allowed = set()
            for method, (factory, action_name) in methods.items():
                resource = self._resource(factory)
                allowed.add(method)
                for prefix in _prefixes(path):
                    self.map.connect(_join(prefix, path), controller=resource,
                                     action=action_name,
                                     conditions={'method': [method]})
            fallbacks.append((path, allowed, None))
        for path, allowed, redirect in fallbacks:
            for prefix in _prefixes(path):
                if redirect is not None:
                    self.map.connect(_join(prefix, path), controller=_Redirect(redirect),
                                     action='redirect')
                else:
                    self.map.connect(_join(prefix, path),
                                     controller=wsgi.method_not_allowed(allowed),
                                     action='not_allowed')

    @classmethod
    def factory(cls, global_config, **local_config):
        return cls()

    def _resource(self, factory):
        resource = self._resources.get(factory)
        if resource is None:
            resource = wsgi.Resource(factory())
            self._resources[factory] = resource
        return resource

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        # A trailing slash names no route (GET /os-simple-tenant-usage/ is 404,
        # not the listing), as upstream's router has it.
        match = self.map.match(req.path_info, environ=req.environ)
        if match is None:
            return wsgi.Fault(webob.exc.HTTPNotFound())
        app = match['controller']
        req.environ['wsgiorg.routing_args'] = ((), dict(match))
        return app


def _prefixes(path):
    """Routes also answer under /{project_id}, except the version document."""
    return ('',) if path in ('', '/') else ('', '/{project_id}')


def _join(prefix, path):
    return (prefix + path).rstrip('/') or '/'


class _Redirect(object):
    """302 to another path (e.g. a version URL without its trailing slash)."""

    def __init__(self, target):
        self.target = target

    @webob.dec.wsgify
    def __call__(self, req):
        return webob.exc.HTTPFound(location=req.application_url.rstrip('/') + self.target)
