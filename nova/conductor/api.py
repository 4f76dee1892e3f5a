"""What services use to talk to conductor, hiding whether it is local or remote."""

from oslo_log import log as logging
import oslo_messaging as messaging

from nova.conductor import rpcapi

LOG = logging.getLogger(__name__)


class API(object):
    """Conductor reached over RPC (the normal case for nova-compute)."""

    def __init__(self):
        self.conductor_rpcapi = rpcapi.ConductorAPI()

    def object_backport_versions(self, context, objinst, object_versions):
        return self.conductor_rpcapi.object_backport_versions(context, objinst,
                                                              object_versions)

    def wait_until_ready(self, context, early_timeout=10, early_attempts=10, stop_event=None):
        """Block until a conductor answers, so a compute never starts half-connected.

        The first attempts use a short timeout so a conductor that is just
        starting is found quickly; afterwards the normal RPC timeout applies.
        Each failure is one log line, never a traceback.
        """
        attempt = 0
        while stop_event is None or not stop_event.is_set():
            attempt += 1
            timeout = early_timeout if attempt <= early_attempts else None
            try:
                self.conductor_rpcapi.ping(context, timeout)
                break
            except messaging.MessagingTimeout:
                LOG.warning('Timed out waiting for nova-conductor. Is it running? '
                            'Or did this service start before nova-conductor? '
                            'Reattempting establishment of nova-conductor connection...')
        if attempt > 1:
            LOG.info('Successfully established connection to nova-conductor')


class ComputeTaskAPI(object):
    """Build orchestration requests, as the compute API and compute hosts send them."""

    def __init__(self):
        self.conductor_compute_rpcapi = rpcapi.ComputeTaskAPI()

    def schedule_and_build_instances(self, context, build_requests, request_specs, image,
                                     admin_password, injected_files, requested_networks,
                                     block_device_mapping, tags=None):
        self.conductor_compute_rpcapi.schedule_and_build_instances(
            context, build_requests, request_specs, image, admin_password, injected_files,
            requested_networks, block_device_mapping, tags=tags)

    def build_instances(self, context, instances, image, filter_properties, admin_password,
                        injected_files, requested_networks, security_groups,
                        block_device_mapping, request_spec=None, host_lists=None):
        self.conductor_compute_rpcapi.build_instances(
            context, instances, image, filter_properties, admin_password, injected_files,
            requested_networks, security_groups, block_device_mapping,
            request_spec=request_spec, host_lists=host_lists)

    def live_migrate_instance(self, context, instance, host_name, block_migration,
                              disk_over_commit, force=False, async_=True):
        self.conductor_compute_rpcapi.live_migrate_instance(
            context, instance, host_name, block_migration, disk_over_commit, force=force,
            async_=async_)

    def resize_instance(self, context, instance, flavor, request_spec=None,
                        clean_shutdown=True, migration=None, host_list=None, host_name=None):
        """Resize or cold-migrate (``flavor`` is the current one), or reschedule one."""
        self.conductor_compute_rpcapi.resize_instance(
            context, instance, flavor, request_spec=request_spec,
            clean_shutdown=clean_shutdown, migration=migration, host_list=host_list,
            host_name=host_name)

    def rebuild_instance(self, context, instance, orig_image_ref, image_ref, injected_files,
                         new_pass, preserve_ephemeral=False, host=None, request_spec=None):
        self.conductor_compute_rpcapi.rebuild_instance(
            context, instance, orig_image_ref=orig_image_ref, image_ref=image_ref,
            injected_files=injected_files, new_pass=new_pass,
            preserve_ephemeral=preserve_ephemeral, host=host, request_spec=request_spec)

    def unshelve_instance(self, context, instance, request_spec=None):
        self.conductor_compute_rpcapi.unshelve_instance(context, instance,
                                                        request_spec=request_spec)

    def evacuate_instance(self, context, instance, migration, host=None, force=False,
                          admin_password=None, target_state=None):
        self.conductor_compute_rpcapi.evacuate_instance(
            context, instance, migration, host=host, force=force,
            admin_password=admin_password, target_state=target_state)
