"""``/os-simple-tenant-usage[/{tenant_id}]``: server-hours, vCPU/RAM/disk-hours per project.

A server counts for the part of [start, end] between its launch and its
termination. 2.40 pages over servers (``limit``/``marker``, next links).
"""

import datetime

from oslo_log import log as logging
from oslo_utils import timeutils
import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.schemas import simple_tenant_usage as schema
from nova.api.openstack.compute.views import simple_tenant_usage as simple_tenant_usage_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova import context as nova_context
from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)
_TIME_FORMATS = ('%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%d %H:%M:%S.%f',
                 '%Y-%m-%d %H:%M:%S')


def _parse_time(req, name):
    value = req.GET.get(name)
    if value is None:
        return timeutils.utcnow().replace(tzinfo=None)
    for fmt in _TIME_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
    try:
        parsed = timeutils.parse_isotime(value)
    except ValueError:
        raise webob.exc.HTTPBadRequest(explanation=(
            'Invalid %s time. The %s time must be a valid ISO 8601 date and time.'
            % (name, name)))
    return timeutils.normalize_time(parsed)


class _Sizes(object):
    """The sizes an instance was built with, when its flavor copy is gone."""

    def __init__(self, instance, name):
        self.name = name
        self.vcpus = instance.vcpus or 0
        self.memory_mb = instance.memory_mb or 0
        self.root_gb = instance.root_gb or 0
        self.ephemeral_gb = instance.ephemeral_gb or 0


def _flavor_of(instance):
    """The instance's flavor; for a deleted one its own size columns and the flavor name."""
    try:
        return instance.flavor
    except exception.NovaException:
        pass
    try:
        name = objects.Flavor.get_by_id(instance._context,
                                        instance.instance_type_id).name
    except Exception:
        name = ''
    return _Sizes(instance, name)


def _flavors(instances):
    return {inst.uuid: _flavor_of(inst) for inst in instances}


class SimpleTenantUsageController(wsgi.Controller):

    def _period(self, req):
        start, stop = _parse_time(req, 'start'), _parse_time(req, 'end')
        if stop == start and 'end' not in req.GET:
            stop += datetime.timedelta(microseconds=1)  # both defaulted to now
        if not start < stop:
            raise webob.exc.HTTPBadRequest(explanation=(
                'Invalid start time. The start time cannot occur after the end time.'))
        return start, stop

    @staticmethod
    def _instances(context, project_id, start, stop):
        """Servers (deleted or not) of every cell that ran during [start, stop], by id."""
        window = []
        for cell in objects.CellMappingList.get_all(context):
            try:
                with nova_context.target_cell(context, cell) as cctxt:
                    window.extend(objects.InstanceList.get_active_by_window_joined(
                        cctxt, start, stop, project_id=project_id or None,
                        expected_attrs=['flavor']))
            except Exception:
                LOG.warning('Cell %s did not answer; its usage is left out', cell.uuid,
                            exc_info=True)
        window.sort(key=lambda i: (simple_tenant_usage_view.naive(i.created_at)
                                   or datetime.datetime.min, i.uuid))
        return window

    @staticmethod
    def _page(req, instances):
        if req.api_version_request < '2.40':
            return instances, None
        limit, marker = common.get_limit_and_marker(req)
        if marker is not None:
            uuids = [i.uuid for i in instances]
            if marker not in uuids:
                raise webob.exc.HTTPBadRequest(explanation='marker [%s] not found' % marker)
            instances = instances[uuids.index(marker) + 1:]
        if limit is not None and len(instances) > limit:
            return instances[:limit], instances[limit - 1].uuid
        if limit is not None and len(instances) == limit and instances:
            return instances, instances[-1].uuid
        return instances, None

    @validation.query_schema(schema.query, '2.1', '2.39')
    @validation.query_schema(schema.query_v240, '2.40')
    @wsgi.expected_errors(400)
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-simple-tenant-usage:list', target={})
        start, stop = self._period(req)
        detailed = req.GET.get('detailed', '0') == '1'
        instances, last = self._page(req, self._instances(context, None, start, stop))
        body = {'tenant_usages': simple_tenant_usage_view.tenant_usages(
            instances, _flavors(instances), start, stop, detailed)}
        if last is not None:
            body['tenant_usages_links'] = [{'rel': 'next', 'href': common.ViewBuilder()
                                            ._get_next_link(req, last,
                                                            'os-simple-tenant-usage')}]
        return body

    @validation.query_schema(schema.query, '2.1', '2.39')
    @validation.query_schema(schema.query_v240, '2.40')
    @wsgi.expected_errors(400)
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-simple-tenant-usage:show', target={'project_id': id})
        start, stop = self._period(req)
        instances, last = self._page(req, self._instances(context, id, start, stop))
        usages = simple_tenant_usage_view.tenant_usages(
            instances, _flavors(instances), start, stop, detailed=True)
        body = {'tenant_usage': usages[0] if usages else {}}
        if last is not None:
            body['tenant_usage_links'] = [{'rel': 'next', 'href': common.ViewBuilder()
                                           ._get_next_link(req, last,
                                                           'os-simple-tenant-usage/%s' % id)}]
        return body
