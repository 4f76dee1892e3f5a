"""Skip hosts whose nova-compute is disabled or has stopped heartbeating."""

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova.scheduler import filters
from nova.servicegroup import api as servicegroup_api

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class ComputeFilter(filters.BaseHostFilter):
    """Only hosts with an enabled, live compute service."""

    RUN_ON_REBUILD = False

    def filter_all(self, host_states, spec_obj):
        # The clock and service_down_time read once for all hosts.
        now = timeutils.utcnow()
        down_time = CONF.service_down_time
        return [h for h in host_states if self._passes(h, now, down_time)]

    def host_passes(self, host_state, spec_obj):
        return self._passes(host_state, timeutils.utcnow(), CONF.service_down_time)

    def _passes(self, host_state, now, down_time):
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
        if not servicegroup_api.is_up(service, host_state.service_read_at or now, down_time):
            LOG.warning('%s has not been heard from in a while', host_state)
            return False
        return True
