"""host1's nova-compute, as far as host requests go, answering over the fake transport.

The API's host requests (os-hosts) make real compute RPC calls to it; the
manager's HostOperations mixin answers over the fake virt driver, or over a
driver that implements none of them (as libvirt).
"""

import contextlib

import oslo_messaging as messaging

from nova.compute import host_operations
from nova.compute import manager
from nova import rpc
from nova.virt import driver as virt_driver
from nova.virt import fake


class _Compute(host_operations.HostOperations):
    target = manager.ComputeManager.target

    def __init__(self, driver):
        self.host = 'host1'
        self.driver = driver


def bare_driver():
    """A driver with none of the host requests (libvirt's case)."""
    return virt_driver.ComputeDriver()


@contextlib.contextmanager
def serving(driver=None):
    """host1's compute endpoint, started on the already initialised transport."""
    endpoint = _Compute(driver if driver is not None else fake.FakeDriver(None))
    server = rpc.get_server(messaging.Target(topic='compute', server='host1'), [endpoint])
    server.start()
    try:
        yield endpoint
    finally:
        server.stop()
        server.wait()
