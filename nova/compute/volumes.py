"""The compute manager's volume operations: attach, detach, extend, and the
volumes of a server being deleted.

A mixin of ComputeManager. The API has reserved the volume in Cinder (an
attachment without a connector) and recorded the block device mapping; here
the attachment gets this host's connector, Cinder exports the volume and
answers with its connection info, the driver gives the guest the disk, and
the attachment is completed (the volume goes ``in-use``). A failure at any
step undoes the earlier ones, so Cinder never shows a volume attached that
the guest does not have. A detach waits for the guest to let go before the
attachment is deleted; a guest that keeps the disk leaves the volume
attached (``in-use``) and the detach failed, with a fault on the server.

An attach or detach this service was running when it stopped (its action
event started and never finished) is settled at the next start-up: an
attach Cinder never saw completed is undone (guest, attachment, mapping) and
a detach that had deleted the attachment loses its mapping too; the event
ends in error, so the API accepts the request again.
"""

from oslo_log import log as logging
from oslo_serialization import jsonutils

from nova.compute import block_devices
from nova.compute import operations
from nova import exception
from nova import objects
from nova.volume import cinder

LOG = logging.getLogger(__name__)

_ATTACH_EVENT = 'compute_attach_volume'
_DETACH_EVENT = 'compute_detach_volume'


def connection_info_of(bdm):
    try:
        return jsonutils.loads(bdm.connection_info) if bdm.connection_info else {}
    except ValueError:
        return {}


def _unfinished_events(context, instance_uuid):
    """The server's volume attaches and detaches back to the newest one that ended
    (one at a time runs on a server): (their events still open, how many attaches
    are still queued, with no event yet)."""
    found = []
    queued = 0
    for action in objects.InstanceActionList.get_by_instance_uuid(context, instance_uuid):
        if action.action not in ('attach_volume', 'detach_volume'):
            continue
        events = objects.InstanceActionEventList.get_by_action(context, action.id)
        open_events = [event for event in events if event.finish_time is None]
        if events and not open_events:
            break
        found.extend(open_events)
        queued += not events and action.action == 'attach_volume'
    return found, queued


class VolumeOperations(operations.InstanceOperations):
    """attach_volume / detach_volume / extend_volume (compute RPC 6.7) for ComputeManager."""

    @operations.instance_operation('compute_attach_volume', 'volume_attach')
    def attach_volume(self, context, instance, bdm):
        client = cinder.get_client(context)
        attached = False
        try:
            multiattach = block_devices.check_multiattach(
                self.driver, client.get_volume(bdm.volume_id))
            connector = self.driver.get_volume_connector(instance)
            attachment = client.attachment_update(bdm.attachment_id, connector,
                                                  bdm.device_name)
            connection_info = block_devices.connection_info(attachment, bdm.volume_id,
                                                            bdm.device_name, multiattach)
            self.driver.attach_volume(context, connection_info, instance, bdm.device_name,
                                      disk_bus=bdm.disk_bus, device_type=bdm.device_type)
            attached = True
            bdm.connection_info = jsonutils.dumps(connection_info)
            bdm.save()
            client.attachment_complete(bdm.attachment_id)
        except Exception:
            LOG.warning('Attaching volume %s to %s failed; undoing', bdm.volume_id,
                        instance.uuid)
            self._undo_attach(context, instance, bdm, client, attached)
            raise
        LOG.info('Volume %s attached to %s at %s', bdm.volume_id, instance.uuid,
                 bdm.device_name)

    def _undo_attach(self, context, instance, bdm, client, attached):
        if attached:
            try:
                self.driver.detach_volume(context, connection_info_of(bdm), instance,
                                          bdm.device_name)
            except Exception:
                LOG.exception('Could not take volume %s back from %s', bdm.volume_id,
                              instance.uuid)
                return  # the guest keeps it: Cinder must keep showing it attached
        try:
            client.attachment_delete(bdm.attachment_id)
        except Exception:
            LOG.exception('Could not delete attachment %s of volume %s', bdm.attachment_id,
                          bdm.volume_id)
        try:
            bdm.destroy()
        except Exception:
            LOG.exception('Could not delete the mapping of volume %s', bdm.volume_id)

    @operations.instance_operation('compute_detach_volume', 'volume_detach')
    def detach_volume(self, context, instance, volume_id, attachment_id=None):
        bdm = objects.BlockDeviceMapping.get_by_volume_and_instance(context, volume_id,
                                                                   instance.uuid)
        client = cinder.get_client(context)
        try:
            self.driver.detach_volume(context, connection_info_of(bdm), instance,
                                      bdm.device_name)
        except Exception:
            # The guest still has the disk: the volume stays attached in Cinder.
            try:
                client.roll_detaching(volume_id)
            except Exception:
                LOG.exception('Could not roll back the detaching state of %s', volume_id)
            raise
        client.attachment_delete(attachment_id or bdm.attachment_id)
        bdm.destroy()
        LOG.info('Volume %s detached from %s', volume_id, instance.uuid)

    @operations.instance_operation('compute_swap_volume', 'volume_swap')
    def swap_volume(self, context, instance, old_volume_id, new_volume_id,
                    new_attachment_id):
        """The guest's disk moves from ``old_volume_id`` to ``new_volume_id``.

        The API reserved the new volume (``new_attachment_id``) and marked the
        old one ``detaching``. The new attachment gets this host's connector,
        the driver copies the disk and switches the guest over, the new
        attachment is completed and the old one deleted. A failure before the
        switch deletes the new attachment and puts the old volume back
        ``in-use``: the guest, Nova and Cinder stay on the old volume.
        """
        bdm = objects.BlockDeviceMapping.get_by_volume_and_instance(context, old_volume_id,
                                                                   instance.uuid)
        client = cinder.get_client(context)
        try:
            old_volume = client.get_volume(old_volume_id)
            new_volume = client.get_volume(new_volume_id)
            multiattach = block_devices.check_multiattach(self.driver, new_volume)
            connector = self.driver.get_volume_connector(instance)
            attachment = client.attachment_update(new_attachment_id, connector,
                                                  bdm.device_name)
            new_info = block_devices.connection_info(attachment, new_volume_id,
                                                     bdm.device_name, multiattach)
            old_size, new_size = int(old_volume['size']), int(new_volume['size'])
            self.driver.swap_volume(context, connection_info_of(bdm), new_info, instance,
                                    bdm.device_name,
                                    new_size if new_size > old_size else 0)
        except Exception:
            LOG.warning('Swapping volume %s for %s on %s failed; the guest keeps %s',
                        old_volume_id, new_volume_id, instance.uuid, old_volume_id)
            for undo, args in ((client.attachment_delete, (new_attachment_id,)),
                               (client.roll_detaching, (old_volume_id,))):
                try:
                    undo(*args)
                except Exception:
                    LOG.exception('Could not undo %s', undo.__name__)
            raise
        client.attachment_complete(new_attachment_id)
        if bdm.attachment_id:
            client.attachment_delete(bdm.attachment_id)
        save_volume_id = new_volume_id
        if old_volume.get('migration_status') in ('migrating', 'completing'):
            # Cinder moves the volume between backends and asked for the swap
            # (its old attachment deleted first, as Cinder expects): it may
            # keep the old volume's id for the new one
            result = client.migrate_volume_completion(old_volume_id, new_volume_id) or {}
            save_volume_id = result.get('save_volume_id') or new_volume_id
        bdm.volume_id = save_volume_id
        bdm.attachment_id = new_attachment_id
        bdm.connection_info = jsonutils.dumps(dict(new_info, serial=save_volume_id))
        bdm.volume_size = new_size
        bdm.save()
        LOG.info('Volume %s of %s at %s swapped for %s', old_volume_id, instance.uuid,
                 bdm.device_name, save_volume_id)

    def _settle_interrupted_volume_operations(self, context, instance):
        """Start-up: end the attaches and detaches of ``instance`` a previous run
        of this service left half done (their events started, never finished).

        An attach whose Cinder attachment is not ``attached`` is undone (the
        guest, when it may have the disk, the attachment, the mapping): the
        request was consumed and will not come back, and the API would refuse a
        retry while the mapping exists (the newest such mappings, one per attach
        still queued behind it, are left for those to run). A detach whose
        attachment is already
        gone from Cinder had got the disk out of the guest: its mapping goes.
        Any other detach leaves the volume as it was (the API lets a detach
        that ended in error be retried). The events end in error.
        """
        events, queued = _unfinished_events(context, instance.uuid)
        interrupted = [event for event in events
                       if event.event in (_ATTACH_EVENT, _DETACH_EVENT)]
        if not interrupted:
            return
        names = {event.event for event in interrupted}
        client = cinder.get_client(context, admin=True)
        bdms = sorted((bdm for bdm in objects.BlockDeviceMappingList.get_by_instance_uuid(
            context, instance.uuid) if bdm.is_volume and bdm.attachment_id and
            not bdm.is_root), key=lambda bdm: bdm.id)
        attachments = {}
        for bdm in bdms:
            try:
                attachments[bdm.id] = client.attachment_get(bdm.attachment_id)
            except exception.VolumeAttachmentNotFound:
                attachments[bdm.id] = None
        # The newest mappings not yet attached belong to the attaches still
        # queued (the host takes them in order): those are left to run.
        pending = [bdm for bdm in bdms if attachments[bdm.id] is not None and
                   attachments[bdm.id].get('status') in ('reserved', 'attaching')]
        still_queued = {bdm.id for bdm in pending[len(pending) - queued:]} if queued else set()
        for bdm in bdms:
            attachment = attachments[bdm.id]
            if bdm.id in still_queued:
                continue
            if attachment is None and _DETACH_EVENT in names:
                LOG.warning('The detach of volume %s from %s was interrupted after Cinder '
                            'deleted its attachment; removing its mapping', bdm.volume_id,
                            instance.uuid)
                self.driver.detach_volume(context, connection_info_of(bdm), instance,
                                          bdm.device_name)
                bdm.destroy()
            elif attachment is not None and _ATTACH_EVENT in names and \
                    attachment.get('status') in ('reserved', 'attaching'):
                LOG.warning('The attach of volume %s to %s was interrupted (attachment %s '
                            '%s); undoing it', bdm.volume_id, instance.uuid,
                            bdm.attachment_id, attachment.get('status'))
                self._undo_attach(context, instance, bdm, client,
                                  attached=bool(bdm.connection_info))
        reason = exception.NovaException(
            message='nova-compute stopped during the operation; it was not completed')
        for event in interrupted:
            event.finish_with_failure(reason, None)

    def extend_volume(self, context, instance, extended_volume_id):
        """The ``volume-extended`` event: the guest sees the volume's new size."""
        try:
            bdm = objects.BlockDeviceMapping.get_by_volume_and_instance(
                context, extended_volume_id, instance.uuid)
        except exception.VolumeBDMNotFound:
            LOG.info('volume-extended for %s, which %s does not have', extended_volume_id,
                     instance.uuid)
            return
        volume = cinder.get_client(context, admin=True).get_volume(extended_volume_id)
        size = int(volume['size']) * 1024 ** 3
        connection_info = connection_info_of(bdm)
        connection_info.setdefault('mountpoint', bdm.device_name)
        try:
            self.driver.extend_volume(context, connection_info, instance, size)
        except NotImplementedError:
            LOG.info('The driver cannot resize volumes of a running guest')
            return
        LOG.info('Volume %s of %s extended to %d bytes', extended_volume_id, instance.uuid,
                 size)

    def _release_volumes(self, context, instance):
        """A server going away: each volume's attachment goes, and the volume too
        when ``delete_on_termination`` says so. Cinder errors are logged, not raised:
        the server's delete completes (upstream does the same)."""
        bdms = objects.BlockDeviceMappingList.get_by_instance_uuid(context, instance.uuid)
        volumes = [bdm for bdm in bdms if bdm.is_volume and bdm.volume_id]
        if not volumes:
            return
        client = cinder.get_client(context, admin=True)
        for bdm in volumes:
            try:
                if bdm.attachment_id:
                    client.attachment_delete(bdm.attachment_id)
                if bdm.delete_on_termination:
                    client.delete_volume(bdm.volume_id)
                    LOG.info('Volume %s of %s deleted with it', bdm.volume_id, instance.uuid)
            except exception.VolumeNotFound:
                pass
            except Exception:
                LOG.exception('Could not release volume %s of deleted instance %s',
                              bdm.volume_id, instance.uuid)
            try:
                bdm.destroy()
            except Exception:
                LOG.debug('mapping of %s already gone', bdm.volume_id)
