"""The version documents.

``GET /``: every version; ``GET /v2.1`` and ``/v2.1/`` (``/v2`` and ``/v2/``):
that version, both without authentication, as clients' version discovery
(keystoneauth) expects; ``GET /v2.1/versions/{id}``: a version by id,
through the authenticated API.
"""

from oslo_serialization import jsonutils
import webob
import webob.dec
import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.views import versions as views
from nova.api.openstack import wsgi


def _root_url(req):
    """The URL the version paths hang from: the request's host plus the mount point."""
    script = req.environ.get('nova.root_script_name', req.script_name)
    return common.update_link_prefix(
        req.host_url + script, common.CONF.api.compute_link_prefix).rstrip('/')


class Versions(object):
    """The root app: 200 with the version list at ``/``, 300 choices elsewhere."""

    @classmethod
    def factory(cls, global_config, **local_config):
        return cls()

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        base = _root_url(req)
        if req.path_info in ('', '/'):
            if req.method not in ('GET', 'HEAD'):
                return wsgi.method_not_allowed({'GET'})
            return self._json(200, views.build_versions(base))
        return self._json(300, views.build_choices(base, req.path_info))

    @staticmethod
    def _json(status, body):
        response = webob.Response(status=status, content_type='application/json',
                                  charset='UTF-8')
        response.body = jsonutils.dump_as_bytes(body)
        return response


class VersionsV2(object):
    """``GET /v2.1`` or ``/v2.1/`` (``/v2``, ``/v2/``): the mounted version's document,
    answered (microversion headers included) by ``VersionsController.show``."""

    def __init__(self):
        self._resource = wsgi.Resource(VersionsController())

    @classmethod
    def factory(cls, global_config, **local_config):
        return cls()

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        if req.method not in ('GET', 'HEAD'):
            return wsgi.method_not_allowed({'GET'})
        req.environ['wsgiorg.routing_args'] = ((), {'action': 'show'})
        return self._resource


class VersionsController(wsgi.Controller):
    """``GET /versions/{id}`` (and ``/``) through the API pipeline."""

    @wsgi.expected_errors(404)
    def show(self, req, id='v2.1'):
        # Under /v2 every id names the frozen v2.0 API.
        version_id = 'v2.0' if req.is_legacy_v2() else id
        if version_id not in views.versions():
            raise webob.exc.HTTPNotFound()
        return views.build_version(_root_url(req), version_id)
