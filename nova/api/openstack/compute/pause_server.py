"""pause and unpause server actions (os-pause-server)."""

from nova.api.openstack.compute import action_base
from nova.api.openstack import wsgi
from nova.api import validation
from nova.api.validation import parameter_types

_POLICY = 'os_compute_api:os-pause-server:%s'


class PauseServerController(action_base.ServerActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409, 501))
    @wsgi.action('pause')
    @validation.schema(parameter_types.no_body('pause'))
    def _pause(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'pause', user_scoped=True)
        with self._conflicts('pause', id):
            self.compute_api.pause(context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409, 501))
    @wsgi.action('unpause')
    @validation.schema(parameter_types.no_body('unpause'))
    def _unpause(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'unpause')
        with self._conflicts('unpause', id):
            self.compute_api.unpause(context, instance)
