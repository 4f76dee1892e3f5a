"""The image cache manager: forget cached bases no local instance uses.

A base (``_base/<sha1 of image id>``, ``ephemeral_*``, ``swap_*``) is in use
when an instance on this host was booted from that image or has a disk whose
backing file is that base. Bases in use are touched on every pass, so their
modification time says when they were last needed; unused ones are removed
once older than ``[image_cache] remove_unused_original_minimum_age_seconds``.
"""

import os
import time

from oslo_log import log as logging

import nova.conf
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import images

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class ImageCacheManager(object):
    def _bases_in_use(self, all_instances):
        used = set()
        for instance in all_instances:
            if instance.obj_attr_is_set('host') and instance.host not in (None, CONF.host):
                continue
            for field in ('image_ref', 'kernel_id', 'ramdisk_id'):
                value = getattr(instance, field, None) if instance.obj_attr_is_set(
                    field) else None
                if value:
                    used.add(imagebackend.image_cache_name(value))
        # Whatever the instances' records say, a disk on this host backed by
        # a base keeps it alive (an instance being deleted, a stale list).
        root = CONF.instances_path
        base_dir = imagebackend.base_dir()
        for entry in os.listdir(root) if os.path.isdir(root) else []:
            inst_dir = os.path.join(root, entry)
            if inst_dir == base_dir or not os.path.isdir(inst_dir):
                continue
            for name in (imagebackend.DISK, imagebackend.EPHEMERAL, imagebackend.SWAP):
                path = os.path.join(inst_dir, name)
                if not os.path.exists(path):
                    continue
                try:
                    backing = images.qemu_img_info(path, force_share=True).get(
                        'backing-filename')
                except Exception as exc:
                    LOG.debug('Cannot inspect %s: %s', path, exc)
                    continue
                if backing:
                    used.add(os.path.basename(backing))
        return used

    def update(self, context, all_instances):
        """One pass: touch bases in use, remove old unused ones. Returns removed names."""
        base_dir = imagebackend.base_dir()
        if not os.path.isdir(base_dir):
            return []
        used = self._bases_in_use(all_instances)
        max_age = CONF.image_cache.remove_unused_original_minimum_age_seconds
        now = time.time()
        removed = []
        for name in sorted(os.listdir(base_dir)):
            path = os.path.join(base_dir, name)
            if not os.path.isfile(path) or '.part' in name:
                continue
            if name in used:
                os.utime(path)
                continue
            age = now - os.path.getmtime(path)
            if not CONF.image_cache.remove_unused_base_images or age < max_age:
                LOG.debug('Unused base %s is %ds old; kept', name, age)
                continue
            LOG.info('Removing unused base image %s (%ds old)', name, age)
            try:
                os.unlink(path)
                removed.append(name)
            except OSError as exc:
                LOG.warning('Cannot remove base %s: %s', path, exc)
            lock = os.path.join(base_dir, 'locks', name + '.lock')
            if os.path.exists(lock):
                os.unlink(lock)
        return removed
