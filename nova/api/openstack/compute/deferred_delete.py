"""restore and forceDelete of soft-deleted servers (os-deferred-delete).

With ``[DEFAULT] reclaim_instance_interval`` > 0 a DELETE only soft-deletes
a server; until compute reclaims it, its owner may restore it and anyone
allowed may delete it for good.
"""

from nova.api.openstack.compute import action_base
from nova.api.openstack import wsgi
from nova.api import validation
from nova.api.validation import parameter_types

_POLICY = 'os_compute_api:os-deferred-delete:%s'


class DeferredDeleteController(action_base.ServerActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((403, 404, 409))
    @wsgi.action('restore')
    @validation.schema(parameter_types.no_body('restore'))
    def _restore(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'restore')
        with self._conflicts('restore', id):
            self.compute_api.restore(context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('forceDelete')
    @validation.schema(parameter_types.no_body('forceDelete'))
    def _force_delete(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'force', user_scoped=True)
        with self._conflicts('forceDelete', id):
            self.compute_api.force_delete(context, instance)
