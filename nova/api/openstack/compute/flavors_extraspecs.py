"""``/flavors/{flavor_id}/os-extra_specs``: a flavor's key/value scheduling hints."""

import webob.exc

from nova.api.openstack.compute import extra_specs_validation
from nova.api.openstack.compute.schemas import flavors_extraspecs as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception
from nova import objects


def _get_flavor(context, flavor_id):
    try:
        return objects.Flavor.get_by_flavor_id(context, flavor_id)
    except exception.FlavorNotFound as error:
        raise webob.exc.HTTPNotFound(explanation=error.format_message())


def _validate(req, specs):
    """From 2.86 keys in namespaces Nova knows must be known and well-formed."""
    if req.api_version_request < '2.86':
        return
    try:
        extra_specs_validation.validate_all(specs)
    except extra_specs_validation.ExtraSpecInvalid as error:
        raise webob.exc.HTTPBadRequest(explanation=str(error))


def _as_strings(specs):
    return {key: str(value).lower() if isinstance(value, bool) else str(value)
            for key, value in specs.items()}


class FlavorExtraSpecsController(wsgi.Controller):

    @wsgi.expected_errors(404)
    def index(self, req, flavor_id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-extra-specs:index',
                    target={'project_id': context.project_id})
        return {'extra_specs': _get_flavor(context, flavor_id).extra_specs}

    @validation.schema(schema.create)
    @wsgi.expected_errors((400, 404, 409))
    def create(self, req, flavor_id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-extra-specs:create', target={})
        specs = _as_strings(body['extra_specs'])
        _validate(req, specs)
        flavor = _get_flavor(context, flavor_id)
        try:
            flavor.save_extra_specs(to_add=specs)
        except exception.FlavorExtraSpecUpdateCreateFailed as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        return {'extra_specs': specs}

    @validation.schema(schema.update)
    @wsgi.expected_errors((400, 404, 409))
    def update(self, req, flavor_id, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-extra-specs:update', target={})
        if id not in body:
            raise webob.exc.HTTPBadRequest(explanation='Request body and URI mismatch')
        if len(body) > 1:
            raise webob.exc.HTTPBadRequest(
                explanation='Request body contains too many items')
        specs = _as_strings(body)
        _validate(req, specs)
        flavor = _get_flavor(context, flavor_id)
        try:
            flavor.save_extra_specs(to_add=specs)
        except exception.FlavorExtraSpecUpdateCreateFailed as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        return specs

    @wsgi.expected_errors(404)
    def show(self, req, flavor_id, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-extra-specs:show',
                    target={'project_id': context.project_id})
        flavor = _get_flavor(context, flavor_id)
        if id not in flavor.extra_specs:
            raise webob.exc.HTTPNotFound(explanation=(
                'Flavor %s has no extra specs with key %s.' % (flavor_id, id)))
        return {id: flavor.extra_specs[id]}

    @wsgi.expected_errors(404)
    def delete(self, req, flavor_id, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-extra-specs:delete', target={})
        flavor = _get_flavor(context, flavor_id)
        try:
            flavor.save_extra_specs(to_delete=[id])
        except exception.FlavorExtraSpecsNotFound:
            raise webob.exc.HTTPNotFound(explanation=(
                'Flavor %s has no extra specs with key %s.' % (flavor_id, id)))
