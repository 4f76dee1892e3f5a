"""Skip hosts whose nova-compute is disabled or has stopped heartbeating."""

from oslo_log import log as logging

from nova.scheduler import filters
from nova import servicegroup

LOG = logging.getLogger(__name__)


class ComputeFilter(filters.BaseHostFilter):
    """Only hosts with an enabled, live compute service."""

    RUN_ON_REBUILD = False

    def __init__(self):
        self.servicegroup_api = servicegroup.API()

    def host_passes(self, host_state, spec_obj):
        service = host_state.service
        if service is None:
            return False
        if service.disabled:
            LOG.debug('%(host)s is disabled, reason: %(reason)s',
                      {'host': host_state, 'reason': service.disabled_reason})
            return False
        if not self.servicegroup_api.service_is_up(service):
            LOG.warning('%s has not been heard from in a while', host_state)
            return False
        return True
