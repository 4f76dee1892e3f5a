"""nova-compute's manager: owns one host's hypervisor through a virt driver.

It reaches the database only through objects (whose remotable methods run in
conductor) and Placement through the report client.
"""

from concurrent import futures

from oslo_log import log as logging
import oslo_messaging as messaging

import nova.conf
from nova.compute import build
from nova.compute import console
from nova.compute import delete
from nova.compute import diagnostics
from nova.compute import evacuate
from nova.compute import external_events
from nova.compute import host_operations
from nova.compute import instance_events
from nova.compute import interfaces
from nova.compute import live_migration
from nova.compute import network_info
from nova.compute import power
from nova.compute import power_sync
from nova.compute import rebuild
from nova.compute import rescue
from nova.compute import resize
from nova.compute import resource_tracker
from nova.compute import shelve
from nova.compute import snapshot
from nova.compute import startup
from nova.compute import usage_audit
from nova.compute import volumes
from nova.conductor import api as conductor_api
from nova import context as nova_context
from nova import exception
from nova import manager
from nova import objects
from nova.scheduler.client import report
from nova.virt import driver as virt_driver

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)
# Nodes of a many-node host refreshed at once: their Placement requests (one
# provider each) overlap instead of queueing one node behind the other.
_NODE_REFRESH_WORKERS = 8


class ComputeVirtAPI(object):
    """What drivers may ask of the compute manager (kept tiny on purpose)."""

    def __init__(self, compute):
        self._compute = compute

    def wait_for_instance_event(self, instance, event_names, deadline=300,
                                error_callback=None):
        """Context manager: register ``event_names`` ([(name, tag)]) for the
        instance, run the body, then wait for them all (InstanceEventTimeout)."""
        return self._compute.instance_events.wait_for(instance, event_names, deadline,
                                                      error_callback)


class ComputeManager(build.BuildOperations, delete.DeleteOperations,
                     power.PowerOperations, snapshot.SnapshotOperations,
                     diagnostics.DiagnosticsOperations, network_info.NetworkInfoOperations,
                     console.ConsoleOperations, external_events.ExternalEventOperations,
                     host_operations.HostOperations, power_sync.PowerSyncOperations,
                     startup.StartupOperations, usage_audit.UsageAuditOperations,
                     resize.ResizeOperations, volumes.VolumeOperations,
                     rebuild.RebuildOperations, rescue.RescueOperations,
                     shelve.ShelveOperations, evacuate.EvacuateOperations,
                     live_migration.LiveMigrationOperations,
                     interfaces.InterfaceOperations,
                     manager.Manager):
    """The RPC endpoint of nova-compute: one mixin per operation family.

    The families share what ``nova.compute.operations.InstanceOperations``
    holds (per-instance locks, power state, state transitions, faults).
    """

    # 6.1: server actions (power, snapshot, console output, soft delete)
    # 6.2: external_instance_event
    # 6.3: get_host_uptime
    # 6.4: get_vnc_console, get_spice_console, get_serial_console
    # 6.5: get_diagnostics, get_instance_diagnostics, inject_network_info
    # 6.6: set_host_enabled, host_maintenance_mode, host_power_action
    # 6.7: resize and cold migration (prep_resize .. finish_revert_resize)
    # 6.8: attach_volume, detach_volume
    # 6.9: rebuild_instance, rescue_instance, unrescue_instance, shelve_instance,
    #      shelve_offload_instance, unshelve_instance
    # 6.10: evacuate_instance
    # 6.11: live migration (check_can_live_migrate_* .. live_migration_abort)
    # 6.12: attach_interface, detach_interface
    # 6.13: swap_volume
    target = messaging.Target(version='6.13')

    def __init__(self, compute_driver=None, *args, **kwargs):
        super().__init__(service_name='compute', *args, **kwargs)
        self.instance_events = instance_events.InstanceEvents()
        self.virtapi = ComputeVirtAPI(self)
        self.driver = virt_driver.load_compute_driver(self.virtapi, compute_driver)
        self.reportclient = report.SchedulerReportClient()
        self.rt = resource_tracker.ResourceTracker(self.host, self.driver, self.reportclient)
        self.compute_task_api = conductor_api.ComputeTaskAPI()
        self.service_ref = None
        self._init_instance_locks()
        self._init_build_executor()
        self._init_deletes()
        self._init_snapshots()
        self._init_power_sync()
        self._init_consoles()
        self._init_resizes()
        self._init_rescues()
        self._init_shelving()
        self._init_live_migrations()
        self.set_periodic_spacing('update_available_resource',
                                  CONF.update_resources_interval)
        self.set_periodic_spacing('_run_image_cache_manager_pass',
                                  CONF.image_cache.manager_interval)
        if CONF.instance_build_timeout:
            self.set_periodic_spacing('_check_instance_build_time',
                                      max(1, min(60, CONF.instance_build_timeout // 3)))

    def init_host(self, service_ref=None):
        self.driver.init_host(host=self.host)
        self.driver.register_event_listener(self.handle_lifecycle_event)

    def pre_start_hook(self, service_ref=None):
        """Record the node(s) and report them to Placement before taking requests."""
        self.service_ref = service_ref
        context = nova_context.get_admin_context()
        self._reconcile_interrupted_moves(context)
        self._destroy_evacuated_instances(context)
        self._reconcile_interrupted_live_migrations(context)
        self._recover_interrupted_instances(context)
        self._init_instances(context)
        self.update_available_resource(context, startup=True)

    def cleanup_host(self):
        # Let builds under way finish their state changes before we go.
        self._build_executor.shutdown(wait=True, cancel_futures=True)
        self._sync_executor.shutdown(wait=True, cancel_futures=True)
        self._live_executor.shutdown(wait=False, cancel_futures=True)
        self.rt.flush_usage()
        self.driver.cleanup_host(host=self.host)

    def ping(self, context, arg):
        return {'service': 'compute', 'host': self.host, 'arg': arg}

    @manager.periodic_task_decorator(spacing=CONF.update_resources_interval,
                                     run_immediately=True)
    def update_available_resource(self, context, startup=False):
        if self.service_ref is None:
            return
        nodenames = self.driver.get_available_nodes(refresh=True)
        by_node = None
        if len(nodenames) > 1:
            # Many nodes (fake fleet, Ironic): read the host's records and
            # instances once, and refresh the nodes side by side.
            by_node = self.rt.read_host(context)

        def refresh(nodename):
            instances = by_node.get(nodename, []) if by_node is not None else None
            try:
                self.rt.update_available_resource(context, nodename, self.service_ref.id,
                                                  startup=startup, instances=instances)
            except exception.InvalidNodeConfiguration:
                raise
            except messaging.MessagingTimeout as exc:
                LOG.warning('Conductor did not answer while updating node %s: %s',
                            nodename, exc)
            except Exception:
                LOG.exception('Error updating resources for node %s.', nodename)

        if len(nodenames) <= 1:
            for nodename in nodenames:
                refresh(nodename)
            return
        workers = min(_NODE_REFRESH_WORKERS, len(nodenames))
        with futures.ThreadPoolExecutor(workers, thread_name_prefix='node-refresh') as pool:
            for done in [pool.submit(refresh, n) for n in nodenames]:
                done.result()

    @manager.periodic_task_decorator(spacing=CONF.image_cache.manager_interval,
                                     external_process_ok=True)
    def _run_image_cache_manager_pass(self, context):
        """Let a driver with an image cache drop bases no instance here uses.

        ``[image_cache] manager_interval`` spaces the passes (0: the default
        60 s, -1: never). Instances being deleted still count as users.
        """
        if not self.driver.capabilities.get('has_imagecache'):
            return
        try:
            instances = objects.InstanceList.get_by_filters(
                context, {'host': self.host, 'deleted': False}, expected_attrs=[])
        except Exception as exc:
            LOG.warning('Image cache pass skipped: could not list instances (%s)', exc)
            return
        self.driver.manage_image_cache(context, instances)

    def get_compute_nodes(self):
        return dict(self.rt.compute_nodes)
