"""Hosts holding fewer servers than ``[filter_scheduler] max_instances_per_host``."""

import nova.conf
from nova.scheduler import filters
from nova.scheduler import utils

CONF = nova.conf.CONF


class NumInstancesFilter(filters.BaseHostFilter):
    RUN_ON_REBUILD = False

    def _max(self, host_state):
        return CONF.filter_scheduler.max_instances_per_host

    def host_passes(self, host_state, spec_obj):
        return host_state.num_instances < self._max(host_state)


class AggregateNumInstancesFilter(NumInstancesFilter):
    """The same, with a ``max_instances_per_host`` aggregate metadata override."""

    def _max(self, host_state):
        values = utils.aggregate_values_from_key(host_state, 'max_instances_per_host')
        try:
            return min(int(v) for v in values) if values else super()._max(host_state)
        except ValueError:
            return super()._max(host_state)
