"""Hosts in the availability zone the server asked for (zones come from aggregates)."""

from oslo_log import log as logging

import nova.conf
from nova.scheduler import filters
from nova.scheduler import utils

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class AvailabilityZoneFilter(filters.BaseHostFilter):
    """Deprecated upstream in favour of the Placement request filter; kept for configs."""

    RUN_ON_REBUILD = False

    def host_passes(self, host_state, spec_obj):
        wanted = spec_obj.availability_zone if spec_obj.obj_attr_is_set(
            'availability_zone') else None
        if not wanted:
            return True
        zones = utils.aggregate_values_from_key(host_state, 'availability_zone')
        if not zones:
            zones = {CONF.default_availability_zone}
        if wanted in zones:
            return True
        LOG.debug('Availability Zone %(az)s requested; %(host)s is in %(zones)s',
                  {'az': wanted, 'host': host_state, 'zones': sorted(zones)})
        return False
