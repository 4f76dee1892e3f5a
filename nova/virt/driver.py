"""The interface every virt driver implements, and how one is loaded.

The compute manager only talks to this interface; drivers never touch the
database (they get and return plain data or objects).
"""

import os_resource_classes as orc
import os_traits
from oslo_log import log as logging
from oslo_utils import importutils

import nova.conf
from nova import exception
from nova.virt import node as virt_node

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


# The traits nova-compute gives its node providers from the driver's
# capabilities (as upstream): the API reads COMPUTE_VOLUME_MULTI_ATTACH
# before reserving a multiattach volume for a server on the node.
CAPABILITY_TRAITS = {
    'supports_attach_interface': os_traits.COMPUTE_NET_ATTACH_INTERFACE,
    'supports_device_tagging': os_traits.COMPUTE_DEVICE_TAGGING,
    'supports_multiattach': os_traits.COMPUTE_VOLUME_MULTI_ATTACH,
}


def capability_traits(capabilities):
    """(traits the node has, traits it has not) for a driver's ``capabilities``."""
    have = {trait for name, trait in CAPABILITY_TRAITS.items() if capabilities.get(name)}
    return have, set(CAPABILITY_TRAITS.values()) - have


class ComputeDriver(object):
    """Base class; a method a driver cannot do raises NotImplementedError."""

    capabilities = {
        'has_imagecache': False,
        'supports_evacuate': False,
        'supports_migrate_to_same_host': False,
        'supports_attach_interface': False,
        'supports_device_tagging': False,
        'supports_multiattach': False,
    }
    requires_allocation_refresh = False

    def __init__(self, virtapi=None):
        self.virtapi = virtapi

    # --- host -------------------------------------------------------------
    def init_host(self, host):
        """Prepare the hypervisor connection; called once at start-up."""

    def cleanup_host(self, host):
        """Release the hypervisor connection; called at stop."""

    def get_available_nodes(self, refresh=False):
        raise NotImplementedError()

    def get_nodenames_by_uuid(self, refresh=False):
        """Map of node UUID to node name for every node this driver manages."""
        raise NotImplementedError()

    def get_available_resource(self, nodename):
        """A dict describing the node (vcpus, memory_mb, local_gb, hypervisor_*...)."""
        raise NotImplementedError()

    def update_provider_tree(self, provider_tree, nodename, allocations=None):
        """Set the node provider's inventory in ``provider_tree``."""
        raise NotImplementedError()

    def get_host_uptime(self):
        raise NotImplementedError()

    # Host-wide requests of os-hosts; most drivers cannot do them (501 at the API).
    def set_host_enabled(self, enabled):
        """'enabled' or 'disabled': whether the host takes new instances."""
        raise NotImplementedError()

    def host_maintenance_mode(self, host, mode):
        """'on_maintenance' or 'off_maintenance' after moving the host in or out."""
        raise NotImplementedError()

    def host_power_action(self, action):
        """Reboot, shut down or start the host ('reboot', 'shutdown', 'startup')."""
        raise NotImplementedError()

    # --- instances --------------------------------------------------------
    def list_instances(self):
        raise NotImplementedError()

    def list_instance_uuids(self):
        raise NotImplementedError()

    def instance_exists(self, instance):
        return instance.uuid in self.list_instance_uuids()

    def get_info(self, instance, use_cache=True):
        raise NotImplementedError()

    def spawn(self, context, instance, image_meta, injected_files, admin_password,
              allocations, network_info=None, block_device_info=None, power_on=True,
              accel_info=None):
        raise NotImplementedError()

    def destroy(self, context, instance, network_info, block_device_info=None,
                destroy_disks=True, destroy_secrets=True):
        raise NotImplementedError()

    # --- power and lifecycle (upstream's signatures) ----------------------
    def reboot(self, context, instance, network_info, reboot_type, block_device_info=None,
               bad_volumes_callback=None, accel_info=None, share_info=None):
        """``reboot_type`` is 'SOFT' (ask the guest, then hard) or 'HARD'."""
        raise NotImplementedError()

    def power_off(self, instance, timeout=0, retry_interval=0):
        """Stop the guest; ``timeout`` > 0 asks the guest first (clean shutdown)."""
        raise NotImplementedError()

    def power_on(self, context, instance, network_info, block_device_info=None,
                 accel_info=None, share_info=None):
        raise NotImplementedError()

    def pause(self, instance):
        raise NotImplementedError()

    def unpause(self, instance):
        raise NotImplementedError()

    def suspend(self, context, instance):
        raise NotImplementedError()

    def resume(self, context, instance, network_info, block_device_info=None):
        raise NotImplementedError()

    def trigger_crash_dump(self, instance):
        raise NotImplementedError()

    def resume_state_on_host_boot(self, context, instance, network_info,
                                  block_device_info=None):
        """Bring back a guest that should be running after the host rebooted
        (``[DEFAULT] resume_guests_state_on_host_boot``)."""
        raise NotImplementedError()

    def snapshot(self, context, instance, image_id, update_task_state):
        """Upload the guest's root disk to Glance image ``image_id`` (already created).

        Calls ``update_task_state(task_state=..., expected_state=...)`` with
        IMAGE_PENDING_UPLOAD then IMAGE_UPLOADING as it goes.
        """
        raise NotImplementedError()

    # --- cold migration and resize (source, then destination) -----------------------

    def migrate_disk_and_power_off(self, context, instance, dest, flavor, network_info,
                                   block_device_info=None, timeout=0, retry_interval=0):
        """On the source: stop the guest and bring its disks to host ``dest``.

        Returns the disk information (a JSON string) ``finish_migration`` needs.
        """
        raise NotImplementedError()

    def finish_migration(self, context, migration, instance, disk_info, network_info,
                         image_meta, resize_instance, allocations, block_device_info=None,
                         power_on=True):
        """On the destination: define the guest from the migrated disks (grown to the
        new flavor when ``resize_instance``) and start it when ``power_on``."""
        raise NotImplementedError()

    def confirm_migration(self, context, migration, instance, network_info):
        """On the source: the move is confirmed, drop what was kept for a revert."""
        raise NotImplementedError()

    def finish_revert_migration(self, context, instance, network_info, migration,
                                block_device_info=None, power_on=True):
        """On the source: bring the original guest back (started when ``power_on``)."""
        raise NotImplementedError()

    # --- rebuild and rescue --------------------------------------------------
    def rebuild(self, context, instance, image_meta, injected_files, admin_password,
                network_info=None, preserve_ephemeral=False, before_spawn=None):
        """Make the guest again from ``image_meta`` on this host, keeping its ports.

        Calls ``before_spawn()`` once the old guest is down. NotImplementedError
        lets the compute manager destroy and spawn instead (which cannot keep
        an ephemeral disk).
        """
        raise NotImplementedError()

    def rescue(self, context, instance, network_info, image_meta, rescue_password,
               block_device_info=None):
        """Boot the guest from the rescue image, its own disks attached after it.

        ``image_meta`` is the rescue image; its ``hw_rescue_bus`` and
        ``hw_rescue_device`` properties (2.87, stable device rescue) say where
        the rescue disk goes, the original disks then keep their addresses.
        """
        raise NotImplementedError()

    def unrescue(self, context, instance):
        """Take the rescue guest down and boot the original one again."""
        raise NotImplementedError()

    def get_console_output(self, context, instance):
        """The guest's serial console log so far, as bytes or str."""
        raise NotImplementedError()

    def get_vnc_console(self, context, instance):
        """A nova.console.type.ConsoleVNC."""
        raise NotImplementedError()

    def get_spice_console(self, context, instance):
        raise NotImplementedError()

    def get_serial_console(self, context, instance):
        raise NotImplementedError()

    def get_diagnostics(self, instance):
        """The pre-2.48 free-form diagnostics dict (keys are the driver's own)."""
        raise NotImplementedError()

    def get_instance_diagnostics(self, instance):
        """A dict with upstream's 2.48 diagnostics fields: state, driver, hypervisor,
        hypervisor_os, uptime, config_drive, num_cpus/num_disks/num_nics,
        memory_details {maximum, used} and lists of cpu_details {id, time,
        utilisation}, disk_details {read_bytes, read_requests, write_bytes,
        write_requests, errors_count} and nic_details {mac_address, rx_*/tx_*
        octets, errors, drop, packets, rate}; a figure the driver cannot read is None."""
        raise NotImplementedError()

    def inject_network_info(self, instance, network_info):
        """Push the instance's network info into the guest; nothing to do for drivers
        whose guests read it from the metadata service or config drive."""

    # --- interfaces (capability 'supports_attach_interface') ------------------
    def attach_interface(self, context, instance, image_meta, vif):
        """Hot-plug the port of ``vif`` (a network info entry) into the guest."""
        raise NotImplementedError()

    def detach_interface(self, context, instance, vif):
        """Take the port of ``vif`` from the guest; raise if the guest keeps it."""
        raise NotImplementedError()

    # --- volumes ------------------------------------------------------------
    def get_volume_connector(self, instance):
        """What Cinder needs to know of this host to export a volume to it."""
        return volume_connector()

    def attach_volume(self, context, connection_info, instance, mountpoint, disk_bus=None,
                      device_type=None, encryption=None):
        """Give the guest the volume at ``mountpoint`` (/dev/vdb...)."""
        raise NotImplementedError()

    def detach_volume(self, context, connection_info, instance, mountpoint, encryption=None):
        """Take the volume at ``mountpoint`` from the guest; raise if it keeps it."""
        raise NotImplementedError()

    def extend_volume(self, context, connection_info, instance, requested_size):
        """The volume grew to ``requested_size`` bytes: let the guest see it."""
        raise NotImplementedError()

    def swap_volume(self, context, old_connection_info, new_connection_info, instance,
                    mountpoint, resize_to):
        """Move the guest's disk at ``mountpoint`` to the new volume, its content
        copied; ``resize_to`` (GiB, 0 for no change) when the new one is larger."""
        raise NotImplementedError()

    def poll_rebooting_instances(self, timeout, instances):
        """Hard-reboot instances stuck in a soft reboot longer than ``timeout``."""

    def power_update_event(self, instance, target):
        """Told that the server's power was set to ``target`` (POWER_ON/POWER_OFF) from
        outside Nova (a ``power-update`` external event), for drivers that track it."""
        raise NotImplementedError()

    # --- live migration (nova.compute.live_migration says who calls what, where) ---
    # ``migrate_data`` is a dict: the destination check starts it, each later
    # step may add to it, and it travels between the two hosts.

    def check_can_live_migrate_destination(self, context, instance, block_migration,
                                           disk_over_commit):
        """On the destination: can it take the guest? migrate_data, with
        ``block_migration`` decided (None means "auto")."""
        raise NotImplementedError()

    def cleanup_live_migration_destination_check(self, context, dest_check_data):
        """On the destination: drop what the check left (e.g. a probe file)."""

    def check_can_live_migrate_source(self, context, instance, dest_check_data):
        """On the source: can the guest go there? migrate_data (MigrationPreCheckError,
        InvalidSharedStorage, InvalidLocalStorage when not)."""
        raise NotImplementedError()

    def pre_live_migration(self, context, instance, block_migration, migrate_data):
        """On the destination: disks and anything else the guest needs; migrate_data."""
        raise NotImplementedError()

    def live_migration(self, context, instance, dest, block_migration, migrate_data,
                       migration):
        """On the source: move the running guest to ``dest``; return once it runs
        there. Progress goes into ``migration`` (memory/disk totals, processed,
        remaining). LiveMigrationAborted when aborted; any other error when it
        failed. Either way the guest must still run here."""
        raise NotImplementedError()

    def live_migration_force_complete(self, instance):
        """On the source: finish the running migration now."""
        raise NotImplementedError()

    def live_migration_abort(self, instance):
        """On the source: stop the running migration (live_migration then raises
        LiveMigrationAborted)."""
        raise NotImplementedError()

    def post_live_migration_at_source(self, context, instance, migrate_data):
        """On the source: the guest runs elsewhere now; drop the local copy."""
        raise NotImplementedError()

    def post_live_migration_at_destination(self, context, instance, block_migration):
        """On the destination: the guest runs here now; make it this host's for good."""
        raise NotImplementedError()

    def rollback_live_migration_at_source(self, context, instance, migrate_data):
        """On the source: the migration failed; make sure the guest runs here."""

    def live_migration_left_host(self, instance):
        """On the source at start-up, for a live migration it was running when it
        stopped: True when the hypervisor shows the guest left for the destination
        (the hypervisor finished the migration without nova-compute). False when
        the driver cannot tell: the migration is then rolled back."""
        return False

    def rollback_live_migration_at_destination(self, context, instance, destroy_disks,
                                               migrate_data):
        """On the destination: the migration failed; drop the guest and (when
        ``destroy_disks``) what pre_live_migration made."""
        raise NotImplementedError()

    # --- events -------------------------------------------------------------
    def register_event_listener(self, callback):
        """``callback(event)`` receives nova.virt.event.LifecycleEvent objects."""
        self._event_callback = callback

    def emit_event(self, event):
        callback = getattr(self, '_event_callback', None)
        if callback is None:
            LOG.debug('Discarding event %s: no listener', event)
            return
        try:
            callback(event)
        except Exception:
            LOG.exception('Exception dispatching event %s', event)


class SingleNodeDriver(ComputeDriver):
    """Base of the drivers whose host is one compute node (fake, libvirt).

    The node is named ``nodename`` (each driver says from what) and keeps the
    stable UUID of ``nova.virt.node``; its inventory is the standard VCPU,
    MEMORY_MB and DISK_GB one built from ``get_available_resource``.
    """

    def __init__(self, virtapi=None):
        super().__init__(virtapi)
        self._nodename = None
        self._node_uuid = None

    @property
    def nodename(self):
        raise NotImplementedError()

    def get_available_nodes(self, refresh=False):
        return [self.nodename]

    def get_nodenames_by_uuid(self, refresh=False):
        if self._node_uuid is None:
            self._node_uuid = virt_node.get_local_node_uuid()
        return {self._node_uuid: self.nodename}

    @property
    def node_uuid(self):
        return next(iter(self.get_nodenames_by_uuid()))

    def update_provider_tree(self, provider_tree, nodename, allocations=None):
        """Set the node's inventory; return the node's provider data (read before)."""
        resources = self.get_available_resource(nodename)
        node = provider_tree.data(nodename)
        provider_tree.update_inventory(nodename, standard_inventory(
            resources, compute_node=getattr(node, 'compute_node', None)))
        return node


def allocation_ratio(kind, compute_node=None):
    """The ``kind`` ('cpu', 'ram', 'disk') allocation ratio a node reports.

    The explicit ``*_allocation_ratio`` option wins; otherwise the value the
    node already has (an operator may have set it in Placement's stead);
    otherwise ``initial_*_allocation_ratio``.
    """
    explicit = getattr(CONF, '%s_allocation_ratio' % kind)
    if explicit is not None:
        return explicit
    field = '%s_allocation_ratio' % kind
    if compute_node is not None and compute_node.obj_attr_is_set(field):
        current = getattr(compute_node, field)
        if current:
            return current
    return getattr(CONF, 'initial_%s_allocation_ratio' % kind)


def reserved_disk_gb():
    """``reserved_host_disk_mb`` in whole GB, rounded up."""
    return (CONF.reserved_host_disk_mb + 1023) // 1024


def standard_inventory(resources, compute_node=None):
    """VCPU/MEMORY_MB/DISK_GB inventory from driver resources and nova.conf.

    Reserved amounts come from ``reserved_host_*``; ratios from allocation_ratio().
    """
    def ratio(kind):
        return allocation_ratio(kind, compute_node)

    inventory = {}
    if resources['vcpus']:
        inventory[orc.VCPU] = {
            'total': resources['vcpus'], 'min_unit': 1,
            'max_unit': resources['vcpus'], 'step_size': 1,
            'allocation_ratio': ratio('cpu'), 'reserved': CONF.reserved_host_cpus,
        }
    if resources['memory_mb']:
        inventory[orc.MEMORY_MB] = {
            'total': resources['memory_mb'], 'min_unit': 1,
            'max_unit': resources['memory_mb'], 'step_size': 1,
            'allocation_ratio': ratio('ram'), 'reserved': CONF.reserved_host_memory_mb,
        }
    if resources['local_gb']:
        inventory[orc.DISK_GB] = {
            'total': resources['local_gb'], 'min_unit': 1,
            'max_unit': resources['local_gb'], 'step_size': 1,
            'allocation_ratio': ratio('disk'), 'reserved': reserved_disk_gb(),
        }
    return inventory


_DRIVER_ALIASES = {
    'fake.FakeDriver': 'nova.virt.fake.FakeDriver',
    'libvirt.LibvirtDriver': 'nova.virt.libvirt.driver.LibvirtDriver',
    'vmwareapi.VMwareVCDriver': 'nova.virt.vmwareapi.driver.VMwareVCDriver',
    'ironic.IronicDriver': 'nova.virt.ironic.driver.IronicDriver',
}


def volume_connector():
    """The connector of this host as upstream's os-brick gives it for network
    volumes (RBD needs nothing from it but the host's name and address)."""
    import platform
    return {'ip': CONF.my_block_storage_ip, 'host': CONF.host,
            'platform': platform.machine(), 'os_type': 'linux', 'multipath': False,
            'do_local_attach': False}


def load_compute_driver(virtapi, compute_driver=None):
    """Instantiate ``[DEFAULT] compute_driver`` (short names as upstream)."""
    compute_driver = compute_driver or CONF.compute_driver
    if not compute_driver:
        LOG.error('Compute driver option required, but not specified')
        raise exception.VirtDriverNotFound(name='(unset)')
    path = _DRIVER_ALIASES.get(compute_driver, compute_driver)
    if not path.startswith('nova.'):
        path = 'nova.virt.' + path
    LOG.info('Loading compute driver %r', compute_driver)
    try:
        driver = importutils.import_object(path, virtapi)
    except (ImportError, ValueError, AttributeError) as exc:
        LOG.error('Unable to load the virtualization driver %s: %s', compute_driver, exc)
        raise exception.VirtDriverNotFound(name=compute_driver)
    if not isinstance(driver, ComputeDriver):
        raise exception.VirtDriverNotFound(name=compute_driver)
    return driver
