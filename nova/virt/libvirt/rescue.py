"""Rebuild and rescue in the libvirt driver (a mixin of LibvirtDriver).

Rebuild: the domain goes, the root disk (and config drive, kernel, ramdisk,
and the ephemeral disk unless it is to be kept) are made again from the new
image, and the guest is spawned as at boot.

Rescue: the guest is stopped and defined again with ``disk.rescue`` (a copy of
the rescue image) in front of its own disks, which stay attached; with a
stable-device rescue (image properties ``hw_rescue_device``/``hw_rescue_bus``,
2.87) the own disks keep their addresses and the rescue disk comes after them,
first in boot order. ``libvirt.xml`` keeps the original definition, so
unrescue stops the rescue guest, drops the rescue disk and starts the guest
from it again.
"""

import os

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova import objects
from nova.virt.libvirt import consoles
from nova.virt.libvirt import guestconfig
from nova.virt.libvirt import imagebackend

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class RescueMixin(object):
    """rebuild, rescue, unrescue."""

    def rebuild(self, context, instance, image_meta, injected_files, admin_password,
                network_info=None, preserve_ephemeral=False, before_spawn=None):
        self._remove_guest(instance, destroy_disks=False)
        imagebackend.remove_for_rebuild(instance, preserve_ephemeral)
        if before_spawn is not None:
            before_spawn()
        self.spawn(context, instance, image_meta, injected_files, admin_password,
                   allocations=None, network_info=network_info)

    def rescue(self, context, instance, network_info, image_meta, rescue_password,
               block_device_info=None):
        guest = self._host.get_guest(instance)
        try:
            rescue_format = imagebackend.create_rescue_disk(context, instance, image_meta,
                                                            self.image_fetch)
        except Exception as exc:
            raise exception.RescueException(instance_id=instance.uuid,
                                            reason=str(exc)) from exc
        guest.poweroff()
        own_image = objects.ImageMeta.from_instance(instance)
        serial_port = (consoles.acquire_serial_port(self._host)
                       if CONF.serial_console.enabled else None)
        xml = guestconfig.build_guest_config(
            self._host, instance, own_image, imagebackend.existing_disks(instance),
            network_info or [], serial_port,
            rescue=guestconfig.Rescue(rescue_format, image_meta)).to_xml()
        try:
            self._host.write_instance_config(xml).launch()
        except Exception as exc:
            LOG.warning('Rescue guest of %s did not start (%s); starting it as it was',
                        instance.uuid, exc)
            self._restore_from_rescue(context, instance, network_info)
            raise exception.RescueException(instance_id=instance.uuid,
                                            reason=str(exc)) from exc
        LOG.info('Instance %s rescued from image %s', instance.uuid,
                 image_meta.id if 'id' in image_meta else '?')

    def unrescue(self, context, instance):
        try:
            self._host.get_guest(instance).poweroff()
        except exception.InstanceNotFound:
            pass
        try:
            self._restore_from_rescue(context, instance, None)
        except Exception as exc:
            raise exception.InstanceUnRescueFailure(instance_id=instance.uuid,
                                                    reason=str(exc)) from exc

    def _restore_from_rescue(self, context, instance, network_info):
        """The original definition (libvirt.xml) running again, the rescue disk gone."""
        path = imagebackend.instance_path(instance, imagebackend.RESCUE)
        if os.path.exists(path):
            os.unlink(path)
        self._hard_reboot(context, instance, network_info)
