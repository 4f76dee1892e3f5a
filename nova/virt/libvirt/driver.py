"""``compute_driver = libvirt.LibvirtDriver``: guests as libvirt domains on this host.

This module holds the host-level calls and the spawn/destroy pair; operation
families live in mixins (power.py, consoles.py, snapshot.py, rescue.py,
migration.py, coldmigrate.py) and the pieces they share in host.py (connection, events),
guest.py (one domain),
guestconfig.py (domain XML), imagebackend.py (disks) and imagecache.py.
"""

import os
import time

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova import objects
from nova.virt import configdrive
from nova.virt import driver
from nova.virt.libvirt.bindings import libvirt
from nova.virt.libvirt import coldmigrate
from nova.virt.libvirt import consoles
from nova.virt.libvirt import diagnostics
from nova.virt.libvirt import guestconfig
from nova.virt.libvirt import host as libvirt_host
from nova.virt.libvirt import hostinfo
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import imagecache
from nova.virt.libvirt import migration
from nova.virt.libvirt import power
from nova.virt.libvirt import rescue
from nova.virt.libvirt import snapshot
from nova.virt.libvirt import vif as libvirt_vif
from nova.virt.libvirt import volume as libvirt_volume

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class LibvirtDriver(power.PowerMixin, consoles.ConsoleMixin, snapshot.SnapshotMixin,
                    rescue.RescueMixin, migration.LiveMigrationMixin,
                    coldmigrate.ColdMigrationMixin, driver.SingleNodeDriver):
    capabilities = dict(driver.ComputeDriver.capabilities, has_imagecache=True,
                        supports_attach_interface=True,
                        supports_multiattach=True)

    def __init__(self, virtapi, read_only=False, uri=None):
        super().__init__(virtapi)
        if libvirt is None:
            raise ImportError('libvirt-python is required by the libvirt driver')
        self._host = libvirt_host.Host(uri=uri, lifecycle_event_handler=self.emit_event)
        self.image_cache_manager = imagecache.ImageCacheManager()
        # fetch(context, image_id, path) fills the image cache; Glance by default.
        self.image_fetch = None

    # --- host -------------------------------------------------------------------------
    def init_host(self, host):
        try:
            imagebackend.disk_format()
        except NotImplementedError as exc:  # lvm, rbd, ploop: refuse to start, not to spawn
            raise exception.InvalidConfiguration(reason=str(exc)) from exc
        self._host.initialize()
        os.makedirs(CONF.instances_path, exist_ok=True)
        LOG.info('libvirt driver using %s (%s %s), virt_type %s', self._host.uri,
                 self._host.get_hypervisor_type(), self._host.get_version(),
                 CONF.libvirt.virt_type)

    def cleanup_host(self, host):
        self._host.cleanup()

    @property
    def nodename(self):
        if self._nodename is None:
            self._nodename = self._host.get_hostname()
        return self._nodename

    def get_available_resource(self, nodename):
        return hostinfo.available_resource(self._host, nodename, self.node_uuid)

    def update_provider_tree(self, provider_tree, nodename, allocations=None):
        node = super().update_provider_tree(provider_tree, nodename, allocations)
        kept = {t for t in node.traits if t not in hostinfo.MANAGED_TRAITS}
        provider_tree.update_traits(nodename, kept | hostinfo.traits(self._host))

    def get_host_uptime(self):
        return hostinfo.uptime()

    # --- instances ------------------------------------------------------------------------
    def list_instances(self):
        return [g.name for g in self._host.list_guests()]

    def list_instance_uuids(self):
        return [g.uuid for g in self._host.list_guests()]

    def instance_exists(self, instance):
        try:
            self._host.get_guest(instance)
            return True
        except exception.InstanceNotFound:
            return False

    def get_info(self, instance, use_cache=True):
        return self._host.get_guest(instance).get_info()

    def _prepare_guest(self, context, instance, image_meta, network_info,
                       injected_files=None, admin_password=None, block_device_info=None):
        """Disks, config drive and libvirt.xml in the instance directory; returns the XML."""
        volumes = (block_device_info or {}).get('block_device_mapping') or []
        disks = imagebackend.create_image_disks(
            context, instance, image_meta, self.image_fetch,
            with_root=not any(m.get('boot_index') == 0 for m in volumes))
        self._fetch_kernel(context, instance)
        config_path = imagebackend.instance_path(instance, imagebackend.CONFIG)
        if configdrive.required_by(instance):
            if not os.path.exists(config_path):
                configdrive.make_config_drive(
                    instance, config_path, injected_files=injected_files,
                    admin_password=admin_password, network_info=network_info,
                    request_context=context)
            disks[imagebackend.CONFIG] = 'raw'
        serial_port = (consoles.acquire_serial_port(self._host)
                       if CONF.serial_console.enabled else None)
        xml = guestconfig.build_guest_config(self._host, instance, image_meta, disks,
                                             network_info, serial_port,
                                             volumes=volumes).to_xml()
        with open(imagebackend.instance_path(instance, imagebackend.LIBVIRT_XML), 'w') as f:
            f.write(xml)
        return xml

    def _fetch_kernel(self, context, instance):
        """Copy an AMI-style instance's kernel and ramdisk out of the image cache."""
        for field, name in (('kernel_id', 'kernel'), ('ramdisk_id', 'ramdisk')):
            image_id = getattr(instance, field) if instance.obj_attr_is_set(field) else None
            dest = imagebackend.instance_path(instance, name)
            if not image_id or os.path.exists(dest):
                continue
            meta = objects.ImageMeta.from_dict({'id': image_id})
            base = imagebackend.fetch_base_image(context, meta, self.image_fetch)
            imagebackend.images.copy_sparse(base, dest)

    def spawn(self, context, instance, image_meta, injected_files, admin_password,
              allocations, network_info=None, block_device_info=None, power_on=True,
              accel_info=None):
        started = time.monotonic()
        try:
            xml = self._prepare_guest(context, instance, image_meta, network_info or [],
                                      injected_files, admin_password, block_device_info)
            guest = self._host.write_instance_config(xml)
            if power_on:
                libvirt_vif.launch(self.virtapi, instance, guest, network_info or [])
            else:
                libvirt_vif.plug_vifs(instance, network_info or [])
        except Exception:
            LOG.exception('Spawning %s failed; removing what was created', instance.uuid)
            self._remove_guest(instance, destroy_disks=True)
            libvirt_vif.unplug_vifs(instance, network_info or [])
            raise
        LOG.info('Instance %s spawned as %s in %.2fs', instance.uuid, instance.name,
                 time.monotonic() - started)

    def destroy(self, context, instance, network_info, block_device_info=None,
                destroy_disks=True, destroy_secrets=True):
        self._remove_guest(instance, destroy_disks)
        libvirt_vif.unplug_vifs(instance, network_info or [])

    def _remove_guest(self, instance, destroy_disks):
        try:
            guest = self._host.get_guest(instance)
        except exception.InstanceNotFound:
            guest = None
        if guest is not None:
            for attempt in range(3):
                try:
                    guest.poweroff()
                    break
                except libvirt.libvirtError as exc:
                    # QEMU can take a moment to let go of its process (EBUSY).
                    LOG.warning('Destroying %s failed (attempt %d): %s', instance.uuid,
                                attempt + 1, exc)
                    time.sleep(1)
            try:
                guest.delete_configuration()
            except libvirt.libvirtError as exc:
                if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                    raise
        if destroy_disks:
            imagebackend.remove_instance_dir(instance)

    # --- volumes ----------------------------------------------------------------------------
    def attach_volume(self, context, connection_info, instance, mountpoint, disk_bus=None,
                      device_type=None, encryption=None):
        guest = self._host.get_guest(instance)
        libvirt_volume.attach(guest, connection_info, mountpoint, disk_bus)
        self._save_domain_xml(instance, guest)

    def detach_volume(self, context, connection_info, instance, mountpoint, encryption=None):
        try:
            guest = self._host.get_guest(instance)
        except exception.InstanceNotFound:
            return  # no guest, nothing holds the disk
        libvirt_volume.detach(guest, mountpoint)
        self._save_domain_xml(instance, guest)

    def swap_volume(self, context, old_connection_info, new_connection_info, instance,
                    mountpoint, resize_to):
        guest = self._host.get_guest(instance)
        libvirt_volume.swap(guest, new_connection_info, mountpoint,
                            resize_to=resize_to * 1024 ** 3 if resize_to else 0)
        self._save_domain_xml(instance, guest)

    def extend_volume(self, context, connection_info, instance, requested_size):
        libvirt_volume.resize(self._host.get_guest(instance),
                              connection_info.get('mountpoint') or
                              connection_info.get('device_name'), requested_size)
        return requested_size

    # --- interfaces ------------------------------------------------------------------------
    def attach_interface(self, context, instance, image_meta, vif):
        guest = self._host.get_guest(instance)
        libvirt_vif.attach(instance, guest, vif, image_meta)
        self._save_domain_xml(instance, guest)

    def detach_interface(self, context, instance, vif):
        try:
            guest = self._host.get_guest(instance)
        except exception.InstanceNotFound:
            libvirt_vif.unplug_vifs(instance, [vif])
            return
        libvirt_vif.detach(instance, guest, vif)
        self._save_domain_xml(instance, guest)

    @staticmethod
    def _save_domain_xml(instance, guest):
        """libvirt.xml follows the persistent domain: a hard reboot redefines from it."""
        path = imagebackend.instance_path(instance, imagebackend.LIBVIRT_XML)
        if os.path.exists(path):
            with open(path, 'w') as f:
                f.write(guest.get_xml_desc(dump_inactive=True))

    # --- diagnostics and image cache ---------------------------------------------------------
    def get_diagnostics(self, instance):
        return diagnostics.legacy(self._host.get_guest(instance))

    def get_instance_diagnostics(self, instance):
        return diagnostics.structured(self._host.get_guest(instance), instance)

    def manage_image_cache(self, context, all_instances):
        """Remove cached images no instance on this host uses any more."""
        self.image_cache_manager.update(context, all_instances)
