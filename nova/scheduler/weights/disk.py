"""Favour hosts with more free local disk."""

import nova.conf
from nova.scheduler import utils
from nova.scheduler import weights

CONF = nova.conf.CONF


class DiskWeigher(weights.BaseHostWeigher):
    multiplier_from_aggregates = True
    minval = 0

    def weight_multiplier(self, host_state):
        return utils.get_weight_multiplier(host_state, 'disk_weight_multiplier',
                                           CONF.filter_scheduler.disk_weight_multiplier)

    def _weigh_object(self, host_state, weight_properties):
        return host_state.free_disk_mb
