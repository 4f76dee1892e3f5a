"""os-resetState: an operator forces a stuck server to ACTIVE or ERROR."""

from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schema
from nova.api.openstack import wsgi
from nova.api import validation


class AdminActionsController(action_base.ServerActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('os-resetState')
    @validation.schema(schema.reset_state)
    def _reset_state(self, req, id, body):
        context = req.environ['nova.context']
        instance = self._get_instance(context, id)
        context.can('os_compute_api:os-admin-actions:reset_state',
                    target={'project_id': instance.project_id})
        with self._conflicts('os-resetState', id):
            self.compute_api.reset_state(context, instance, body['os-resetState']['state'])
