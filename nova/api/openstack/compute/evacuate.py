"""The evacuate server action (os-evacuate): rebuild a server of a dead host elsewhere."""

import webob.exc

import nova.conf
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import evacuate as schema
from nova.api.openstack.compute import servers
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception

CONF = nova.conf.CONF
_POLICY = 'os_compute_api:os-evacuate'


class EvacuateController(action_base.ServerActionController):

    @wsgi.response(200)
    @wsgi.expected_errors((400, 403, 404, 409))
    @wsgi.action('evacuate')
    @validation.schema(schema.evacuate, '2.1', '2.13')
    @validation.schema(schema.evacuate_v214, '2.14', '2.28')
    @validation.schema(schema.evacuate_v229, '2.29', '2.67')
    @validation.schema(schema.evacuate_v268, '2.68')
    def _evacuate(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY,
                                             expected_attrs=['flavor', 'system_metadata'])
        entity = body['evacuate']
        version = req.api_version_request
        host = entity.get('host')
        password = entity.get('adminPass')
        if version < '2.14':
            if password is not None and entity['onSharedStorage']:
                raise webob.exc.HTTPBadRequest(
                    explanation="admin password can't be changed on existing disk")
            if password is None and not entity['onSharedStorage']:
                password = servers.generate_password()
        force = bool(entity.get('force')) if '2.29' <= version < '2.68' else False
        target_state = 'stopped' if version >= '2.95' else None
        with self._conflicts('evacuate', id):
            try:
                self.compute_api.evacuate(context, instance, host=host,
                                          admin_password=password, force=force,
                                          target_state=target_state)
            except exception.ComputeHostNotFound as error:
                raise webob.exc.HTTPNotFound(explanation=error.format_message())
            except (exception.ComputeServiceInUse, exception.EvacuateToSameHost) as error:
                raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        if version < '2.14' and CONF.api.enable_instance_password:
            return {'adminPass': password}
        return None
