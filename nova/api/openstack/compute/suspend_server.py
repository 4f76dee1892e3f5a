"""suspend and resume server actions (os-suspend-server)."""

from nova.api.openstack.compute import action_base
from nova.api.openstack import wsgi
from nova.api import validation
from nova.api.validation import parameter_types

_POLICY = 'os_compute_api:os-suspend-server:%s'


class SuspendServerController(action_base.ServerActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('suspend')
    @validation.schema(parameter_types.no_body('suspend'))
    def _suspend(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'suspend', user_scoped=True)
        with self._conflicts('suspend', id):
            self.compute_api.suspend(context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('resume')
    @validation.schema(parameter_types.no_body('resume'))
    def _resume(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'resume')
        with self._conflicts('resume', id):
            self.compute_api.resume(context, instance)
