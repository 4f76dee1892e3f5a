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
        # Live as of when the host manager read the record, not as of now: the
        # servers of one big request are placed one after another, and the
        # copy read at the request's start ages while they are.
        if not self.servicegroup_api.service_is_up(
                service, as_of=host_state.service_read_at):
            LOG.warning('%s has not been heard from in a while', host_state)
            return False
        return True
