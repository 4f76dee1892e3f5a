"""``/servers/{id}/shares`` (2.97+): Manila shares attached to a server.

This cloud has no Manila client, so no share can ever be attached: the list
is always empty, showing or detaching any share is 404, and attaching one
answers what upstream answers for a share Manila does not know (404), after
the same checks of the server (404), the policy and its state (it must be
stopped: 409).
"""

import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.schemas import server_shares as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova.compute import api as compute_api
from nova.compute import vm_states
from nova import exception

_POLICY = 'os_compute_api:os-server-shares:%s'
_MIN_VERSION = '2.97'


class ServerSharesController(wsgi.Controller):

    def _server(self, req, server_id, action):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id)
        context.can(_POLICY % action, target={'project_id': instance.project_id})
        return instance

    @staticmethod
    def _not_attached(server_id, share_id):
        return webob.exc.HTTPNotFound(explanation=(
            'Share %s is not attached to server %s.' % (share_id, server_id)))

    @wsgi.Controller.api_version(_MIN_VERSION)
    @wsgi.expected_errors((400, 403, 404))
    def index(self, req, server_id):
        self._server(req, server_id, 'index')
        return {'shares': []}

    @wsgi.Controller.api_version(_MIN_VERSION)
    @wsgi.response(201)
    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schema.create, _MIN_VERSION)
    def create(self, req, server_id, body):
        instance = self._server(req, server_id, 'create')
        try:
            compute_api.check_state(instance, 'attach share', vm_state=[vm_states.STOPPED],
                                    task_state=None)
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(
                error, 'attach share', server_id)
        share_id = body['share']['share_id']
        raise webob.exc.HTTPNotFound(explanation='Share %s could not be found.' % share_id)

    @wsgi.Controller.api_version(_MIN_VERSION)
    @wsgi.expected_errors((400, 403, 404))
    def show(self, req, server_id, id):
        self._server(req, server_id, 'show')
        raise self._not_attached(server_id, id)

    @wsgi.Controller.api_version(_MIN_VERSION)
    @wsgi.expected_errors((400, 403, 404, 409))
    def delete(self, req, server_id, id):
        self._server(req, server_id, 'delete')
        raise self._not_attached(server_id, id)
