"""The compute API's volume attachments: attach, detach, and the 2.85 update
of ``delete_on_termination``.

A mixin of nova.compute.api.API. An attach checks the server (lock, state)
and the volume in Cinder (status, multiattach, availability zone as
``[cinder] cross_az_attach`` says), picks the next free device name, records
the block device mapping and reserves the volume with an attachment that has
no connector yet, then casts to the server's host, which connects it. A
failure before the cast removes what was made, so no mapping or attachment
is left behind. A detach marks the volume ``detaching`` in Cinder and casts.
"""

from oslo_log import log as logging

from nova import block_device
from nova.compute.api import checks
from nova.compute import vm_states
from nova import exception
from nova import objects
from nova.volume import cinder

LOG = logging.getLogger(__name__)

ATTACH_VOLUME = 'attach_volume'
DETACH_VOLUME = 'detach_volume'
# upstream's states for attach and detach (a shelved-offloaded server has no
# host to connect the volume on: not supported here yet)
ALLOWED_VM_STATES = (vm_states.ACTIVE, vm_states.PAUSED, vm_states.STOPPED,
                     vm_states.RESIZED, vm_states.SOFT_DELETED, vm_states.SHELVED)


def _cell_context(context, instance):
    return getattr(instance, '_context', None) or context


class VolumeAPIMixin(object):
    """Volume attachments for nova.compute.api.API (which provides compute_rpcapi)."""

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=ALLOWED_VM_STATES, task_state=(None,))
    def attach_volume(self, context, instance, volume_id, device=None, tag=None,
                      delete_on_termination=False, supports_multiattach=False):
        """Reserve ``volume_id`` for the server and cast the attach; the device name."""
        if not instance.host:
            raise exception.InstanceInvalidState(
                attr='host', instance_uuid=instance.uuid, state=None,
                method='attach_volume')
        client = cinder.get_client(context)
        volume = client.get_volume(volume_id)
        cinder.check_attachable(volume, instance.uuid, supports_multiattach)
        cinder.check_availability_zone(volume, instance.availability_zone)
        cctxt = _cell_context(context, instance)
        bdms = objects.BlockDeviceMappingList.get_by_instance_uuid(cctxt, instance.uuid)
        device_name = block_device.next_device_name(
            [bdm.device_name for bdm in bdms] + ['/dev/vda'])
        bdm = objects.BlockDeviceMapping(
            context=cctxt, instance_uuid=instance.uuid, source_type='volume',
            destination_type='volume', device_type='disk', volume_id=volume_id,
            device_name=device_name, delete_on_termination=bool(delete_on_termination),
            tag=tag, boot_index=None, volume_size=volume.get('size'))
        bdm.create()
        try:
            attachment = client.attachment_create(volume_id, instance.uuid)
            bdm.attachment_id = attachment['id']
            bdm.save()
            objects.InstanceAction.action_start(cctxt, instance.uuid, ATTACH_VOLUME,
                                                want_result=False)
            self.compute_rpcapi.attach_volume(cctxt, instance, bdm)
        except Exception:
            LOG.warning('Attach of volume %s to %s failed before reaching the host; '
                        'cleaning up', volume_id, instance.uuid)
            if bdm.obj_attr_is_set('attachment_id') and bdm.attachment_id:
                try:
                    client.attachment_delete(bdm.attachment_id)
                except Exception:
                    LOG.exception('Could not delete attachment %s', bdm.attachment_id)
            bdm.destroy()
            raise
        return device_name

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=ALLOWED_VM_STATES, task_state=(None,))
    def detach_volume(self, context, instance, volume_id):
        cctxt = _cell_context(context, instance)
        bdm = objects.BlockDeviceMapping.get_by_volume_and_instance(cctxt, volume_id,
                                                                   instance.uuid)
        if bdm.is_root:
            raise exception.InvalidVolume(reason='Cannot detach a root device volume')
        if not instance.host:
            raise exception.InstanceInvalidState(
                attr='host', instance_uuid=instance.uuid, state=None,
                method='detach_volume')
        client = cinder.get_client(context)
        volume = client.get_volume(volume_id)
        if volume.get('status') == 'available':
            raise exception.InvalidVolume(reason='volume %s is already detached' % volume_id)
        client.begin_detaching(volume_id)
        try:
            objects.InstanceAction.action_start(cctxt, instance.uuid, DETACH_VOLUME,
                                                want_result=False)
            self.compute_rpcapi.detach_volume(cctxt, instance, volume_id, bdm.attachment_id)
        except Exception:
            client.roll_detaching(volume_id)
            raise

    @checks.check_instance_lock
    def update_volume_attachment(self, context, instance, volume_id,
                                 delete_on_termination):
        """2.85: change ``delete_on_termination`` of an attached volume."""
        cctxt = _cell_context(context, instance)
        bdm = objects.BlockDeviceMapping.get_by_volume_and_instance(cctxt, volume_id,
                                                                   instance.uuid)
        bdm.delete_on_termination = bool(delete_on_termination)
        bdm.save()
        return bdm
