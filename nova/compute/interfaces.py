"""The compute manager's interface attach and detach (compute RPC 6.12).

A mixin of ComputeManager. An attach (an RPC call: the API answers with the
new interface) gets the port from Neutron bound to this host (the user's
port, or a new one on the asked network), has the driver hot-plug it into
the guest and caches the server's network info again; when the driver
fails, the port is handed back (deleted if Nova made it, unbound if the
user brought it) before the error goes back to the API. A detach (a cast)
has the driver unplug the port, then deletes Nova's port or unbinds the
user's and caches the network info again; a guest that keeps the device
keeps the port too, and the failure is recorded as a fault on the server.
"""

import sys

from oslo_log import log as logging

from nova.compute import operations
from nova.compute import ports
from nova.compute import utils as compute_utils
from nova import exception
from nova.network import info_cache
from nova import objects

LOG = logging.getLogger(__name__)


class InterfaceOperations(operations.InstanceOperations):
    """attach_interface / detach_interface for ComputeManager."""

    def _interface_action(self, context, instance, event_name, action, func):
        """Run ``func`` under the instance lock with its action event and
        notifications; errors go back to the caller (and into a fault)."""
        with self._instance_lock(instance.uuid):
            compute_utils.notify_about_instance_action(
                context, instance, self.host, action=action, phase='start')
            try:
                with compute_utils.event_reporter(context, event_name, self.host,
                                                  instance.uuid):
                    result = func()
            except Exception as exc:
                compute_utils.notify_about_instance_action(
                    context, instance, self.host, action=action, phase='error',
                    exception=exc)
                raise
            compute_utils.notify_about_instance_action(
                context, instance, self.host, action=action, phase='end')
            return result

    def attach_interface(self, context, instance, network_id, port_id, requested_ip,
                         tag=None):
        """RPC call (6.12): plug one more port into the guest; its VIF dict."""
        def attach():
            if not self.driver.capabilities.get('supports_attach_interface'):
                raise exception.AttachInterfaceNotSupported(instance_uuid=instance.uuid)
            if tag and not self.driver.capabilities.get('supports_device_tagging'):
                raise exception.NetworkInterfaceTaggedAttachNotSupported()
            if not ports.network_api_enabled():
                raise exception.InterfaceAttachFailedNoNetwork(
                    project_id=instance.project_id)
            network_api = ports.network_api()
            network_info = network_api.allocate_port_for_instance(
                context, instance, self.host, port_id=port_id, network_id=network_id,
                requested_ip=requested_ip)
            if len(network_info) != 1:
                LOG.error('Attach to %s allocated %d ports, expected one', instance.uuid,
                          len(network_info))
                raise exception.InterfaceAttachFailed(instance_uuid=instance.uuid)
            vif = network_info[0]
            try:
                image_meta = objects.ImageMeta.from_instance(instance)
                self.driver.attach_interface(context, instance, image_meta, vif)
            except Exception as exc:
                LOG.warning('Plugging port %s into %s failed (%s); handing it back',
                            vif['id'], instance.uuid, exc)
                self._hand_back(context, instance, vif)
                raise exception.InterfaceAttachFailed(instance_uuid=instance.uuid) from exc
            preserved = [vif['id']] if vif.get('preserve_on_delete') else []
            info_cache.refresh(context, instance, network_api, preserved=preserved)
            LOG.info('Port %s attached to %s', vif['id'], instance.uuid)
            return vif

        return self._interface_action(context, instance, 'compute_attach_interface',
                                      'interface_attach', attach)

    @staticmethod
    def _hand_back(context, instance, vif):
        try:
            ports.network_api().deallocate_port_for_instance(
                context, instance, vif['id'], preserve=bool(vif.get('preserve_on_delete')))
        except Exception:
            LOG.exception('Could not release port %s of %s', vif['id'], instance.uuid)

    def detach_interface(self, context, instance, port_id):
        """RPC cast (6.12): unplug the port from the guest, then release it."""
        def detach():
            vif = self._cached_vif(context, instance, port_id)
            try:
                self.driver.detach_interface(context, instance, vif)
            except exception.NovaException as exc:
                LOG.warning('Detaching port %s from %s failed: %s', port_id, instance.uuid,
                            exc.format_message())
                raise exception.InterfaceDetachFailed(instance_uuid=instance.uuid) from exc
            network_api = ports.network_api()
            network_api.deallocate_port_for_instance(
                context, instance, port_id, preserve=bool(vif.get('preserve_on_delete')))
            info_cache.refresh(context, instance, network_api)
            LOG.info('Port %s detached from %s', port_id, instance.uuid)

        try:
            self._interface_action(context, instance, 'compute_detach_interface',
                                   'interface_detach', detach)
        except Exception as exc:
            # A cast: the API has answered 202; the user sees the fault.
            LOG.exception('Detaching port %s from %s failed', port_id, instance.uuid)
            compute_utils.add_instance_fault_from_exc(context, instance, exc,
                                                      sys.exc_info()[2], host=self.host)

    @staticmethod
    def _cached_vif(context, instance, port_id):
        """The VIF of ``port_id`` from the info cache, or from Neutron when the
        cache has not caught up; PortNotFound when the server has no such port."""
        for vif in ports.cached_network_info(instance):
            if vif.get('id') == port_id:
                return vif
        if ports.network_api_enabled():
            for vif in ports.network_api().get_instance_nw_info(context, instance):
                if vif.get('id') == port_id:
                    return vif
        raise exception.PortNotFound(port_id=port_id)
