"""lock and unlock server actions (os-lock-server).

A lock taken by the owner's project is 'owner'; by anyone else (an
administrator) 'admin'. Only the unlock_override rule may lift a lock
someone else took. From 2.73 a lock can carry a ``locked_reason``.
"""

from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import lock_server as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova.api.validation import parameter_types

_POLICY = 'os_compute_api:os-lock-server:%s'


class LockServerController(action_base.ServerActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('lock')
    @validation.schema(schema.lock, '2.1', '2.72')
    @validation.schema(schema.lock_v273, '2.73')
    def _lock(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'lock',
                                             expected_attrs=['system_metadata'], user_scoped=True)
        reason = None
        if req.api_version_request >= '2.73' and isinstance(body['lock'], dict):
            reason = body['lock'].get('locked_reason')
        with self._conflicts('lock', id):
            self.compute_api.lock(context, instance, reason=reason)

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('unlock')
    @validation.schema(parameter_types.no_body('unlock'))
    def _unlock(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'unlock',
                                             expected_attrs=['system_metadata'])
        if not self.compute_api.is_expected_locked_by(context, instance):
            context.can(_POLICY % 'unlock:unlock_override',
                        target={'project_id': instance.project_id})
        with self._conflicts('unlock', id):
            self.compute_api.unlock(context, instance)
