"""Glance images on vCenter datastores: what an image says, and the image cache.

A VMDK image is fetched once per datastore into
``[ds] <cache folder>/<image id>/<image id>.vmdk`` (a flat disk: descriptor
plus extent), where instances copy or linked-clone it from. The cache folder
is ``<[vmware] cache_prefix><[image_cache] subdirectory_name>``, so compute
services sharing a datastore share or separate their caches as the operator
chooses.

Images arrive by disk type (``vmware_disktype``): flat ones
(preallocated, thin, eagerZeroedThick) are the extent itself, uploaded under
a descriptor vCenter creates; sparse and streamOptimized ones are uploaded
whole and converted to a thin flat disk by vCenter's CopyVirtualDisk.
"""

import math
import os
import tempfile
import uuid

from oslo_concurrency import lockutils
from oslo_log import log as logging

import nova.conf
from nova import exception
from nova.image import glance
from nova.virt.vmwareapi import session as vmsession

try:
    from pyVmomi import vim
except ImportError:
    vim = None

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

DISK_TYPES_FLAT = ('preallocated', 'thin', 'eagerZeroedThick')
DISK_TYPES_CONVERTED = ('sparse', 'streamOptimized')
ADAPTER_TYPES = ('lsiLogic', 'busLogic', 'lsiLogicsas', 'paraVirtual', 'ide')
DEFAULT_DISK_TYPE = 'preallocated'
DEFAULT_ADAPTER_TYPE = 'lsiLogic'
DEFAULT_OS_TYPE = 'otherGuest'
TEMP_FOLDER = 'vmware_temp'
KiB = 1024
GiB = 1024 * 1024 * 1024


class VMwareImage(object):
    """The properties of a Glance image that decide how a VM uses it."""

    def __init__(self, image_id, file_size=0, virtual_size=None, disk_type=DEFAULT_DISK_TYPE,
                 adapter_type=DEFAULT_ADAPTER_TYPE, os_type=DEFAULT_OS_TYPE,
                 linked_clone=None, disk_format='vmdk', container_format='bare'):
        self.image_id = image_id
        self.file_size = file_size or 0
        self.virtual_size = virtual_size
        self.disk_type = disk_type
        self.adapter_type = adapter_type
        self.os_type = os_type
        self.linked_clone = CONF.vmware.use_linked_clone if linked_clone is None \
            else linked_clone
        self.disk_format = disk_format
        self.container_format = container_format

    @classmethod
    def from_image_meta(cls, image_meta):
        props = image_meta.properties
        get = props.get
        image = cls(
            image_id=image_meta.id if image_meta.obj_attr_is_set('id') else None,
            file_size=image_meta.size if image_meta.obj_attr_is_set('size') else 0,
            virtual_size=(image_meta.virtual_size
                          if image_meta.obj_attr_is_set('virtual_size') else None),
            disk_type=get('vmware_disktype') or DEFAULT_DISK_TYPE,
            adapter_type=get('vmware_adaptertype') or get('hw_disk_bus') and
            _bus_adapter(get('hw_disk_bus')) or DEFAULT_ADAPTER_TYPE,
            os_type=get('vmware_ostype') or DEFAULT_OS_TYPE,
            linked_clone=get('img_linked_clone'),
            disk_format=(image_meta.disk_format
                         if image_meta.obj_attr_is_set('disk_format') else None),
            container_format=(image_meta.container_format
                              if image_meta.obj_attr_is_set('container_format') else None))
        image.validate()
        return image

    def validate(self):
        if self.disk_format != 'vmdk':
            raise exception.InvalidDiskFormat(disk_format=self.disk_format)
        if self.container_format not in (None, 'bare'):
            raise exception.ImageUnacceptable(
                image_id=self.image_id,
                reason='container format %s is not supported by the VMware driver'
                % self.container_format)
        if self.disk_type not in DISK_TYPES_FLAT + DISK_TYPES_CONVERTED:
            raise exception.ImageUnacceptable(
                image_id=self.image_id, reason='vmware_disktype %r is not one of %s' % (
                    self.disk_type, ', '.join(DISK_TYPES_FLAT + DISK_TYPES_CONVERTED)))
        if self.adapter_type not in ADAPTER_TYPES:
            raise exception.ImageUnacceptable(
                image_id=self.image_id, reason='vmware_adaptertype %r is not one of %s' % (
                    self.adapter_type, ', '.join(ADAPTER_TYPES)))

    @property
    def size_bytes(self):
        """The disk's capacity as far as Glance tells (virtual size, else file size)."""
        return self.virtual_size or self.file_size

    @property
    def thin(self):
        return self.disk_type != 'preallocated' and self.disk_type != 'eagerZeroedThick'


def _bus_adapter(bus):
    return {'scsi': 'lsiLogic', 'ide': 'ide'}.get(bus)


def disk_manager_adapter(adapter_type):
    """VirtualDiskManager knows only ide, busLogic and lsiLogic."""
    return adapter_type if adapter_type in ('ide', 'busLogic') else 'lsiLogic'


def cache_folder():
    return '%s%s' % (CONF.vmware.cache_prefix or '', CONF.image_cache.subdirectory_name)


class ImageCache(object):
    """Fetches images into each datastore's cache folder, once."""

    def __init__(self, files):
        self.files = files

    def cached_path(self, datastore, image_id, suffix=''):
        return datastore.path(cache_folder(), image_id, '%s%s.vmdk' % (image_id, suffix))

    def ensure(self, context, datastore, image):
        """The datastore path of ``image``'s cached flat disk, fetching it if needed."""
        path = self.cached_path(datastore, image.image_id)
        with lockutils.lock('vmware-cache-%s-%s' % (datastore.name, image.image_id)):
            if self.files.exists(datastore, datastore.path(cache_folder(), image.image_id),
                                 '%s.vmdk' % image.image_id):
                LOG.debug('Image %s is cached on %s', image.image_id, datastore.name)
                return path
            self._fetch(context, datastore, image)
        return path

    def ensure_sized(self, datastore, image, size_bytes):
        """A cached copy of the image grown to ``size_bytes`` (linked clones' parent)."""
        if size_bytes <= image.size_bytes:
            return self.cached_path(datastore, image.image_id)
        size_gb = int(math.ceil(size_bytes / GiB))
        suffix = '.%d' % size_gb
        path = self.cached_path(datastore, image.image_id, suffix)
        with lockutils.lock('vmware-cache-%s-%s' % (datastore.name, image.image_id)):
            if not self.files.exists(datastore, datastore.path(cache_folder(), image.image_id),
                                     '%s%s.vmdk' % (image.image_id, suffix)):
                self.files.copy_disk(self.cached_path(datastore, image.image_id), path)
                self.files.extend_disk(path, size_gb * GiB // KiB)
        return path

    def _fetch(self, context, datastore, image):
        temp_dir = datastore.path(TEMP_FOLDER, str(uuid.uuid4()))
        temp_image_dir = '%s/%s' % (temp_dir, image.image_id)
        _ds, temp_rel = temp_image_dir.split('] ', 1)
        LOG.info('Fetching image %s (%s, %s) into the cache of datastore %s',
                 image.image_id, image.disk_type, image.adapter_type, datastore.name)
        fd, local = tempfile.mkstemp(prefix='vmware-image-', dir=CONF.state_path
                                     if os.path.isdir(CONF.state_path) else None)
        os.close(fd)
        try:
            glance.API().download(context, image.image_id, dst_path=local)
            size = os.path.getsize(local)
            self.files.mkdir(temp_image_dir)
            disk = '%s/%s.vmdk' % (temp_image_dir, image.image_id)
            with open(local, 'rb') as data:
                if image.disk_type in DISK_TYPES_CONVERTED:
                    upload = '%s/tmp-sparse.vmdk' % temp_rel
                    self.files.upload(datastore.name, upload, data, size)
                    spec = vim.VirtualDiskManager.VirtualDiskSpec(
                        adapterType=disk_manager_adapter(image.adapter_type), diskType='thin')
                    self.files.copy_disk('[%s] %s' % (datastore.name, upload), disk, spec)
                    self.files.delete('[%s] %s' % (datastore.name, upload))
                else:
                    size_kb = max(1, int(math.ceil(max(size, image.size_bytes) / KiB)))
                    self.files.create_disk(disk, size_kb,
                                           disk_manager_adapter(image.adapter_type),
                                           image.disk_type)
                    self.files.upload(datastore.name, '%s/%s-flat.vmdk' % (
                        temp_rel, image.image_id), data, size)
            self.files.mkdir(datastore.path(cache_folder()))
            try:
                self.files.move(temp_image_dir, datastore.path(cache_folder(), image.image_id))
            except vmsession.VimTaskError as exc:
                if exc.fault_name != 'FileAlreadyExists':
                    raise
                LOG.info('Image %s was cached on %s meanwhile', image.image_id,
                         datastore.name)
        finally:
            os.unlink(local)
            try:
                self.files.delete(temp_dir)
            except vmsession.VimError as exc:
                LOG.warning('Could not remove %s: %s', temp_dir, exc)
        LOG.info('Image %s cached on datastore %s', image.image_id, datastore.name)
