"""The compute API's interface attach and detach (``os-interface`` POST/DELETE).

A mixin of nova.compute.api.API. Both check the server's lock and state
(active, paused or stopped, no task under way: upstream's), record the
instance action and go to the server's host: an attach is a call (the
host answers with the new interface, or the reason it could not), a
detach a cast after checking the server has the port.
"""

from nova.compute.api import checks
from nova.compute import instance_actions
from nova.compute import vm_states
from nova import exception
from nova.network import neutron as network_neutron

ALLOWED_VM_STATES = (vm_states.ACTIVE, vm_states.PAUSED, vm_states.STOPPED)


def _cell_context(context, instance):
    return getattr(instance, '_context', None) or context


def _has_port(instance, port_id):
    if not instance.obj_attr_is_set('info_cache') or instance.info_cache is None:
        return False
    return any(vif.get('id') == port_id for vif in instance.info_cache.network_info or [])


class InterfaceAPIMixin(object):
    """Interface attach and detach for nova.compute.api.API."""

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=ALLOWED_VM_STATES, task_state=(None,))
    def attach_interface(self, context, instance, network_id=None, port_id=None,
                         requested_ip=None, tag=None):
        """Give the server one more port; the VIF dict of it."""
        checks.require_host(instance, 'attach_interface')
        cctxt = _cell_context(context, instance)
        self._record_action_start(context, instance, instance_actions.ATTACH_INTERFACE)
        return self.compute_rpcapi.attach_interface(
            cctxt, instance, network_id=network_id, port_id=port_id,
            requested_ip=requested_ip, tag=tag)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=ALLOWED_VM_STATES, task_state=(None,))
    def detach_interface(self, context, instance, port_id):
        """Take the port from the server (PortNotFound when it has no such port)."""
        checks.require_host(instance, 'detach_interface')
        if not _has_port(instance, port_id):
            # The cache may lag behind Neutron: ask it before refusing.
            if not network_neutron.is_enabled():
                raise exception.PortNotFound(port_id=port_id)
            port = network_neutron.API().show_port(context, port_id)
            if port.get('device_id') != instance.uuid:
                raise exception.PortNotFound(port_id=port_id)
        cctxt = _cell_context(context, instance)
        self._record_action_start(context, instance, instance_actions.DETACH_INTERFACE)
        self.compute_rpcapi.detach_interface(cctxt, instance, port_id=port_id)
