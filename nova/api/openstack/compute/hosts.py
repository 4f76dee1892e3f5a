"""``/os-hosts`` (deprecated: up to microversion 2.42, 404 after): hosts, their
resources, and host-wide requests to a compute's virt driver.

The list shows each enabled service's host with its topic and zone. A host
shows its first compute node's totals and usage, then what its instances use,
summed and per project. Enabling, maintenance mode and power actions go to
the host's nova-compute; drivers that cannot do them (libvirt among them)
answer 501, a down compute 400. os-services and os-hypervisors replace it.
"""

import webob.exc

from nova.api.openstack.compute.schemas import hosts as schema
from nova.api.openstack.compute.views import hosts as hosts_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova import availability_zones
from nova.compute import api as compute_api
from nova import exception

_MAX = '2.42'


def _switched_on(value):
    return value.strip().lower() == 'enable'


class HostController(wsgi.Controller):

    def __init__(self):
        super().__init__()
        self.host_api = compute_api.HostAPI()

    @wsgi.Controller.api_version('2.1', _MAX)
    @wsgi.expected_errors(())
    @validation.query_schema(schema.index_query)
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-hosts:list', target={})
        services = [s for s in self.host_api.service_get_all(context, disabled=False)
                    if s.topic]
        zones = availability_zones.host_zones(context)
        hosts = [{'host_name': s.host, 'service': s.topic,
                  'zone': availability_zones.service_zone(s, zones)} for s in services]
        zone = req.GET.get('zone')
        if zone:
            hosts = [h for h in hosts if h['zone'] == zone]
        return {'hosts': hosts}

    @wsgi.Controller.api_version('2.1', _MAX)
    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-hosts:show', target={})
        node, instances = self.host_api.host_resources(context, id)
        return {'host': hosts_view.resource_rows(id, node, instances)}

    @wsgi.Controller.api_version('2.1', _MAX)
    @wsgi.expected_errors((400, 404, 501))
    @validation.schema(schema.update)
    def update(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-hosts:update', target={})
        result = {'host': id}
        if 'maintenance_mode' in body:
            result['maintenance_mode'] = self._ask(
                context, id, 'set_host_maintenance', _switched_on(body['maintenance_mode']),
                ('on_maintenance', 'off_maintenance'),
                'Virt driver does not implement host maintenance mode.')
        if 'status' in body:
            result['status'] = self._ask(
                context, id, 'set_host_enabled', _switched_on(body['status']),
                ('enabled', 'disabled'),
                'Virt driver does not implement host disabled status.')
        return result

    def _power(self, req, id, action):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-hosts:%s' % ('start' if action == 'startup' else action),
                    target={})
        result = self._ask(context, id, 'host_power_action', action, None,
                           'Virt driver does not implement host power management.')
        return {'host': id, 'power_action': result}

    @wsgi.Controller.api_version('2.1', _MAX)
    @wsgi.expected_errors((400, 404, 501))
    def reboot(self, req, id):
        return self._power(req, id, 'reboot')

    @wsgi.Controller.api_version('2.1', _MAX)
    @wsgi.expected_errors((400, 404, 501))
    def shutdown(self, req, id):
        return self._power(req, id, 'shutdown')

    @wsgi.Controller.api_version('2.1', _MAX)
    @wsgi.expected_errors((400, 404, 501))
    def startup(self, req, id):
        return self._power(req, id, 'startup')

    def _ask(self, context, host, request, argument, valid, not_implemented):
        """One host request: 501 if the driver cannot, 400 for an answer outside ``valid``."""
        try:
            result = getattr(self.host_api, request)(context, host, argument)
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(explanation=not_implemented)
        except exception.ComputeServiceUnavailable as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        if valid is not None and result not in valid:
            raise webob.exc.HTTPBadRequest(explanation=str(result))
        return result
