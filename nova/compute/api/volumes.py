"""The compute API's volume attachments: attach, detach, and the 2.85 update
of ``delete_on_termination``.

A mixin of nova.compute.api.API. An attach checks the server (lock, state) and
the volume in Cinder (status, multiattach, availability zone as ``[cinder]
cross_az_attach`` says; a multiattach volume needs 2.60 and a host whose node
carries COMPUTE_VOLUME_MULTI_ATTACH in Placement), picks the next free device
name, records the block device mapping and reserves the volume with an
attachment that has no connector yet, then casts to the server's host, which
connects it. A failure before the cast removes what was made, so no mapping or
attachment is left behind; an attachment an earlier failed attach could not
delete (Cinder was down) is deleted before the new one is made. A detach marks
the volume ``detaching`` in Cinder and casts; a volume still ``detaching``
after a detach that ended in error (the guest let go, Cinder could not be
told) may be detached again.
"""

import os_traits
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
SWAP_VOLUME = 'swap_volume'
# upstream's states for a swap: the guest runs (its disk is copied live)
SWAP_VM_STATES = (vm_states.ACTIVE, vm_states.PAUSED, vm_states.RESIZED)
# upstream's states for attach and detach (a shelved-offloaded server has no
# host to connect the volume on: not supported here yet)
ALLOWED_VM_STATES = (vm_states.ACTIVE, vm_states.PAUSED, vm_states.STOPPED,
                     vm_states.RESIZED, vm_states.SOFT_DELETED, vm_states.SHELVED)


def _cell_context(context, instance):
    return getattr(instance, '_context', None) or context


def _forget_stale_attachments(client, volume, instance_uuid):
    """Delete the attachments of ``volume`` to this server that no mapping owns.

    An attach that failed while Cinder was unreachable could not delete the
    attachment it had reserved; the server has no mapping of the volume (the
    caller checked), so any attachment of it to this server is such a
    leftover, and a new attach would otherwise leave it behind for good.
    Returns the volume as Cinder shows it afterwards.
    """
    if volume.get('status') == 'available':
        return volume
    stale = client.attachment_list(volume['id'], instance_uuid)
    for attachment in stale:
        LOG.warning('Deleting attachment %s of volume %s to %s left by a failed attach',
                    attachment['id'], volume['id'], instance_uuid)
        client.attachment_delete(attachment['id'])
    return client.get_volume(volume['id']) if stale else volume


def _check_host_supports_multiattach(api, context, instance, volume_id):
    """MultiattachNotSupportedByVirtDriver (409) when the server's host cannot
    share a disk between guests: its node provider in Placement lacks
    COMPUTE_VOLUME_MULTI_ATTACH, the trait nova-compute reports from its
    driver's ``supports_multiattach``. A node or Placement that cannot be read
    leaves the decision to the host, which refuses such an attach too."""
    try:
        node = objects.ComputeNode.get_by_host_and_nodename(
            _cell_context(context, instance), instance.host, instance.node)
        traits = api.reportclient.get_traits(context, node.uuid)['traits']
    except Exception:
        LOG.warning('Could not read the traits of the node of %s; its host will check '
                    'multiattach support', instance.uuid, exc_info=True)
        return
    if os_traits.COMPUTE_VOLUME_MULTI_ATTACH not in traits:
        raise exception.MultiattachNotSupportedByVirtDriver(volume_id=volume_id)


def _detach_under_way(context, instance):
    """Is the server's latest volume detach still queued or running on its host?"""
    for action in objects.InstanceActionList.get_by_instance_uuid(context, instance.uuid):
        if action.action != DETACH_VOLUME:
            continue
        events = objects.InstanceActionEventList.get_by_action(context, action.id)
        return not events or any(event.finish_time is None for event in events)
    return False


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
        cctxt = _cell_context(context, instance)
        bdms = objects.BlockDeviceMappingList.get_by_instance_uuid(cctxt, instance.uuid)
        if any(bdm.volume_id == volume_id for bdm in bdms):
            raise exception.InvalidVolume(reason=(
                'volume %s is already attached to this server' % volume_id))
        volume = _forget_stale_attachments(client, volume, instance.uuid)
        cinder.check_attachable(volume, instance.uuid, supports_multiattach)
        cinder.check_availability_zone(volume, instance.availability_zone)
        if volume.get('multiattach'):
            _check_host_supports_multiattach(self, context, instance, volume_id)
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
        if volume.get('status') == 'detaching' and not _detach_under_way(cctxt, instance):
            # An earlier detach got the disk out of the guest but could not
            # tell Cinder (it was down): this one finishes the job.
            LOG.info('Volume %s is still detaching from %s after a failed detach; '
                     'trying again', volume_id, instance.uuid)
        else:
            client.begin_detaching(volume_id)
        try:
            objects.InstanceAction.action_start(cctxt, instance.uuid, DETACH_VOLUME,
                                                want_result=False)
            self.compute_rpcapi.detach_volume(cctxt, instance, volume_id, bdm.attachment_id)
        except Exception:
            client.roll_detaching(volume_id)
            raise

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=SWAP_VM_STATES, task_state=(None,))
    def swap_volume(self, context, instance, old_volume_id, new_volume_id):
        """Move the server's disk from one volume to another (an admin's PUT, or
        Cinder migrating an attached volume): the new volume is reserved, the
        old one marked ``detaching``, the host copies the disk and switches."""
        cctxt = _cell_context(context, instance)
        objects.BlockDeviceMapping.get_by_volume_and_instance(cctxt, old_volume_id,
                                                              instance.uuid)
        client = cinder.get_client(context)
        old_volume = client.get_volume(old_volume_id)
        new_volume = client.get_volume(new_volume_id)
        if old_volume.get('status') not in ('in-use', 'attaching', 'detaching') and \
                old_volume.get('migration_status') not in ('migrating', 'completing'):
            raise exception.InvalidVolume(reason=(
                'volume %s is %s, not attached' % (old_volume_id, old_volume.get('status'))))
        if old_volume.get('multiattach') and len(old_volume.get('attachments') or []) > 1:
            raise exception.InvalidVolume(reason=(
                'Swapping multi-attach volumes with more than one read/write attachment '
                'is not supported.'))
        if new_volume.get('status') != 'available' or new_volume.get('attachments'):
            raise exception.InvalidVolume(reason=(
                'volume %s is %s, not available' % (new_volume_id, new_volume.get('status'))))
        if int(new_volume['size']) < int(old_volume['size']):
            raise exception.InvalidVolume(reason=(
                'New volume must be the same size or larger.'))
        cinder.check_availability_zone(new_volume, instance.availability_zone)
        client.begin_detaching(old_volume_id)
        attachment = None
        try:
            attachment = client.attachment_create(new_volume_id, instance.uuid)
            objects.InstanceAction.action_start(cctxt, instance.uuid, SWAP_VOLUME,
                                                want_result=False)
            self.compute_rpcapi.swap_volume(cctxt, instance, old_volume_id, new_volume_id,
                                            attachment['id'])
        except Exception:
            LOG.warning('Swap of volume %s for %s on %s failed before reaching the host',
                        old_volume_id, new_volume_id, instance.uuid)
            if attachment is not None:
                try:
                    client.attachment_delete(attachment['id'])
                except Exception:
                    LOG.exception('Could not delete attachment %s', attachment['id'])
            client.roll_detaching(old_volume_id)
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
