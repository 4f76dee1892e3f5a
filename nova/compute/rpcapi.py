"""Client side of the compute RPC API (topic ``compute``, server = host)."""

import oslo_messaging as messaging
from oslo_log import log as logging

import nova.conf
from nova.compute import live_migration_rpcapi
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.objects import service as service_obj
from nova import rpc

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)
RPC_TOPIC = 'compute'

# History:
#   6.0 - first version of this project's compute API: ping, build_and_run_instance,
#         terminate_instance
#   6.1 - server actions: reboot_instance, start_instance, stop_instance, pause_instance,
#         unpause_instance, suspend_instance, resume_instance, snapshot_instance,
#         backup_instance, get_console_output, trigger_crash_dump, soft_delete_instance,
#         restore_instance
#   6.2 - external_instance_event
#   6.3 - get_host_uptime
#   6.4 - get_vnc_console, get_spice_console, get_serial_console
#   6.5 - get_diagnostics, get_instance_diagnostics, inject_network_info
#   6.6 - set_host_enabled, host_maintenance_mode, host_power_action
#   6.7 - resize and cold migration: prep_resize, resize_instance, finish_resize,
#         confirm_resize, revert_resize, finish_revert_resize
#   6.8 - attach_volume, detach_volume
#   6.9 - rebuild_instance, rescue_instance, unrescue_instance, shelve_instance,
#         shelve_offload_instance, unshelve_instance
#   6.10 - evacuate_instance
#   6.11 - live migration (nova.compute.live_migration_rpcapi)
#   6.12 - attach_interface, detach_interface
#   6.13 - swap_volume
VERSION_ALIASES = {}


def _auto_version_cap():
    """The compute RPC version the oldest running nova-compute understands."""
    ctxt = nova_context.get_admin_context()
    try:
        minimum = service_obj.get_minimum_version_all_cells(ctxt, ['nova-compute'])
    except Exception as exc:
        LOG.warning('Could not determine the minimum nova-compute version (%s); '
                    'not pinning the compute RPC API', exc)
        return None
    if not minimum:
        return None
    history = service_obj.SERVICE_VERSION_HISTORY
    return history[min(minimum, len(history) - 1)]['compute_rpc']


class ComputeAPI(live_migration_rpcapi.LiveMigrationRPCMixin):
    VERSION = '6.13'

    def __init__(self):
        objects.register_all()
        target = messaging.Target(topic=RPC_TOPIC, version='6.0')
        self.version_cap = rpc.resolve_version_cap('compute', VERSION_ALIASES,
                                                   auto=_auto_version_cap)
        self.client = rpc.get_client(target, version_cap=self.version_cap)

    def _prepare(self, context, host, version='6.0', **kwargs):
        client = rpc.get_cell_client(context, self.client)
        return client.prepare(server=host, version=version, **kwargs)

    def _prepare_for(self, ctxt, server, version):
        """A client for host ``server`` at ``version``; ComputeServiceUnavailable when
        the host (or the ``[upgrade_levels] compute`` pin) is older than that."""
        client = rpc.get_cell_client(ctxt, self.client)
        if not client.can_send_version(version):
            raise exception.ComputeServiceUnavailable(host=server)
        return client.prepare(server=server, version=version)

    def _call_host(self, ctxt, server, version, method, **kwargs):
        """A call needing ``version``; ComputeServiceUnavailable when the host is too
        old or does not answer. (``server``, not ``host``: some methods take a
        ``host`` argument of their own.)"""
        cctxt = self._prepare_for(ctxt, server, version)
        try:
            return cctxt.call(ctxt, method, **kwargs)
        except messaging.MessagingTimeout:
            raise exception.ComputeServiceUnavailable(host=server)

    def ping(self, context, host, timeout=None):
        """Round-trip to one host's nova-compute."""
        cctxt = self._prepare(context, host, timeout=timeout)
        return cctxt.call(context, 'ping', arg='ping')

    def build_and_run_instance(self, ctxt, instance, host, image, request_spec,
                               filter_properties, admin_password=None, injected_files=None,
                               requested_networks=None, security_groups=None,
                               block_device_mapping=None, node=None, limits=None,
                               host_list=None, accel_uuids=None):
        cctxt = self._prepare(ctxt, host)
        cctxt.cast(ctxt, 'build_and_run_instance', instance=instance, image=image,
                   request_spec=request_spec, filter_properties=filter_properties,
                   admin_password=admin_password, injected_files=injected_files,
                   requested_networks=requested_networks, security_groups=security_groups,
                   block_device_mapping=block_device_mapping, node=node, limits=limits,
                   host_list=host_list, accel_uuids=accel_uuids)

    def terminate_instance(self, ctxt, instance, bdms):
        cctxt = self._prepare(ctxt, instance.host)
        cctxt.cast(ctxt, 'terminate_instance', instance=instance, bdms=bdms)

    # --- external events (6.2) ---------------------------------------------------

    def external_instance_event(self, ctxt, instances, events, host=None):
        """Tell one host's nova-compute about events other services reported."""
        host = host or instances[0].host
        client = rpc.get_cell_client(ctxt, self.client)
        if not client.can_send_version('6.2'):
            LOG.warning('nova-compute on %s is too old for external events; dropping %d '
                        'event(s)', host, len(events))
            return
        cctxt = client.prepare(server=host, version='6.2')
        cctxt.cast(ctxt, 'external_instance_event', instances=instances, events=events)

    # --- host queries (6.3) --------------------------------------------------------

    def get_host_uptime(self, ctxt, host):
        """The ``uptime`` line of ``host``; ComputeServiceUnavailable if it cannot answer."""
        return self._call_host(ctxt, host, '6.3', 'get_host_uptime')

    # --- os-hosts requests (6.6) ----------------------------------------------------

    def set_host_enabled(self, ctxt, host, enabled):
        return self._call_host(ctxt, host, '6.6', 'set_host_enabled', enabled=enabled)

    def host_maintenance_mode(self, ctxt, host, mode):
        return self._call_host(ctxt, host, '6.6', 'host_maintenance_mode', host=host, mode=mode)

    def host_power_action(self, ctxt, host, action):
        return self._call_host(ctxt, host, '6.6', 'host_power_action', action=action)

    # --- 6.1: server actions -------------------------------------------------------

    def _cast_61(self, ctxt, instance, method, **kwargs):
        cctxt = self._prepare(ctxt, instance.host, version='6.1')
        cctxt.cast(ctxt, method, instance=instance, **kwargs)

    def reboot_instance(self, ctxt, instance, block_device_info, reboot_type):
        self._cast_61(ctxt, instance, 'reboot_instance', block_device_info=block_device_info,
                      reboot_type=reboot_type)

    def start_instance(self, ctxt, instance):
        self._cast_61(ctxt, instance, 'start_instance')

    def stop_instance(self, ctxt, instance, do_cast=True, clean_shutdown=True):
        if do_cast:
            self._cast_61(ctxt, instance, 'stop_instance', clean_shutdown=clean_shutdown)
            return None
        cctxt = self._prepare(ctxt, instance.host, version='6.1')
        return cctxt.call(ctxt, 'stop_instance', instance=instance,
                          clean_shutdown=clean_shutdown)

    def pause_instance(self, ctxt, instance):
        self._cast_61(ctxt, instance, 'pause_instance')

    def unpause_instance(self, ctxt, instance):
        self._cast_61(ctxt, instance, 'unpause_instance')

    def suspend_instance(self, ctxt, instance):
        self._cast_61(ctxt, instance, 'suspend_instance')

    def resume_instance(self, ctxt, instance):
        self._cast_61(ctxt, instance, 'resume_instance')

    def snapshot_instance(self, ctxt, instance, image_id):
        self._cast_61(ctxt, instance, 'snapshot_instance', image_id=image_id)

    def backup_instance(self, ctxt, instance, image_id, backup_type, rotation):
        self._cast_61(ctxt, instance, 'backup_instance', image_id=image_id,
                      backup_type=backup_type, rotation=rotation)

    def get_console_output(self, ctxt, instance, tail_length):
        cctxt = self._prepare(ctxt, instance.host, version='6.1')
        return cctxt.call(ctxt, 'get_console_output', instance=instance,
                          tail_length=tail_length)

    def trigger_crash_dump(self, ctxt, instance):
        self._cast_61(ctxt, instance, 'trigger_crash_dump')

    def soft_delete_instance(self, ctxt, instance):
        self._cast_61(ctxt, instance, 'soft_delete_instance')

    def restore_instance(self, ctxt, instance):
        self._cast_61(ctxt, instance, 'restore_instance')

    # --- 6.4: remote consoles ------------------------------------------------------

    def _console_call(self, ctxt, instance, method, console_type):
        """Ask the instance's host for a console; ComputeServiceUnavailable if it
        is too old to know consoles or does not answer."""
        return self._call_host(ctxt, instance.host, '6.4', method, instance=instance,
                               console_type=console_type)

    def get_vnc_console(self, ctxt, instance, console_type):
        return self._console_call(ctxt, instance, 'get_vnc_console', console_type)

    def get_spice_console(self, ctxt, instance, console_type):
        return self._console_call(ctxt, instance, 'get_spice_console', console_type)

    def get_serial_console(self, ctxt, instance, console_type):
        return self._console_call(ctxt, instance, 'get_serial_console', console_type)

    # --- 6.5: diagnostics and network info -------------------------------------------

    def _diagnostics_call(self, ctxt, instance, method):
        return self._call_host(ctxt, instance.host, '6.5', method, instance=instance)

    def get_diagnostics(self, ctxt, instance):
        """The driver's free-form diagnostics dict of a running guest."""
        return self._diagnostics_call(ctxt, instance, 'get_diagnostics')

    def get_instance_diagnostics(self, ctxt, instance):
        """The standard (2.48) diagnostics dict of a running guest."""
        return self._diagnostics_call(ctxt, instance, 'get_instance_diagnostics')

    def inject_network_info(self, ctxt, instance):
        cctxt = self._prepare_for(ctxt, instance.host, '6.5')
        cctxt.cast(ctxt, 'inject_network_info', instance=instance)

    # --- 6.7: resize and cold migration ---------------------------------------------
    # Every step is a cast to the host that does it; a host (or an
    # [upgrade_levels] compute pin) older than 6.7 is ComputeServiceUnavailable.

    def _cast_67(self, ctxt, host, method, **kwargs):
        self._prepare_for(ctxt, host, '6.7').cast(ctxt, method, **kwargs)

    def prep_resize(self, ctxt, instance, flavor, migration, request_spec, host_list, node,
                    clean_shutdown=True):
        """To the destination: claim, then have the source send the guest."""
        self._cast_67(ctxt, migration.dest_compute, 'prep_resize', instance=instance,
                      flavor=flavor, migration=migration, request_spec=request_spec,
                      host_list=host_list, node=node, clean_shutdown=clean_shutdown)

    def resize_instance(self, ctxt, instance, migration, flavor, clean_shutdown=True):
        """To the source: stop the guest and move its disks."""
        self._cast_67(ctxt, migration.source_compute, 'resize_instance', instance=instance,
                      migration=migration, flavor=flavor, clean_shutdown=clean_shutdown)

    def finish_resize(self, ctxt, instance, migration, disk_info):
        """To the destination: start the guest there (vm_state RESIZED)."""
        self._cast_67(ctxt, migration.dest_compute, 'finish_resize', instance=instance,
                      migration=migration, disk_info=disk_info)

    def confirm_resize(self, ctxt, instance, migration):
        """To the source: drop the old guest and the source allocation."""
        self._cast_67(ctxt, migration.source_compute, 'confirm_resize', instance=instance,
                      migration=migration)

    def revert_resize(self, ctxt, instance, migration):
        """To the destination: drop the new guest, then hand back to the source."""
        self._cast_67(ctxt, migration.dest_compute, 'revert_resize', instance=instance,
                      migration=migration)

    def finish_revert_resize(self, ctxt, instance, migration):
        """To the source: bring the old guest back with the original allocation."""
        self._cast_67(ctxt, migration.source_compute, 'finish_revert_resize',
                      instance=instance, migration=migration)

    # --- volumes (6.8) -------------------------------------------------------------

    def attach_volume(self, ctxt, instance, bdm):
        cctxt = self._prepare_for(ctxt, instance.host, '6.8')
        cctxt.cast(ctxt, 'attach_volume', instance=instance, bdm=bdm)

    def detach_volume(self, ctxt, instance, volume_id, attachment_id=None):
        cctxt = self._prepare_for(ctxt, instance.host, '6.8')
        cctxt.cast(ctxt, 'detach_volume', instance=instance, volume_id=volume_id,
                   attachment_id=attachment_id)

    def swap_volume(self, ctxt, instance, old_volume_id, new_volume_id, new_attachment_id):
        """6.13: move the guest's disk from one volume to another (reserved) one."""
        cctxt = self._prepare_for(ctxt, instance.host, '6.13')
        cctxt.cast(ctxt, 'swap_volume', instance=instance, old_volume_id=old_volume_id,
                   new_volume_id=new_volume_id, new_attachment_id=new_attachment_id)

    # --- 6.9: rebuild, rescue, shelve --------------------------------------------------

    def _cast_69(self, ctxt, host, method, **kwargs):
        """Cast to ``host`` at 6.9; ComputeServiceUnavailable when it is older."""
        self._prepare_for(ctxt, host, '6.9').cast(ctxt, method, **kwargs)

    def rebuild_instance(self, ctxt, instance, new_pass, injected_files, image_ref,
                         orig_image_ref, preserve_ephemeral=False, host=None):
        self._cast_69(ctxt, host or instance.host, 'rebuild_instance', instance=instance,
                      new_pass=new_pass, injected_files=injected_files, image_ref=image_ref,
                      orig_image_ref=orig_image_ref, preserve_ephemeral=preserve_ephemeral)

    def rescue_instance(self, ctxt, instance, rescue_password, rescue_image_ref=None,
                        clean_shutdown=True):
        self._cast_69(ctxt, instance.host, 'rescue_instance', instance=instance,
                      rescue_password=rescue_password, rescue_image_ref=rescue_image_ref,
                      clean_shutdown=clean_shutdown)

    def unrescue_instance(self, ctxt, instance):
        self._cast_69(ctxt, instance.host, 'unrescue_instance', instance=instance)

    def shelve_instance(self, ctxt, instance, image_id=None, clean_shutdown=True):
        self._cast_69(ctxt, instance.host, 'shelve_instance', instance=instance,
                      image_id=image_id, clean_shutdown=clean_shutdown)

    def shelve_offload_instance(self, ctxt, instance, clean_shutdown=True):
        self._cast_69(ctxt, instance.host, 'shelve_offload_instance', instance=instance,
                      clean_shutdown=clean_shutdown)

    def unshelve_instance(self, ctxt, instance, host, image=None, request_spec=None,
                          node=None, filter_properties=None):
        self._cast_69(ctxt, host, 'unshelve_instance', instance=instance, image=image,
                      request_spec=request_spec, node=node,
                      filter_properties=filter_properties)

    # --- 6.10: evacuation ----------------------------------------------------------------

    def evacuate_instance(self, ctxt, instance, migration, node, admin_password=None,
                          target_state=None):
        """To the destination: build the server of a dead host again there."""
        self._prepare_for(ctxt, migration.dest_compute, '6.10').cast(
            ctxt, 'evacuate_instance', instance=instance, migration=migration, node=node,
            admin_password=admin_password, target_state=target_state)

    # --- 6.12: interfaces -----------------------------------------------------------------

    def attach_interface(self, ctxt, instance, network_id, port_id, requested_ip, tag=None):
        """A call: the new interface's VIF dict once the guest has it."""
        cctxt = self._prepare_for(ctxt, instance.host, '6.12')
        return cctxt.call(ctxt, 'attach_interface', instance=instance,
                          network_id=network_id, port_id=port_id,
                          requested_ip=requested_ip, tag=tag)

    def detach_interface(self, ctxt, instance, port_id):
        self._prepare_for(ctxt, instance.host, '6.12').cast(
            ctxt, 'detach_interface', instance=instance, port_id=port_id)
