"""The compute manager's injectNetworkInfo admin action.

A mixin of ComputeManager.
"""

import sys

from oslo_log import log as logging

from nova.compute import operations
from nova.compute import utils as compute_utils

LOG = logging.getLogger(__name__)


class NetworkInfoOperations(operations.InstanceOperations):
    """inject_network_info (compute RPC 6.5) for ComputeManager."""

    def inject_network_info(self, context, instance):
        """RPC cast (6.5): hand the guest its cached network info (an admin action).

        Most drivers have nothing to do (guests read it from the metadata service
        or config drive). The API has already answered 202, so a failure is
        recorded as an instance fault for the operator to see.
        """
        network_info = []
        if instance.obj_attr_is_set('info_cache') and instance.info_cache is not None:
            network_info = list(instance.info_cache.network_info or [])
        try:
            self.driver.inject_network_info(instance, network_info)
        except Exception as exc:
            LOG.exception('Injecting network info into %s failed', instance.uuid)
            compute_utils.add_instance_fault_from_exc(context, instance, exc,
                                                      sys.exc_info()[2], host=self.host)
