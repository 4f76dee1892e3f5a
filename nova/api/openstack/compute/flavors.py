"""``/flavors``: list, detail and show (create/update/delete live in flavor_manage)."""

import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.schemas import flavors as schema
from nova.api.openstack.compute.views import flavors as flavors_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception
from nova import objects
from nova.policies import flavor_extra_specs as fes_policies  # noqa: F401

EXTRA_SPECS_INDEX = 'os_compute_api:os-flavor-extra-specs:index'
_SORT_KEYS = ('created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id',
              'is_public', 'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap',
              'updated_at', 'vcpu_weight', 'vcpus')


def _parse_bool_filter(value):
    lowered = value.strip().lower()
    if lowered in ('none',):
        return None
    if lowered in ('1', 't', 'true', 'on', 'y', 'yes'):
        return True
    if lowered in ('0', 'f', 'false', 'off', 'n', 'no'):
        return False
    raise webob.exc.HTTPBadRequest(explanation='Invalid is_public filter [%s]' % value)


def _int_filter(req, name):
    value = req.GET.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise webob.exc.HTTPBadRequest(explanation='Invalid %s filter [%s]' % (name, value))


def show_extra_specs(req, context):
    """2.61+: flavor bodies carry extra_specs when policy lets the caller read them."""
    return (req.api_version_request >= '2.61'
            and context.can(EXTRA_SPECS_INDEX, fatal=False))


class FlavorsController(wsgi.Controller):

    _view_builder_class = flavors_view.ViewBuilder

    @validation.query_schema(schema.index_query_2102, '2.102')
    @validation.query_schema(schema.index_query_275, '2.75', '2.101')
    @validation.query_schema(schema.index_query, '2.0', '2.74')
    @wsgi.expected_errors(400)
    def index(self, req):
        flavors = self._get_flavors(req)
        return self._view_builder.index(
            req, flavors, include_description=req.api_version_request >= '2.55')

    @validation.query_schema(schema.index_query_2102, '2.102')
    @validation.query_schema(schema.index_query_275, '2.75', '2.101')
    @validation.query_schema(schema.index_query, '2.0', '2.74')
    @wsgi.expected_errors(400)
    def detail(self, req):
        context = req.environ['nova.context']
        flavors = self._get_flavors(req)
        return self._view_builder.detail(
            req, flavors, include_description=req.api_version_request >= '2.55',
            include_extra_specs=show_extra_specs(req, context))

    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = req.environ['nova.context']
        try:
            flavor = objects.Flavor.get_by_flavor_id(context, id)
        except exception.FlavorNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        return self._view_builder.show(
            req, flavor, include_description=req.api_version_request >= '2.55',
            include_extra_specs=show_extra_specs(req, context))

    def _get_flavors(self, req):
        context = req.environ['nova.context']
        filters = {}
        if context.is_admin:
            filters['is_public'] = _parse_bool_filter(req.GET.get('is_public', 'true'))
        else:
            # Users see public flavors and the private ones shared with them.
            filters['is_public'] = True
            filters['disabled'] = False
        min_ram = _int_filter(req, 'minRam')
        if min_ram is not None:
            filters['min_memory_mb'] = min_ram
        if req.api_version_request >= '2.102' and 'name' in req.GET:
            filters['name'] = req.GET['name']
        min_disk = _int_filter(req, 'minDisk')
        if min_disk is not None:
            filters['min_root_gb'] = min_disk
        limit, marker = common.get_limit_and_marker(req)
        sort_key = req.GET.get('sort_key', 'flavorid')
        sort_dir = req.GET.get('sort_dir', 'asc')
        if sort_key not in _SORT_KEYS:
            raise webob.exc.HTTPBadRequest(explanation='Invalid sort key')
        if sort_dir not in ('asc', 'desc'):
            raise webob.exc.HTTPBadRequest(explanation='Invalid sort direction')
        try:
            return objects.FlavorList.get_all(
                context, filters=filters, sort_key=sort_key, sort_dir=sort_dir,
                limit=limit, marker=marker)
        except exception.MarkerNotFound:
            raise webob.exc.HTTPBadRequest(explanation='marker [%s] not found' % marker)
