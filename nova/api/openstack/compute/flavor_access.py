"""Private flavors: which projects may use them (list, addTenantAccess, removeTenantAccess)."""

import webob.exc

from nova.api.openstack.compute.schemas import flavor_access as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception
from nova import objects

# Before 2.7 a public flavor's access list took new projects without complaint.
PUBLIC_FLAVOR_CONFLICT_SINCE = '2.7'


def _access_list(flavor):
    return {'flavor_access': [{'flavor_id': flavor.flavorid, 'tenant_id': project}
                              for project in flavor.projects]}


def _get_flavor(context, flavor_id):
    try:
        return objects.Flavor.get_by_flavor_id(context, flavor_id)
    except exception.FlavorNotFound as error:
        raise webob.exc.HTTPNotFound(explanation=error.format_message())


class FlavorAccessController(wsgi.Controller):

    @wsgi.expected_errors(404)
    def index(self, req, flavor_id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-access', target={})
        flavor = _get_flavor(context, flavor_id)
        if flavor.is_public:
            raise webob.exc.HTTPNotFound(
                explanation='Access list not available for public flavors.')
        return _access_list(flavor)

    @wsgi.action('addTenantAccess')
    @validation.schema(schema.add_tenant_access)
    @wsgi.expected_errors((400, 403, 404, 409))
    def add_tenant_access(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-access:add_tenant_access', target={})
        tenant = body['addTenantAccess']['tenant']
        flavor = _get_flavor(context, id)
        if flavor.is_public and req.api_version_request >= PUBLIC_FLAVOR_CONFLICT_SINCE:
            raise webob.exc.HTTPConflict(explanation='Can not add access to a public flavor.')
        try:
            flavor.add_access(tenant)
        except exception.FlavorAccessExists as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        return _access_list(flavor)

    @wsgi.action('removeTenantAccess')
    @validation.schema(schema.remove_tenant_access)
    @wsgi.expected_errors((400, 403, 404))
    def remove_tenant_access(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-flavor-access:remove_tenant_access', target={})
        tenant = body['removeTenantAccess']['tenant']
        flavor = _get_flavor(context, id)
        try:
            flavor.remove_access(tenant)
        except (exception.FlavorAccessNotFound, exception.FlavorNotFound) as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        return _access_list(flavor)
