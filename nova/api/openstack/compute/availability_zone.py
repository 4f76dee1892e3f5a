"""``/os-availability-zone[/detail]``: zones from the services of every cell.

A zone is available while at least one of its services is enabled; the list
shows users the compute zones only, the detail (admin) adds the internal zone
and every host's services.
"""

from oslo_log import log as logging

from nova.api.openstack import wsgi
from nova import availability_zones
from nova import context as nova_context
from nova import objects
from nova import servicegroup

LOG = logging.getLogger(__name__)
_API_BINARIES = ('nova-osapi_compute', 'nova-metadata')


def _services(context):
    found = []
    for cell in objects.CellMappingList.get_all(context):
        if cell.is_cell0():
            continue
        try:
            with nova_context.target_cell(context, cell) as cctxt:
                found.extend(s for s in objects.ServiceList.get_all(cctxt)
                             if s.binary not in _API_BINARIES)
        except Exception:
            LOG.warning('Cell %s did not answer; its zones are not listed', cell.uuid,
                        exc_info=True)
    return found


class AvailabilityZoneController(wsgi.Controller):

    def __init__(self):
        super().__init__()
        self.servicegroup_api = servicegroup.API()

    def _zones(self, context):
        """(services by zone, available zone names, unavailable zone names)."""
        services = _services(context)
        zones = availability_zones.host_zones(context)
        by_zone = {}
        for service in services:
            by_zone.setdefault(availability_zones.service_zone(service, zones),
                               []).append(service)
        available = sorted(z for z, ss in by_zone.items() if any(not s.disabled for s in ss))
        unavailable = sorted(z for z in by_zone if z not in available)
        return by_zone, available, unavailable

    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-availability-zone:list', target={})
        _by_zone, available, unavailable = self._zones(context)
        internal = availability_zones.CONF.internal_service_availability_zone
        info = [{'zoneName': z, 'zoneState': {'available': True}, 'hosts': None}
                for z in available if z != internal]
        info += [{'zoneName': z, 'zoneState': {'available': False}, 'hosts': None}
                 for z in unavailable if z != internal]
        return {'availabilityZoneInfo': info}

    @wsgi.expected_errors(())
    def detail(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-availability-zone:detail', target={})
        by_zone, available, unavailable = self._zones(context)
        info = []
        for zone in available:
            hosts = {}
            for service in by_zone[zone]:
                hosts.setdefault(service.host, {})[service.binary] = {
                    'available': self.servicegroup_api.service_is_up(service),
                    'active': not service.disabled,
                    'updated_at': service.updated_at,
                }
            info.append({'zoneName': zone, 'zoneState': {'available': True},
                         'hosts': hosts})
        info += [{'zoneName': z, 'zoneState': {'available': False}, 'hosts': None}
                 for z in unavailable]
        return {'availabilityZoneInfo': info}
