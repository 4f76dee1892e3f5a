"""Favour hosts with more free vCPUs (after the allocation ratio)."""

import nova.conf
from nova.scheduler import utils
from nova.scheduler import weights

CONF = nova.conf.CONF


class CPUWeigher(weights.BaseHostWeigher):
    multiplier_from_aggregates = True
    minval = 0

    def weight_multiplier(self, host_state):
        return utils.get_weight_multiplier(host_state, 'cpu_weight_multiplier',
                                           CONF.filter_scheduler.cpu_weight_multiplier)

    def _weigh_object(self, host_state, weight_properties):
        ratio = host_state.cpu_allocation_ratio or 1.0
        return host_state.vcpus_total * ratio - host_state.vcpus_used
