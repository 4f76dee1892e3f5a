"""``/os-services``: list services of every cell, enable/disable/force-down, delete."""

from oslo_log import log as logging
from oslo_utils import strutils
from oslo_utils import uuidutils
import webob.exc

import nova.conf
from nova.api.openstack.compute.schemas import services as schema
from nova.api.openstack.compute.views import services as services_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova import availability_zones
from nova.compute import api as compute_api
from nova.compute import utils as compute_utils
from nova import context as nova_context
from nova import exception
from nova import objects
from nova import servicegroup

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# The API's own service records are not listed, as upstream.
_API_BINARIES = ('nova-osapi_compute', 'nova-metadata')
_OLD_ACTIONS = ('enable', 'disable', 'disable-log-reason', 'force-down')


def _cells(context):
    return objects.CellMappingList.get_all(context)


def _zones_by_host(context):
    try:
        return availability_zones.host_zones(context)
    except Exception:
        LOG.warning('Could not read availability zones of aggregates', exc_info=True)
        return {}


def _forget_compute_host(context, host, nodes):
    """A deleted compute leaves its aggregates and its Placement providers, as upstream."""
    for aggregate in objects.AggregateList.get_by_host(context, host):
        try:
            aggregate.delete_host(host)
        except exception.AggregateHostNotFound:
            pass
    from nova.scheduler.client import report
    client = report.SchedulerReportClient()
    for node in nodes:
        try:
            client.delete_provider(context, node.uuid)
        except Exception:
            LOG.warning('Could not delete resource provider %s of deleted compute %s',
                        node.uuid, host, exc_info=True)


class ServiceController(wsgi.Controller):

    def __init__(self):
        super().__init__()
        self.servicegroup_api = servicegroup.API()

    def _all_services(self, context):
        """([(service, cell)] over every cell that answers, [cells that did not])."""
        found, down = [], []
        for cell in _cells(context):
            if cell.is_cell0():
                continue
            try:
                with nova_context.target_cell(context, cell) as cctxt:
                    services = objects.ServiceList.get_all(cctxt)
            except Exception:
                LOG.warning('Cell %s did not answer; its services are not listed in full',
                            cell.uuid, exc_info=True)
                down.append(cell)
                continue
            found.extend((service, cell) for service in services
                         if service.binary not in _API_BINARIES)
        return found, down

    @staticmethod
    def _unreachable_computes(context, cells):
        """2.69: what the API database knows of a down cell's computes, its host
        mappings, listed with status UNKNOWN and no other keys (as upstream)."""
        partial = []
        for cell in cells:
            for mapping in objects.HostMappingList.get_by_cell_id(context, cell.id):
                partial.append({'binary': 'nova-compute', 'host': mapping.host,
                                'status': 'UNKNOWN'})
        return partial

    def _service_body(self, req, service, zones):
        return services_view.service(
            req, service, availability_zones.service_zone(service, zones),
            self.servicegroup_api.service_is_up(service))

    @validation.query_schema(schema.index_query)
    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-services:list', target={})
        host = req.GET.get('host')
        binary = req.GET.get('binary')
        found, down = self._all_services(context)
        services = [s for s, _cell in found
                    if (host is None or s.host == host)
                    and (binary is None or s.binary == binary)]
        zones = _zones_by_host(context)
        body = [self._service_body(req, s, zones) for s in services]
        if req.api_version_request >= '2.69':
            body.extend(p for p in self._unreachable_computes(context, down)
                        if (host is None or p['host'] == host)
                        and (binary is None or p['binary'] == binary))
        return {'services': body}

    def _find(self, context, host, binary):
        for cell in _cells(context):
            if cell.is_cell0():
                continue
            with nova_context.target_cell(context, cell) as cctxt:
                service = objects.Service.get_by_host_and_binary(cctxt, host, binary)
            if service is not None:
                return service, cell
        raise webob.exc.HTTPNotFound(explanation='Unknown service')

    def _find_by_uuid(self, context, service_id):
        for cell in _cells(context):
            if cell.is_cell0():
                continue
            with nova_context.target_cell(context, cell) as cctxt:
                try:
                    return objects.Service.get_by_uuid(cctxt, service_id), cell
                except exception.ServiceNotFound:
                    continue
        raise webob.exc.HTTPNotFound(
            explanation='Service with id %s could not be found.' % service_id)

    @wsgi.expected_errors((400, 404))
    def update(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-services:update', target={})
        if req.api_version_request >= '2.53':
            return self._update_v253(req, context, id, body=body)
        if id not in _OLD_ACTIONS or (id == 'force-down' and
                                      req.api_version_request < '2.11'):
            raise webob.exc.HTTPNotFound(explanation='Unknown action')
        return self._update_old(req, context, id, body=body)

    @validation.schema(schema.service_update, '2.0', '2.10')
    @validation.schema(schema.service_update_v211, '2.11', '2.52')
    def _update_old(self, req, context, id, body):
        host, binary = body['host'], body['binary']
        service, _cell = self._find(context, host, binary)
        result = {'host': host, 'binary': binary}
        if id == 'enable':
            service.disabled = False
            service.disabled_reason = None
            result['status'] = 'enabled'
        elif id in ('disable', 'disable-log-reason'):
            service.disabled = True
            if id == 'disable-log-reason':
                reason = body.get('disabled_reason')
                if not reason or not reason.strip():
                    raise webob.exc.HTTPBadRequest(
                        explanation='Missing disabled reason field')
                service.disabled_reason = reason.strip()
                result['disabled_reason'] = service.disabled_reason
            result['status'] = 'disabled'
        else:
            if 'forced_down' not in body:
                raise webob.exc.HTTPBadRequest(explanation='Missing forced_down field')
            service.forced_down = strutils.bool_from_string(body['forced_down'], strict=True)
            result['forced_down'] = service.forced_down
        with nova_context.target_cell(context, _cell) as cctxt:
            service._context = cctxt
            service.save()
            compute_utils.notify_about_service_update(cctxt, service)
        if id != 'force-down':
            compute_api.sync_disabled_trait(context, _cell, service)
        return {'service': result}

    @validation.schema(schema.service_update_v253, '2.53')
    def _update_v253(self, req, context, id, body):
        if not uuidutils.is_uuid_like(id):
            raise webob.exc.HTTPBadRequest(explanation='Invalid uuid %s' % id)
        service, cell = self._find_by_uuid(context, id)
        if service.binary != 'nova-compute':
            raise webob.exc.HTTPBadRequest(explanation=(
                'Updating a %s service is not supported. Only nova-compute '
                'services can be updated.' % service.binary))
        status = body.get('status')
        if 'disabled_reason' in body and status != 'disabled':
            raise webob.exc.HTTPBadRequest(explanation=(
                "Specifying 'disabled_reason' with status 'enabled' or without a status "
                "is invalid."))
        if status == 'enabled':
            service.disabled = False
            service.disabled_reason = None
        elif status == 'disabled':
            service.disabled = True
            service.disabled_reason = body.get('disabled_reason')
        if 'forced_down' in body:
            forced = strutils.bool_from_string(body['forced_down'], strict=True)
            service.forced_down = forced
        if not body:
            raise webob.exc.HTTPBadRequest(explanation=(
                "At least one of 'status' or 'forced_down' must be specified in the "
                "request body."))
        with nova_context.target_cell(context, cell) as cctxt:
            service._context = cctxt
            service.save()
            compute_utils.notify_about_service_update(cctxt, service)
        if status is not None:
            compute_api.sync_disabled_trait(context, cell, service)
        return {'service': self._service_body(req, service, _zones_by_host(context))}

    @wsgi.response(204)
    @wsgi.expected_errors((400, 404, 409))
    def delete(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-services:delete', target={})
        if req.api_version_request >= '2.53':
            if not uuidutils.is_uuid_like(id):
                raise webob.exc.HTTPBadRequest(explanation='Invalid uuid %s' % id)
            service, cell = self._find_by_uuid(context, id)
        else:
            try:
                service_id = int(id)
            except ValueError:
                raise webob.exc.HTTPBadRequest(
                    explanation='Service id %s refers to multiple services.' % id)
            service = cell = None
            for candidate in _cells(context):
                if candidate.is_cell0():
                    continue
                with nova_context.target_cell(context, candidate) as cctxt:
                    try:
                        service = objects.Service.get_by_id(cctxt, service_id)
                        cell = candidate
                        break
                    except exception.ServiceNotFound:
                        continue
            if service is None:
                raise webob.exc.HTTPNotFound(
                    explanation='Service %s could not be found.' % id)
        with nova_context.target_cell(context, cell) as cctxt:
            if service.binary == 'nova-compute':
                if objects.InstanceList.get_uuids_by_host(cctxt, service.host):
                    raise webob.exc.HTTPConflict(explanation=(
                        'Unable to delete compute service that is hosting instances. '
                        'Migrate or delete the instances first.'))
                try:
                    nodes = objects.ComputeNodeList.get_all_by_host(cctxt, service.host)
                except exception.ComputeHostNotFound:
                    nodes = []
                for node in nodes:
                    node.destroy()
                _forget_compute_host(context, service.host, nodes)
                try:
                    objects.HostMapping.get_by_host(context, service.host).destroy()
                except exception.HostMappingNotFound:
                    pass
            service._context = cctxt
            service.destroy()
