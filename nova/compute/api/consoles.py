"""The compute API's remote consoles: VNC, SPICE and serial console URLs.

A mixin of nova.compute.api.API. A server needs a host (InstanceNotReady,
a 409, before it has one) and must not be being deleted or migrated
(InstanceInvalidState, a 409); its compute host answers the connection info,
from which the API hands back only the URL carrying the new token.
"""

from nova.compute.api import actions as api_actions
from nova.compute import task_states
from nova import exception

# Task states during which a console is refused, as upstream.
_NO_CONSOLE_TASKS = (task_states.DELETING, task_states.MIGRATING)


class ConsolesAPIMixin(object):
    """Remote consoles for nova.compute.api.API (which provides compute_rpcapi etc.)."""

    def _console_ready(self, context, instance, method):
        if not instance.host:
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        if instance.task_state in _NO_CONSOLE_TASKS:
            raise exception.InstanceInvalidState(
                attr='task_state', instance_uuid=instance.uuid,
                state=instance.task_state, method=method)
        cctxt = api_actions._cell_context(context, instance)
        if not self._host_is_up(cctxt, instance.host):
            raise exception.ComputeServiceUnavailable(host=instance.host)
        return cctxt

    def get_vnc_console(self, context, instance, console_type):
        cctxt = self._console_ready(context, instance, 'get_vnc_console')
        info = self.compute_rpcapi.get_vnc_console(cctxt, instance, console_type)
        return {'url': info['access_url']}

    def get_spice_console(self, context, instance, console_type):
        cctxt = self._console_ready(context, instance, 'get_spice_console')
        info = self.compute_rpcapi.get_spice_console(cctxt, instance, console_type)
        return {'url': info['access_url']}

    def get_serial_console(self, context, instance, console_type):
        cctxt = self._console_ready(context, instance, 'get_serial_console')
        info = self.compute_rpcapi.get_serial_console(cctxt, instance, console_type)
        return {'url': info['access_url']}
