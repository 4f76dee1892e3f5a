"""``POST /flavors``, ``PUT /flavors/{id}`` (2.55) and ``DELETE /flavors/{id}``."""

from oslo_utils import strutils
from oslo_utils import uuidutils
import webob.exc

from nova.api.openstack.compute.flavors import show_extra_specs
from nova.api.openstack.compute.schemas import flavor_manage as schema
from nova.api.openstack.compute.views import flavors as flavors_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception
from nova import objects


class FlavorManageController(wsgi.Controller):

    _view_builder_class = flavors_view.ViewBuilder

    @wsgi.response(202)
    @wsgi.expected_errors(404)
    def delete(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-manage:delete', target={})
        try:
            flavor = objects.Flavor.get_by_flavor_id(context, id)
            flavor.destroy()
        except exception.FlavorNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())

    @validation.schema(schema.create, '2.0', '2.54')
    @validation.schema(schema.create_v255, '2.55', '2.101')
    @validation.schema(schema.create_v2102, '2.102')
    @wsgi.expected_errors((400, 409))
    def create(self, req, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-manage:create', target={})
        values = body['flavor']
        flavorid = values.get('id')
        if flavorid is None or flavorid == '':
            flavorid = uuidutils.generate_uuid()
        flavor = objects.Flavor(
            context=context,
            name=values['name'].strip() if isinstance(values['name'], str) else values['name'],
            memory_mb=int(values['ram']),
            vcpus=int(values['vcpus']),
            root_gb=int(values['disk']),
            ephemeral_gb=int(values.get('OS-FLV-EXT-DATA:ephemeral', 0)),
            swap=int(values.get('swap', 0)),
            rxtx_factor=float(values.get('rxtx_factor', 1.0)),
            is_public=strutils.bool_from_string(
                values.get('os-flavor-access:is_public', True), strict=True),
            flavorid=str(flavorid),
            description=values.get('description'),
        )
        try:
            flavor.create()
        except (exception.FlavorExists, exception.FlavorIdExists) as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        flavor.extra_specs = {}
        return self._view_builder.show(
            req, flavor, include_description=req.api_version_request >= '2.55',
            include_extra_specs=show_extra_specs(req, context))

    @wsgi.Controller.api_version('2.55')
    @validation.schema(schema.update, '2.55')
    @wsgi.expected_errors((400, 404))
    def update(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-manage:update', target={})
        try:
            flavor = objects.Flavor.get_by_flavor_id(context, id)
        except exception.FlavorNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        flavor.description = body['flavor']['description']
        flavor.save()
        return self._view_builder.show(
            req, flavor, include_description=True,
            include_extra_specs=show_extra_specs(req, context))
