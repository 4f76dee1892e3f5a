"""Cold migration and resize for the libvirt driver (a mixin of LibvirtDriver).

Source, ``migrate_disk_and_power_off``: the guest is stopped, its instance
directory renamed ``<uuid>_resize`` (kept for a revert) and its files (root,
ephemeral, swap and config drive disks, console log) copied into the
destination's ``<instances_path>/<uuid>``: through the destination's libvirtd
(disk_transfer: a storage pool and volume upload streams), or by a local
copy when the destination is this host (``allow_resize_to_same_host``). A
qcow2 disk keeps its backing file when the destination can make the same
base (the server's image from Glance, a blank ephemeral or swap base);
otherwise a standalone copy is sent. A disk never shrinks: a smaller root or
ephemeral disk is refused before the guest stops. A copy that fails removes
what it sent, renames the directory back and starts the guest again
(InstanceFaultRollback: the server goes back to its state on the source).

Destination, ``finish_migration``: the bases are made in the local image
cache, the root disk grows to the new flavor, the domain is defined from the
instance (new flavor) and started unless it was stopped.

``confirm_migration`` (source) undefines the old domain and removes
``<uuid>_resize``; ``finish_revert_migration`` (source) renames it back and
defines and starts the guest with the old flavor.
"""

import os
import shutil

from oslo_log import log as logging
from oslo_serialization import jsonutils
from oslo_utils import units

import nova.conf
from nova import exception
from nova import objects
from nova.virt.libvirt.bindings import libvirt
from nova.virt.libvirt import disk_transfer
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import images
from nova.virt.libvirt import migration as live_migration
from nova.virt.libvirt import vif as libvirt_vif

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

RESIZE_SUFFIX = '_resize'
# What goes along: the disks, and the console log so far (the destination's
# virtlogd appends to it).
MOVED_FILES = (imagebackend.DISK, imagebackend.EPHEMERAL, imagebackend.SWAP,
               imagebackend.CONFIG, imagebackend.CONSOLE_LOG)
_DISKS = (imagebackend.DISK, imagebackend.EPHEMERAL, imagebackend.SWAP)
# A disk whose base the destination cannot make travels as a standalone copy.
_FLAT = '.flat'


def resize_dir(instance):
    return imagebackend.instance_dir(instance) + RESIZE_SUFFIX


def _is_this_host(dest):
    return dest in (CONF.my_ip, CONF.host)


def _base_kind(instance, base_name):
    """How the destination makes the base ``base_name`` again, or None when it cannot
    (then the disk travels without its backing file)."""
    image_ref = instance.image_ref if instance.obj_attr_is_set('image_ref') else None
    if image_ref and base_name == imagebackend.image_cache_name(image_ref):
        return {'image_id': image_ref}
    if imagebackend.blank_base_spec(base_name) is not None:
        return {'blank': base_name}
    return None


def _check_no_shrink(instance, flavor):
    old = instance.flavor
    root_is_volume = not os.path.exists(imagebackend.instance_path(instance,
                                                                   imagebackend.DISK))
    if (not root_is_volume and flavor.root_gb < old.root_gb) or \
            flavor.ephemeral_gb < old.ephemeral_gb:
        raise exception.InstanceFaultRollback(
            inner_exception=exception.ResizeError(reason='Unable to resize disk down.'))


class ColdMigrationMixin(object):
    """migrate_disk_and_power_off .. finish_revert_migration."""

    # --- source --------------------------------------------------------------------

    def migrate_disk_and_power_off(self, context, instance, dest, flavor, network_info,
                                   block_device_info=None, timeout=0, retry_interval=0):
        _check_no_shrink(instance, flavor)
        guest = self._host.get_guest(instance)
        was_running = guest.is_active()
        self.power_off(instance, timeout, retry_interval)
        inst_dir, kept = imagebackend.instance_dir(instance), resize_dir(instance)
        if os.path.exists(kept):
            shutil.rmtree(kept)  # a previous move's leftover: the live copy is inst_dir
        os.rename(inst_dir, kept)
        files = []
        try:
            files, disk_info = self._files_to_send(instance, kept)
            if _is_this_host(dest):
                _copy_locally(files, inst_dir)
            else:
                self._send(instance, dest, inst_dir, files)
        except Exception as exc:
            LOG.warning('Moving the disks of %s to %s failed: %s; the guest stays here',
                        instance.uuid, dest, exc)
            _drop_flat_copies(kept)
            self._restore_source(instance, was_running, network_info)
            raise exception.InstanceFaultRollback(inner_exception=exc) from exc
        _drop_flat_copies(kept)
        libvirt_vif.unplug_vifs(instance, network_info)
        return jsonutils.dumps(disk_info)

    def _files_to_send(self, instance, kept):
        """([(name, path to send)], disk info for the destination)."""
        files, disk_info = [], []
        for name in MOVED_FILES:
            path = os.path.join(kept, name)
            if not os.path.exists(path):
                continue
            entry = {'name': name}
            if name in _DISKS:
                info = images.qemu_img_info(path, force_share=True)
                entry['format'] = info['format']
                backing = info.get('backing-filename')
                if backing:
                    base = _base_kind(instance, os.path.basename(backing))
                    if base is None:
                        flat = path + _FLAT
                        images.convert(path, flat, 'qcow2', in_format='qcow2')
                        path = flat
                    else:
                        entry['base'] = dict(base, format=info.get('backing-filename-format')
                                             or 'raw')
            files.append((name, path))
            disk_info.append(entry)
        return files, disk_info

    def _send(self, instance, dest, inst_dir, files):
        uri = live_migration.destination_uri(dest)
        try:
            conn = libvirt.open(uri)
        except libvirt.libvirtError as exc:
            raise exception.MigrationError(
                reason='cannot reach libvirtd on %s: %s' % (dest, exc)) from exc
        try:
            disk_transfer.send_files(conn, instance.uuid, inst_dir, files)
        finally:
            try:
                conn.close()
            except libvirt.libvirtError:
                pass

    def _restore_source(self, instance, was_running, network_info):
        """The copy failed: the directory is the instance's again, the guest as it was."""
        inst_dir, kept = imagebackend.instance_dir(instance), resize_dir(instance)
        if os.path.exists(kept):
            if os.path.exists(inst_dir):
                shutil.rmtree(inst_dir)  # a half local copy
            os.rename(kept, inst_dir)
        if was_running:
            try:
                libvirt_vif.plug_vifs(instance, network_info)
                self._host.get_guest(instance).launch()
            except Exception:
                LOG.exception('Could not start %s again after the failed move',
                              instance.uuid)

    def confirm_migration(self, context, migration, instance, network_info):
        if migration.source_compute != migration.dest_compute:
            try:
                guest = self._host.get_guest(instance)
            except exception.InstanceNotFound:
                guest = None
            if guest is not None:
                if guest.is_active():  # not expected: it was stopped to move
                    guest.poweroff()
                guest.delete_configuration()
        shutil.rmtree(resize_dir(instance), ignore_errors=True)

    def finish_revert_migration(self, context, instance, network_info, migration,
                                block_device_info=None, power_on=True):
        inst_dir, kept = imagebackend.instance_dir(instance), resize_dir(instance)
        if os.path.exists(kept):
            if os.path.exists(inst_dir):
                shutil.rmtree(inst_dir)  # the destination's copy on this same host
            os.rename(kept, inst_dir)
        self._define_and_start(context, instance, network_info, block_device_info,
                               power_on)

    # --- destination --------------------------------------------------------------

    def finish_migration(self, context, migration, instance, disk_info, network_info,
                         image_meta, resize_instance, allocations, block_device_info=None,
                         power_on=True):
        for entry in jsonutils.loads(disk_info or '[]'):
            path = imagebackend.instance_path(instance, entry['name'])
            if entry.get('base'):
                self._rebase_here(context, instance, path, entry['base'])
            if resize_instance and entry['name'] == imagebackend.DISK and \
                    instance.flavor.root_gb:
                size = instance.flavor.root_gb * units.Gi
                if images.virtual_size(path) < size:
                    images.resize(path, size, entry.get('format') or 'raw')
        self._define_and_start(context, instance, network_info, block_device_info,
                               power_on)

    def _rebase_here(self, context, instance, path, base):
        """Make the disk's base in this host's image cache and point the disk at it."""
        if base.get('image_id'):
            local = imagebackend.fetch_base_image(
                context, objects.ImageMeta.from_dict({'id': base['image_id']}),
                self.image_fetch)
        else:
            local = imagebackend.ensure_blank_base(base['blank'])
        current = images.qemu_img_info(path).get('backing-filename')
        if current != local:
            images.rebase_unsafe(path, local, base.get('format') or 'raw')

    def _define_and_start(self, context, instance, network_info, block_device_info,
                          power_on):
        image_meta = objects.ImageMeta.from_instance(instance)
        xml = self._prepare_guest(context, instance, image_meta, network_info or [],
                                  block_device_info=block_device_info)
        guest = self._host.write_instance_config(xml)
        if power_on:
            libvirt_vif.launch(self.virtapi, instance, guest, network_info or [])
        else:
            libvirt_vif.plug_vifs(instance, network_info or [])


def _copy_locally(files, inst_dir):
    os.makedirs(inst_dir, exist_ok=True)
    for name, path in files:
        tmp = os.path.join(inst_dir, name + '.part')
        images.copy_sparse(path, tmp)
        os.replace(tmp, os.path.join(inst_dir, name))


def _drop_flat_copies(directory):
    for name in os.listdir(directory) if os.path.isdir(directory) else ():
        if name.endswith(_FLAT):
            os.unlink(os.path.join(directory, name))
