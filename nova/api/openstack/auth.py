"""``noauth2``: development authentication from a ``user:project`` token.

Without an X-Auth-Token header the middleware answers the way upstream's
does (a 204 handing out a token built from X-Auth-User/X-Auth-Project-Id);
with one, the token names the user and the project, and the user ``admin``
is an administrator.  An ``X-Roles`` header (comma-separated, as
keystonemiddleware would pass them) replaces the default roles, so policy
can be exercised for readers, members, managers and services without
Keystone.  Never for production.
"""

import webob
import webob.dec

import nova.conf
from nova.api import wsgi_base
from nova import context

CONF = nova.conf.CONF


def _remote_address(req):
    # HTTPProxyToWSGI, earlier in the pipeline, already honours proxy headers.
    return req.remote_addr or '127.0.0.1'


class NoAuthMiddleware(wsgi_base.Middleware):
    """Trust the token: ``user:project`` (``user`` alone means project ``user``)."""

    always_admin = False

    @webob.dec.wsgify
    def __call__(self, req):
        token = req.headers.get('X-Auth-Token')
        if token is None:
            user_id = req.headers.get('X-Auth-User', 'admin')
            project_id = req.headers.get('X-Auth-Project-Id', 'admin')
            response = webob.Response(status=204, content_type='text/plain')
            response.headers['X-Auth-Token'] = '%s:%s' % (user_id, project_id)
            response.headers['X-Server-Management-Url'] = req.url.rstrip('/')
            return response
        user_id, _sep, project_id = token.partition(':')
        project_id = project_id or user_id
        is_admin = self.always_admin or user_id == 'admin'
        roles = ['admin', 'member', 'reader'] if is_admin else ['member', 'reader']
        if req.headers.get('X-Roles') is not None:
            roles = [r.strip() for r in req.headers['X-Roles'].split(',') if r.strip()]
            is_admin = self.always_admin or 'admin' in [r.lower() for r in roles]
        req.environ['nova.context'] = context.RequestContext(
            user_id=user_id, project_id=project_id, is_admin=is_admin, roles=roles,
            remote_address=_remote_address(req),
            request_id=req.environ.get('openstack.request_id'))
        return self.application
