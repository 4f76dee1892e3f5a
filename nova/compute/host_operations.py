"""Host-level queries of the compute manager (compute RPC 6.3): the hypervisor's uptime.

A mixin of ComputeManager; the driver answers, NotImplementedError when it cannot.
"""


class HostOperations(object):
    """get_host_uptime for ComputeManager."""

    def get_host_uptime(self, context):
        """The host's ``uptime`` line, as the virt driver reports it."""
        return self.driver.get_host_uptime()
