"""reboot, os-start, os-stop, createImage and trigger_crash_dump server actions."""

from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova.api.validation import parameter_types
from nova.image import glance

_POLICY = 'os_compute_api:servers:%s'


def image_response(req, image, code=202):
    """Before 2.45 the new image is only named by a Location header; then in the body."""
    if req.api_version_request >= '2.45':
        return wsgi.ResponseObject({'image_id': image['id']}, code=code)
    return wsgi.ResponseObject(None, code=code,
                               headers={'Location': glance.generate_image_url(image['id'])})


class ServerActionsController(action_base.ServerActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((400, 404, 409))
    @wsgi.action('reboot')
    @validation.schema(schema.reboot)
    def _action_reboot(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'reboot')
        reboot_type = body['reboot']['type'].upper()
        with self._conflicts('reboot', id):
            self.compute_api.reboot(context, instance, reboot_type)

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('os-start')
    @validation.schema(parameter_types.no_body('os-start'))
    def _start_server(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'start')
        with self._conflicts('start', id):
            self.compute_api.start(context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('os-stop')
    @validation.schema(parameter_types.no_body('os-stop'))
    def _stop_server(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'stop')
        with self._conflicts('stop', id):
            self.compute_api.stop(context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @wsgi.action('createImage')
    @validation.schema(schema.create_image_v20, '2.0', '2.0')
    @validation.schema(schema.create_image, '2.1')
    def _action_create_image(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'create_image',
                                             expected_attrs=['system_metadata', 'flavor'])
        entity = body['createImage']
        with self._conflicts('createImage', id):
            image = self.compute_api.snapshot(context, instance, entity['name'],
                                              extra_properties=entity.get('metadata'))
        return image_response(req, image)

    @wsgi.response(202)
    @wsgi.expected_errors((400, 404, 409))
    @wsgi.action('trigger_crash_dump')
    @wsgi.Controller.api_version('2.17')
    @validation.schema(parameter_types.no_body('trigger_crash_dump'), '2.17')
    def _action_trigger_crash_dump(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'trigger_crash_dump')
        with self._conflicts('trigger_crash_dump', id):
            self.compute_api.trigger_crash_dump(context, instance)
