"""Score hosts by their running I/O-heavy operations (the default multiplier avoids busy ones)."""

import nova.conf
from nova.scheduler import utils
from nova.scheduler import weights

CONF = nova.conf.CONF


class IoOpsWeigher(weights.BaseHostWeigher):
    multiplier_from_aggregates = True
    minval = 0

    def weight_multiplier(self, host_state):
        return utils.get_weight_multiplier(host_state, 'io_ops_weight_multiplier',
                                           CONF.filter_scheduler.io_ops_weight_multiplier)

    def _weigh_object(self, host_state, weight_properties):
        return host_state.num_io_ops
