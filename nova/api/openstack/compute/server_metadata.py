"""``/servers/{id}/metadata``: a server's user key/value pairs."""

import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.schemas import server_metadata as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova.compute import api as compute_api
from nova import exception

_POLICY = 'os_compute_api:server-metadata:%s'
_NOT_FOUND = 'Metadata item was not found'


class ServerMetadataController(wsgi.Controller):

    def _server(self, req, server_id, action):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id, expected_attrs=['metadata'])
        context.can(_POLICY % action, target={'project_id': instance.project_id})
        return context, instance

    @staticmethod
    def _update(context, instance, server_id, metadata, delete):
        try:
            return compute_api.get().update_instance_metadata(context, instance, metadata,
                                                             delete=delete)
        except exception.InstanceNotFound:
            raise webob.exc.HTTPNotFound(explanation='Server does not exist')
        except (exception.InvalidMetadata, exception.InvalidMetadataSize) as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except exception.QuotaError as error:
            raise webob.exc.HTTPForbidden(explanation=error.format_message())
        except exception.InstanceIsLocked as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(
                error, 'update metadata', server_id)

    @wsgi.expected_errors(404)
    def index(self, req, server_id):
        _context, instance = self._server(req, server_id, 'index')
        return {'metadata': dict(instance.metadata)}

    @validation.schema(schema.create)
    @wsgi.expected_errors((400, 403, 404, 409))
    def create(self, req, server_id, body):
        context, instance = self._server(req, server_id, 'create')
        return {'metadata': self._update(context, instance, server_id, body['metadata'],
                                         delete=False)}

    @validation.schema(schema.update_all)
    @wsgi.expected_errors((400, 403, 404, 409))
    def update_all(self, req, server_id, body):
        context, instance = self._server(req, server_id, 'update_all')
        return {'metadata': self._update(context, instance, server_id, body['metadata'],
                                         delete=True)}

    @wsgi.expected_errors(404)
    def show(self, req, server_id, id):
        _context, instance = self._server(req, server_id, 'show')
        if id not in instance.metadata:
            raise webob.exc.HTTPNotFound(explanation=_NOT_FOUND)
        return {'meta': {id: instance.metadata[id]}}

    @validation.schema(schema.update)
    @wsgi.expected_errors((400, 403, 404, 409))
    def update(self, req, server_id, id, body):
        context, instance = self._server(req, server_id, 'update')
        meta_item = body['meta']
        if id not in meta_item:
            raise webob.exc.HTTPBadRequest(explanation='Request body and URI mismatch')
        self._update(context, instance, server_id, meta_item, delete=False)
        return {'meta': meta_item}

    @wsgi.response(204)
    @wsgi.expected_errors((404, 409))
    def delete(self, req, server_id, id):
        context, instance = self._server(req, server_id, 'delete')
        if id not in instance.metadata:
            raise webob.exc.HTTPNotFound(explanation=_NOT_FOUND)
        try:
            compute_api.get().delete_instance_metadata(context, instance, id)
        except exception.InstanceNotFound:
            raise webob.exc.HTTPNotFound(explanation='Server does not exist')
        except exception.InstanceIsLocked as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(
                error, 'delete metadata', server_id)
