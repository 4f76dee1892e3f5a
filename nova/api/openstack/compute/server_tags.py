"""``/servers/{id}/tags`` (2.26+): simple string tags on a server."""

import jsonschema
import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.schemas import server_tags as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova.compute import api as compute_api
from nova.compute import vm_states
from nova import exception
from nova import objects

_POLICY = 'os_compute_api:os-server-tags:%s'
_MIN_VERSION = '2.26'

# Tags may change in these states only (not while the server is being built).
_EDIT_VM_STATES = (vm_states.ACTIVE, vm_states.PAUSED, vm_states.SUSPENDED,
                   vm_states.STOPPED, vm_states.SHELVED, vm_states.SHELVED_OFFLOADED)


def _cell_context(context, instance):
    return instance._context or context


class ServerTagsController(wsgi.Controller):

    def _server(self, req, server_id, action):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id, expected_attrs=['tags'])
        context.can(_POLICY % action, target={'project_id': instance.project_id})
        return context, instance

    def _editable_server(self, req, server_id, action, method):
        context, instance = self._server(req, server_id, action)
        try:
            compute_api.check_state(instance, method, vm_state=_EDIT_VM_STATES,
                                    task_state=None)
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(error, method, server_id)
        return context, instance

    @staticmethod
    def _tag_names(instance):
        tags = instance.tags if instance.obj_attr_is_set('tags') else []
        return sorted(t.tag for t in tags or [])

    @wsgi.Controller.api_version(_MIN_VERSION)
    @wsgi.expected_errors(404)
    def index(self, req, server_id):
        _context, instance = self._server(req, server_id, 'index')
        return {'tags': self._tag_names(instance)}

    @wsgi.Controller.api_version(_MIN_VERSION)
    @wsgi.response(204)
    @wsgi.expected_errors(404)
    def show(self, req, server_id, id):
        _context, instance = self._server(req, server_id, 'show')
        if id not in self._tag_names(instance):
            raise webob.exc.HTTPNotFound(explanation=(
                "Server %s has no tag '%s'" % (server_id, id)))

    @wsgi.Controller.api_version(_MIN_VERSION)
    @wsgi.expected_errors((400, 404, 409))
    def update(self, req, server_id, id, body=None):
        try:
            jsonschema.validate(id, schema.tag)
        except jsonschema.ValidationError as error:
            raise webob.exc.HTTPBadRequest(explanation=(
                "Tag '%s' is invalid. It must be a non empty string without characters "
                "'/' and ','. Validation error message: %s" % (id, error.message)))
        context, instance = self._editable_server(req, server_id, 'update', 'update tag')
        names = self._tag_names(instance)
        if id in names:
            return wsgi.ResponseObject(None, code=204)
        if len(names) >= objects.tag.MAX_TAG_COUNT:
            raise webob.exc.HTTPBadRequest(explanation=(
                'The number of tags exceeded the per-server limit %d'
                % objects.tag.MAX_TAG_COUNT))
        try:
            objects.Tag(context=_cell_context(context, instance), resource_id=instance.uuid,
                        tag=id).create()
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except exception.TooManyInstanceTags:
            raise webob.exc.HTTPBadRequest(explanation=(
                'The number of tags exceeded the per-server limit %d'
                % objects.tag.MAX_TAG_COUNT))
        response = wsgi.ResponseObject(None, code=201)
        response['Location'] = '%s/tags/%s' % (
            common.ViewBuilder()._get_href_link(req, server_id, 'servers'), id)
        return response

    @wsgi.Controller.api_version(_MIN_VERSION)
    @validation.schema(schema.update_all)
    @wsgi.expected_errors((400, 404, 409))
    def update_all(self, req, server_id, body):
        context, instance = self._editable_server(req, server_id, 'update_all',
                                                  'update tags')
        try:
            tags = objects.TagList.create(_cell_context(context, instance), instance.uuid,
                                          body['tags'])
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        return {'tags': sorted(t.tag for t in tags)}

    @wsgi.Controller.api_version(_MIN_VERSION)
    @wsgi.response(204)
    @wsgi.expected_errors((404, 409))
    def delete(self, req, server_id, id):
        context, instance = self._editable_server(req, server_id, 'delete', 'delete tag')
        try:
            objects.Tag.destroy(_cell_context(context, instance), instance.uuid, id)
        except (exception.InstanceTagNotFound, exception.InstanceNotFound) as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())

    @wsgi.Controller.api_version(_MIN_VERSION)
    @wsgi.response(204)
    @wsgi.expected_errors((404, 409))
    def delete_all(self, req, server_id):
        context, instance = self._editable_server(req, server_id, 'delete_all',
                                                  'delete tags')
        try:
            objects.TagList.destroy(_cell_context(context, instance), instance.uuid)
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
