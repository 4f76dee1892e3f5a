"""``GET /os-console-auth-tokens/{console_token}``: where a console token leads.

Operators (and console proxies outside the cell) look a token up to learn
the host and port of the console it opens. Tokens live in the cell
databases and the token alone does not say which cell: every cell but cell0
is asked until one knows it. Unknown, expired and malformed tokens, and
tokens of deleted servers, are all a 404.
"""

from oslo_log import log as logging
import webob.exc

from nova.api.openstack import wsgi
from nova import context as nova_context
from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)
POLICY = 'os_compute_api:os-console-auth-tokens'


def _find_token(context, token):
    for cell in objects.CellMappingList.get_all(context):
        if cell.uuid == objects.CellMapping.CELL0_UUID:
            continue
        try:
            with nova_context.target_cell(context, cell) as cctxt:
                return objects.ConsoleAuthToken.validate(cctxt, token)
        except exception.InvalidToken:
            continue
        except Exception:
            LOG.warning('Cell %s did not answer a console token lookup', cell.uuid,
                        exc_info=True)
    return None


class ConsoleAuthTokensController(wsgi.Controller):

    def _show(self, req, token, rdp_only):
        context = req.environ['nova.context']
        context.can(POLICY, target={})
        if not token:
            raise webob.exc.HTTPBadRequest(explanation='token not provided')
        found = _find_token(context, token)
        if found is None:
            raise webob.exc.HTTPNotFound(explanation='Token not found')
        if rdp_only and found.console_type != 'rdp-html5':
            raise webob.exc.HTTPUnauthorized(
                explanation='The requested console type details are not accessible')
        console = {'instance_uuid': found.instance_uuid, 'host': found.host,
                   'port': found.port, 'internal_access_path': found.internal_access_path}
        if req.api_version_request >= '2.99':
            console['tls_port'] = found.tls_port
        return {'console': console}

    @wsgi.Controller.api_version('2.1', '2.30')
    @wsgi.expected_errors((400, 401, 404))
    def show_rdp(self, req, id):
        """Before 2.31 only RDP tokens could be looked up (none exist any more)."""
        return self._show(req, id, True)

    @wsgi.Controller.api_version('2.31')
    @wsgi.expected_errors((400, 404))
    def show_any(self, req, id):
        return self._show(req, id, False)

    def show(self, req, id):
        if req.api_version_request >= '2.31':
            return self.show_any(req, id)
        return self.show_rdp(req, id)
