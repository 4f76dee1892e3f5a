"""Client side of the scheduler RPC API (topic ``scheduler``)."""

import oslo_messaging as messaging

import nova.conf
from nova import rpc

CONF = nova.conf.CONF
RPC_TOPIC = 'scheduler'

# History:
#   4.0 - first version of this project's scheduler API
#   4.1 - select_destinations (spec_obj, instance_uuids, return_objects,
#         return_alternates)
VERSION_ALIASES = {}


class SchedulerAPI(object):
    VERSION = '4.1'

    def __init__(self):
        target = messaging.Target(topic=RPC_TOPIC, version='4.0')
        version_cap = rpc.resolve_version_cap('scheduler', VERSION_ALIASES)
        self.client = rpc.get_client(target, version_cap=version_cap)

    def ping(self, context, timeout=None):
        cctxt = self.client.prepare(timeout=timeout)
        return cctxt.call(context, 'ping', arg='ping')

    def select_destinations(self, ctxt, spec_obj, instance_uuids, return_objects=False,
                            return_alternates=False):
        """Pick (and claim in Placement) a host per server.

        With ``return_objects`` the answer is a list per server of Selection
        objects, the chosen host first and, with ``return_alternates``, up to
        ``[scheduler] max_attempts - 1`` alternates; otherwise a list of
        legacy host dicts.  Raises NoValidHost.
        """
        # Scheduling many servers can take a while: a long timeout, with the
        # call monitor noticing a scheduler that died meanwhile.
        cctxt = self.client.prepare(version='4.1', timeout=CONF.long_rpc_timeout,
                                    call_monitor_timeout=CONF.rpc_response_timeout)
        return cctxt.call(ctxt, 'select_destinations', spec_obj=spec_obj,
                          instance_uuids=instance_uuids, return_objects=return_objects,
                          return_alternates=return_alternates)
