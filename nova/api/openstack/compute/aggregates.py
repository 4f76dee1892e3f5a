"""``/os-aggregates``: host aggregates CRUD, host membership, metadata, image caching."""

import webob.exc

from nova.api.openstack.compute.schemas import aggregates as schema
from nova.api.openstack.compute.views import aggregates as aggregates_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova.compute import api as compute_api
from nova import exception


def _check_id(req, aggregate_id):
    """Ids are integers, negative ones too (they find nothing: 404, as upstream);
    uuids are accepted too, as they are stable; anything else is 400."""
    text = str(aggregate_id).strip()
    digits = text[1:] if text[:1] in '+-' else text
    if not (digits.isascii() and digits.isdigit()):  # '²'.isdigit() too, but int() refuses it
        from oslo_utils import uuidutils
        if not uuidutils.is_uuid_like(text):
            raise webob.exc.HTTPBadRequest(
                explanation='Invalid aggregate id %s, it must be an integer' % text)


class AggregateController(wsgi.Controller):

    def __init__(self):
        super().__init__()
        self.api = compute_api.AggregateAPI()

    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-aggregates:index', target={})
        return {'aggregates': [aggregates_view.aggregate(req, a)
                               for a in self.api.get_aggregate_list(context)]}

    @validation.schema(schema.create)
    @wsgi.expected_errors((400, 409))
    def create(self, req, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-aggregates:create', target={})
        params = body['aggregate']
        try:
            aggregate = self.api.create_aggregate(context, params['name'],
                                                  params.get('availability_zone'))
        except exception.AggregateNameExists as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InvalidAggregateAction as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        return {'aggregate': aggregates_view.aggregate(req, aggregate, full=False)}

    @wsgi.expected_errors((400, 404))
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-aggregates:show', target={})
        _check_id(req, id)
        return {'aggregate': aggregates_view.aggregate(req, self.api.get_aggregate(context, id))}

    @validation.schema(schema.update)
    @wsgi.expected_errors((400, 404, 409))
    def update(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-aggregates:update', target={})
        _check_id(req, id)
        try:
            aggregate = self.api.update_aggregate(context, id, body['aggregate'])
        except exception.AggregateNameExists as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        return {'aggregate': aggregates_view.aggregate(req, aggregate)}

    @wsgi.expected_errors((400, 404))
    def delete(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-aggregates:delete', target={})
        _check_id(req, id)
        self.api.delete_aggregate(context, id)

    @wsgi.action('add_host')
    @validation.schema(schema.add_host)
    @wsgi.expected_errors((400, 404, 409))
    def add_host(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-aggregates:add_host', target={})
        _check_id(req, id)
        try:
            aggregate = self.api.add_host_to_aggregate(context, id, body['add_host']['host'])
        except exception.InvalidAggregateActionAdd as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        return {'aggregate': aggregates_view.aggregate(req, aggregate)}

    @wsgi.action('remove_host')
    @validation.schema(schema.remove_host)
    @wsgi.expected_errors((400, 404, 409))
    def remove_host(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-aggregates:remove_host', target={})
        _check_id(req, id)
        try:
            aggregate = self.api.remove_host_from_aggregate(
                context, id, body['remove_host']['host'])
        except exception.InvalidAggregateActionDelete as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        return {'aggregate': aggregates_view.aggregate(req, aggregate)}

    @wsgi.action('set_metadata')
    @validation.schema(schema.set_metadata)
    @wsgi.expected_errors((400, 404))
    def set_metadata(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-aggregates:set_metadata', target={})
        _check_id(req, id)
        aggregate = self.api.update_aggregate_metadata(
            context, id, body['set_metadata']['metadata'])
        return {'aggregate': aggregates_view.aggregate(req, aggregate)}

    @wsgi.response(202)
    @validation.schema(schema.images)
    @wsgi.expected_errors((400, 404))
    def images(self, req, id, body):
        context = req.environ['nova.context']
        if req.api_version_request < '2.81':
            raise webob.exc.HTTPNotFound()
        context.can('compute:aggregates:images', target={})
        _check_id(req, id)
        ids = [entry['id'] for entry in body['cache']]
        if len(set(ids)) != len(ids):
            raise webob.exc.HTTPBadRequest(explanation='Duplicate images in request')
        self.api.cache_images(context, id, ids)
