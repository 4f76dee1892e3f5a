"""Instance disks on local files: the shared image cache and per-instance disks.

Layout (as upstream):
    <instances_path>/_base/<sha1 of image id>       cached Glance image (raw when
                                                    force_raw_images)
    <instances_path>/_base/ephemeral_<gb>_<fs>      formatted blank ephemeral base
    <instances_path>/_base/swap_<mb>                swap base
    <instances_path>/<uuid>/disk, disk.eph0, disk.swap, disk.config, console.log, libvirt.xml

With images_type qcow2 (or 'default' and use_cow_images) every instance disk
is a qcow2 overlay of its base; with raw/flat it is a full copy.
"""

import contextlib
import fcntl
import hashlib
import os
import shutil
import uuid as uuidlib

from oslo_log import log as logging
from oslo_utils import units

import nova.conf
from nova import exception
from nova.image import glance
from nova import objects
from nova.virt.libvirt import images

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

DISK = 'disk'
EPHEMERAL = 'disk.eph0'
SWAP = 'disk.swap'
CONFIG = 'disk.config'
RESCUE = 'disk.rescue'
CONSOLE_LOG = 'console.log'
LIBVIRT_XML = 'libvirt.xml'
DEFAULT_EPHEMERAL_FS = 'ext4'


def instance_dir(instance):
    return os.path.join(CONF.instances_path, instance.uuid)


def instance_path(instance, name):
    return os.path.join(instance_dir(instance), name)


def base_dir():
    return os.path.join(CONF.instances_path, CONF.image_cache.subdirectory_name)


def image_cache_name(image_id):
    """File name of a cached Glance image (sha1 of its id, as upstream)."""
    return hashlib.sha1(image_id.encode('utf-8'), usedforsecurity=False).hexdigest()


def disk_format():
    """'qcow2' (overlays on the cached base) or 'raw' (full copies)."""
    images_type = CONF.libvirt.images_type
    if images_type == 'default':
        return 'qcow2' if CONF.use_cow_images else 'raw'
    if images_type in ('raw', 'flat'):
        return 'raw'
    if images_type == 'qcow2':
        return 'qcow2'
    raise NotImplementedError('images_type %s is not supported by this driver' % images_type)


@contextlib.contextmanager
def _file_lock(name):
    """An exclusive lock per cached file, good across threads and processes."""
    lock_dir = os.path.join(base_dir(), 'locks')
    os.makedirs(lock_dir, exist_ok=True)
    with open(os.path.join(lock_dir, name + '.lock'), 'a') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _glance_fetch(context, image_id, dst_path):
    glance.API().download(context, image_id, dst_path=dst_path)


def fetch_base_image(context, image_meta, fetch=None):
    """Path of the cached copy of ``image_meta``'s image, downloading it once.

    ``fetch(context, image_id, path)`` writes the image data (Glance by
    default, its checksum verified). The download lands in a temporary name
    and is renamed when complete, so a crash never leaves a half image that
    looks cached.
    """
    image_id = image_meta.id
    name = image_cache_name(image_id)
    path = os.path.join(base_dir(), name)
    os.makedirs(base_dir(), exist_ok=True)
    with _file_lock(name):
        if os.path.exists(path):
            os.utime(path)
            return path
        tmp = '%s.part-%s' % (path, uuidlib.uuid4().hex[:8])
        try:
            (fetch or _glance_fetch)(context, image_id, tmp)
            declared = image_meta.disk_format if 'disk_format' in image_meta else None
            fmt = images.check_untrusted(tmp, image_id, declared)
            if fmt != 'raw' and CONF.force_raw_images:
                converted = tmp + '.converted'
                images.convert(tmp, converted, 'raw', in_format=fmt)
                os.replace(converted, tmp)
            os.replace(tmp, path)
        finally:
            for leftover in (tmp, tmp + '.converted'):
                if os.path.exists(leftover):
                    os.unlink(leftover)
        LOG.info('Cached image %s as %s', image_id, path)
        return path


def _blank_base(name, size_bytes, fs_type, label=None):
    """A cached raw file of ``size_bytes`` carrying ``fs_type`` (or swap)."""
    path = os.path.join(base_dir(), name)
    os.makedirs(base_dir(), exist_ok=True)
    with _file_lock(name):
        if not os.path.exists(path):
            tmp = path + '.part'
            images.create_blank(tmp, size_bytes, 'raw')
            if fs_type:
                try:
                    images.mkfs(tmp, fs_type, label)
                except Exception as exc:  # no mkfs for it: an unformatted disk still works
                    LOG.warning('Cannot make %s on %s (%s); leaving it blank', fs_type,
                                name, exc)
            os.replace(tmp, path)
        else:
            os.utime(path)
    return path


def blank_base_spec(name):
    """(size in bytes, file system, label) of a blank base named ``name``
    (``ephemeral_<gb>_<fs>`` or ``swap_<mb>``), None for any other name."""
    parts = name.split('_')
    try:
        if parts[0] == 'ephemeral' and len(parts) == 3:
            return int(parts[1]) * units.Gi, parts[2], 'ephemeral0'
        if parts[0] == 'swap' and len(parts) == 2:
            return int(parts[1]) * units.Mi, 'swap', None
    except ValueError:
        pass
    return None


def ensure_blank_base(name):
    """The path of blank base ``name`` in this host's cache, made when missing."""
    size, fs_type, label = blank_base_spec(name)
    return _blank_base(name, size, fs_type, label=label)


def _disk_from_base(base, dest, size_bytes=None):
    """``dest`` as an overlay (qcow2) or full copy (raw) of ``base``, grown to size."""
    base_fmt = images.qemu_img_info(base)['format']
    fmt = disk_format()
    base_size = images.virtual_size(base)
    if size_bytes and size_bytes < base_size:
        size_bytes = None  # never shrink below the image; the API checks min_disk
    tmp = dest + '.part'
    if fmt == 'qcow2':
        images.create_overlay(base, base_fmt, tmp, size_bytes)
    else:
        if base_fmt == 'raw':
            images.copy_sparse(base, tmp)
        else:
            images.convert(base, tmp, 'raw', in_format=base_fmt)
        if size_bytes:
            images.resize(tmp, size_bytes, 'raw')
    os.replace(tmp, dest)
    return fmt


def create_image_disks(context, instance, image_meta, fetch=None, with_root=True):
    """The instance directory with its root, ephemeral and swap disks.

    Returns {disk file name: format} for what was created.
    """
    flavor = instance.flavor
    os.makedirs(instance_dir(instance), exist_ok=True)
    created = {}
    root = instance_path(instance, DISK)
    if not with_root:
        pass  # the root disk is a volume
    elif not os.path.exists(root):
        if 'id' not in image_meta:
            if not instance.obj_attr_is_set('image_ref') or not instance.image_ref:
                raise exception.InvalidInput(
                    reason='no image to boot from (volume-backed boot is not supported '
                           'by this driver yet)')
            image_meta = objects.ImageMeta.from_dict(
                {'id': instance.image_ref,
                 'disk_format': image_meta.disk_format if 'disk_format' in image_meta
                 else None})
        base = fetch_base_image(context, image_meta, fetch)
        size = flavor.root_gb * units.Gi if flavor.root_gb else None
        created[DISK] = _disk_from_base(base, root, size)
    else:
        created[DISK] = images.qemu_img_info(root, force_share=True)['format']
    if flavor.ephemeral_gb:
        path = instance_path(instance, EPHEMERAL)
        if not os.path.exists(path):
            fs = CONF.default_ephemeral_format or DEFAULT_EPHEMERAL_FS
            base = _blank_base('ephemeral_%d_%s' % (flavor.ephemeral_gb, fs),
                               flavor.ephemeral_gb * units.Gi, fs, label='ephemeral0')
            _disk_from_base(base, path)
        created[EPHEMERAL] = disk_format()
    if flavor.swap:
        path = instance_path(instance, SWAP)
        if not os.path.exists(path):
            base = _blank_base('swap_%d' % flavor.swap, flavor.swap * units.Mi, 'swap')
            _disk_from_base(base, path)
        created[SWAP] = disk_format()
    return created


def existing_disks(instance):
    """{disk file name: format} of the instance's root, ephemeral, swap and config
    drive files that exist now."""
    found = {}
    for name in (DISK, EPHEMERAL, SWAP, CONFIG):
        path = instance_path(instance, name)
        if os.path.exists(path):
            found[name] = ('raw' if name == CONFIG else
                           images.qemu_img_info(path, force_share=True)['format'])
    return found


def create_rescue_disk(context, instance, image_meta, fetch=None):
    """``disk.rescue`` from the rescue image (replacing any left over); its format."""
    path = instance_path(instance, RESCUE)
    if os.path.exists(path):
        os.unlink(path)
    base = fetch_base_image(context, image_meta, fetch)
    return _disk_from_base(base, path)


def remove_for_rebuild(instance, preserve_ephemeral=False):
    """Drop what a rebuild makes again from the new image: the root disk, the config
    drive, kernel and ramdisk, the domain XML (and the ephemeral disk unless kept)."""
    names = [DISK, CONFIG, RESCUE, LIBVIRT_XML, 'kernel', 'ramdisk']
    if not preserve_ephemeral:
        names.append(EPHEMERAL)
    for name in names:
        path = instance_path(instance, name)
        if os.path.exists(path):
            os.unlink(path)


def remove_instance_dir(instance):
    shutil.rmtree(instance_dir(instance), ignore_errors=True)
