"""Host-level requests to the compute manager: the hypervisor's uptime (compute RPC
6.3) and the os-hosts requests (6.6: enable, maintenance mode, power actions).

A mixin of ComputeManager; the driver answers, NotImplementedError when it cannot
(the caller's RPC call raises it back, the API turns it into 501).
"""


class HostOperations(object):
    """Host requests for ComputeManager."""

    def get_host_uptime(self, context):
        """The host's ``uptime`` line, as the virt driver reports it."""
        return self.driver.get_host_uptime()

    def set_host_enabled(self, context, enabled):
        return self.driver.set_host_enabled(enabled)

    def host_maintenance_mode(self, context, host, mode):
        return self.driver.host_maintenance_mode(host, mode)

    def host_power_action(self, context, action):
        return self.driver.host_power_action(action)
