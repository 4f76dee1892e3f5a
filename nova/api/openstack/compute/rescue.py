"""rescue and unrescue server actions (os-rescue)."""

import webob.exc

import nova.conf
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import rescue as schema
from nova.api.openstack.compute import servers
from nova.api.openstack import wsgi
from nova.api import validation
from nova.api.validation import parameter_types
from nova import exception

CONF = nova.conf.CONF
# What the compute host reads of the server (it cannot load attributes itself).
_COMPUTE_ATTRS = ['system_metadata', 'flavor', 'info_cache']


class RescueController(action_base.ServerActionController):

    @wsgi.expected_errors((400, 404, 409, 501))
    @wsgi.action('rescue')
    @validation.schema(schema.rescue)
    def _rescue(self, req, id, body):
        """Boot the server from a rescue image; answers the rescue password."""
        context, instance = self._authorized(req, id, 'os_compute_api:os-rescue',
                                             expected_attrs=_COMPUTE_ATTRS,
                                             user_scoped=True)
        entity = body['rescue'] or {}
        password = entity.get('adminPass') or servers.generate_password()
        with self._conflicts('rescue', id):
            try:
                self.compute_api.rescue(
                    context, instance, rescue_password=password,
                    rescue_image_ref=entity.get('rescue_image_ref'),
                    allow_bfv_rescue=req.api_version_request >= '2.87')
            except (exception.ImageNotFound, exception.ImageNotActive,
                    exception.InstanceNotRescuable) as error:
                raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        if CONF.api.enable_instance_password:
            return {'adminPass': password}
        return {}

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409, 501))
    @wsgi.action('unrescue')
    @validation.schema(parameter_types.no_body('unrescue'))
    def _unrescue(self, req, id, body):
        context, instance = self._authorized(req, id, 'os_compute_api:os-unrescue',
                                             expected_attrs=_COMPUTE_ATTRS,
                                             user_scoped=True)
        with self._conflicts('unrescue', id):
            self.compute_api.unrescue(context, instance)
