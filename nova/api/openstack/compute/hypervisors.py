"""``/os-hypervisors``: compute nodes of every cell, as each microversion shows them."""

from oslo_log import log as logging
from oslo_utils import strutils
from oslo_utils import uuidutils
import webob.exc

import nova.conf
from nova.api.openstack import common
from nova.api.openstack.compute.schemas import hypervisors as schema
from nova.api.openstack.compute.views import hypervisors as views
from nova.api.openstack import wsgi
from nova.api import validation
from nova.compute import api as compute_api
from nova import context as nova_context
from nova import exception
from nova import objects
from nova import servicegroup

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_STAT_FIELDS = ('count', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
                'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload',
                'running_vms', 'disk_available_least')


class _Node(object):
    """A compute node with its service and cell, as the views need them."""

    def __init__(self, node, service, cell):
        self.node, self.service, self.cell = node, service, cell


class HypervisorsController(wsgi.Controller):

    def __init__(self):
        super().__init__()
        self.servicegroup_api = servicegroup.API()
        self.host_api = compute_api.HostAPI()

    # -- gathering ------------------------------------------------------

    def _nodes(self, context, pattern=None):
        found = []
        for cell in objects.CellMappingList.get_all(context):
            if cell.is_cell0():
                continue
            try:
                with nova_context.target_cell(context, cell) as cctxt:
                    if pattern:
                        nodes = objects.ComputeNodeList.get_by_hypervisor(cctxt, pattern)
                    else:
                        nodes = objects.ComputeNodeList.get_all(cctxt)
                    services = {s.host: s for s in
                                objects.ServiceList.get_by_binary(
                                    cctxt, 'nova-compute', include_disabled=True)}
            except Exception:
                LOG.warning('Cell %s did not answer; its hypervisors are not listed',
                            cell.uuid, exc_info=True)
                continue
            for node in nodes:
                service = services.get(node.host)
                if service is not None:
                    found.append(_Node(node, service, cell))
        found.sort(key=lambda n: (n.node.id if n.cell is None else (n.cell.uuid, n.node.id)))
        return found

    def _matching_nodes(self, context, pattern):
        """The legacy search/servers lookups: 404 when no hypervisor name matches."""
        entries = self._nodes(context, pattern)
        if not entries:
            raise webob.exc.HTTPNotFound(
                explanation='No hypervisor matching %s could be found.' % pattern)
        return entries

    def _find(self, req, context, hypervisor_id):
        use_uuid = req.api_version_request >= '2.53'
        if use_uuid and not uuidutils.is_uuid_like(hypervisor_id):
            raise webob.exc.HTTPBadRequest(explanation='Invalid uuid %s' % hypervisor_id)
        if not use_uuid:
            try:
                int(hypervisor_id)
            except ValueError:
                raise webob.exc.HTTPNotFound(
                    explanation='Hypervisor with ID %s could not be found.' % hypervisor_id)
        for entry in self._nodes(context):
            if str(views.public_id(req, entry.node)) == str(hypervisor_id):
                return entry
        raise webob.exc.HTTPNotFound(
            explanation='Hypervisor with ID %s could not be found.' % hypervisor_id)

    # -- views ----------------------------------------------------------

    def _servers(self, context, entry):
        with nova_context.target_cell(context, entry.cell) as cctxt:
            instances = objects.InstanceList.get_by_host_and_node(
                cctxt, entry.node.host, entry.node.hypervisor_hostname)
        return [{'name': i.name, 'uuid': i.uuid} for i in instances]

    def _view(self, req, context, entry, detail, with_servers=False):
        return views.hypervisor(
            req, entry.node, entry.service, self.servicegroup_api.service_is_up(entry.service),
            detail=detail, servers=self._servers(context, entry) if with_servers else None)

    # -- handlers -------------------------------------------------------

    def _list(self, req, detail):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-hypervisors:%s' % ('list-detail' if detail else 'list'),
                    target={})
        version = req.api_version_request
        pattern = None
        with_servers = False
        if version >= '2.53':
            pattern = req.GET.get('hypervisor_hostname_pattern')
            with_servers = strutils.bool_from_string(req.GET.get('with_servers', False),
                                                     strict=True)
            if pattern and ('limit' in req.GET or 'marker' in req.GET):
                raise webob.exc.HTTPBadRequest(explanation=(
                    'Paging over hypervisors with the hypervisor_hostname_pattern '
                    'query parameter is not supported.'))
        entries = self._nodes(context, pattern)
        if pattern and not entries:
            raise webob.exc.HTTPNotFound(explanation=(
                'No hypervisor matching %s could be found.' % pattern))
        links = []
        if version >= '2.33':
            limit, marker = common.get_limit_and_marker(req)
            if marker is not None:
                keys = [str(views.public_id(req, e.node)) for e in entries]
                if marker not in keys:
                    raise webob.exc.HTTPBadRequest(explanation='marker [%s] not found' % marker)
                entries = entries[keys.index(marker) + 1:]
            if limit is not None and len(entries) > limit:
                entries = entries[:limit]
                links = [{'rel': 'next', 'href': common.ViewBuilder()._get_next_link(
                    req, views.public_id(req, entries[-1].node), 'os-hypervisors')}]
        body = {'hypervisors': [self._view(req, context, e, detail, with_servers)
                                for e in entries]}
        if links:
            body['hypervisors_links'] = links
        return body

    @validation.query_schema(schema.list_query_253, '2.53')
    @validation.query_schema(schema.list_query_233, '2.33', '2.52')
    @wsgi.expected_errors((400, 404))
    def index(self, req):
        return self._list(req, detail=False)

    @validation.query_schema(schema.list_query_253, '2.53')
    @validation.query_schema(schema.list_query_233, '2.33', '2.52')
    @wsgi.expected_errors((400, 404))
    def detail(self, req):
        return self._list(req, detail=True)

    @validation.query_schema(schema.show_query, '2.53')
    @wsgi.expected_errors((400, 404))
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-hypervisors:show', target={})
        with_servers = False
        if req.api_version_request >= '2.53':
            with_servers = strutils.bool_from_string(req.GET.get('with_servers', False),
                                                     strict=True)
        entry = self._find(req, context, id)
        body = self._view(req, context, entry, True, with_servers)
        if req.api_version_request >= '2.88':
            body['uptime'] = self._uptime_or_none(context, entry)
        return {'hypervisor': body}

    def _uptime_or_none(self, context, entry):
        """2.88 shows uptime in show: asked of a live compute, None otherwise."""
        if not self.servicegroup_api.service_is_up(entry.service):
            return None
        try:
            return self.host_api.get_host_uptime(context, entry.node.host)
        except Exception:
            LOG.info('Could not get the uptime of %s', entry.node.host, exc_info=True)
            return None

    @wsgi.expected_errors((400, 404, 501))
    def uptime(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-hypervisors:uptime', target={})
        if req.api_version_request >= '2.88':
            raise webob.exc.HTTPNotFound()
        entry = self._find(req, context, id)
        try:
            uptime = self.host_api.get_host_uptime(context, entry.node.host)
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(
                explanation='Virt driver does not implement host uptime function.')
        except exception.ComputeServiceUnavailable as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        body = self._view(req, context, entry, False)
        body['uptime'] = uptime
        return {'hypervisor': body}

    @wsgi.expected_errors(404)
    def search(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-hypervisors:search', target={})
        if req.api_version_request >= '2.53':
            raise webob.exc.HTTPNotFound()
        entries = self._matching_nodes(context, id)
        return {'hypervisors': [self._view(req, context, e, False) for e in entries]}

    @wsgi.expected_errors(404)
    def servers(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-hypervisors:servers', target={})
        if req.api_version_request >= '2.53':
            raise webob.exc.HTTPNotFound()
        entries = self._matching_nodes(context, id)
        return {'hypervisors': [self._view(req, context, e, False, with_servers=True)
                                for e in entries]}

    @wsgi.expected_errors(404)
    def statistics(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-hypervisors:statistics', target={})
        if req.api_version_request >= '2.88':
            raise webob.exc.HTTPNotFound()
        totals = dict.fromkeys(_STAT_FIELDS, 0)
        for entry in self._nodes(context):
            totals['count'] += 1
            for field in _STAT_FIELDS[1:]:
                totals[field] += getattr(entry.node, field, None) or 0
        return {'hypervisor_statistics': totals}

