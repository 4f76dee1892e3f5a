"""Security proxies: authenticate to the hypervisor's console on the user's behalf."""


class SecurityProxyNegotiationFailed(Exception):
    """The console protocol handshake between proxy, client and server failed."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason
