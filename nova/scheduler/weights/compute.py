"""Avoid hosts whose recent builds failed (they often fail again)."""

import nova.conf
from nova.scheduler import utils
from nova.scheduler import weights

CONF = nova.conf.CONF


class BuildFailureWeigher(weights.BaseHostWeigher):
    multiplier_from_aggregates = True

    def weight_multiplier(self, host_state):
        # Failures are bad, so the (positive) multiplier is applied negatively.
        return -1 * utils.get_weight_multiplier(
            host_state, 'build_failure_weight_multiplier',
            CONF.filter_scheduler.build_failure_weight_multiplier)

    def _weigh_object(self, host_state, weight_properties):
        return host_state.failed_builds
