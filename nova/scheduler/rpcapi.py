"""Client side of the scheduler RPC API (topic ``scheduler``)."""

import oslo_messaging as messaging

import nova.conf
from nova import rpc

CONF = nova.conf.CONF
RPC_TOPIC = 'scheduler'

# History:
#   4.0 - first version of this project's scheduler API
VERSION_ALIASES = {}


class SchedulerAPI(object):
    VERSION = '4.0'

    def __init__(self):
        target = messaging.Target(topic=RPC_TOPIC, version='4.0')
        version_cap = rpc.resolve_version_cap('scheduler', VERSION_ALIASES)
        self.client = rpc.get_client(target, version_cap=version_cap)

    def ping(self, context, timeout=None):
        cctxt = self.client.prepare(timeout=timeout)
        return cctxt.call(context, 'ping', arg='ping')
