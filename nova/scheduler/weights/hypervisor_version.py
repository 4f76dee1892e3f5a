"""Favour hosts running a newer hypervisor."""

import nova.conf
from nova.scheduler import utils
from nova.scheduler import weights

CONF = nova.conf.CONF


class HypervisorVersionWeigher(weights.BaseHostWeigher):
    multiplier_from_aggregates = True

    def weight_multiplier(self, host_state):
        return utils.get_weight_multiplier(
            host_state, 'hypervisor_version_weight_multiplier',
            CONF.filter_scheduler.hypervisor_version_weight_multiplier)

    def _weigh_object(self, host_state, weight_properties):
        return host_state.hypervisor_version or 0
