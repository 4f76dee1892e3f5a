"""An in-memory Cinder for the unit tier (no daemons there): volumes and the
attachments API with Cinder's state changes, behind nova.volume.cinder.Client's
methods. The functional and e2e tiers use the real Cinder."""

import uuid

from nova import exception


class FakeCinder(object):
    def __init__(self):
        self.volumes = {}
        self.attachments = {}
        self.calls = []
        self.fail = {}  # method name -> exception to raise once
        self.creating = {}  # volume id -> the status it reaches
        self.snapshots = {}

    def add_volume(self, size=1, status='available', multiattach=False, az='nova'):
        volume_id = str(uuid.uuid4())
        self.volumes[volume_id] = {'id': volume_id, 'size': size, 'status': status,
                                   'multiattach': multiattach, 'availability_zone': az,
                                   'attachments': []}
        return volume_id

    def client(self, context=None, admin=False):
        return _Client(self)


class _Client(object):
    def __init__(self, cinder):
        self.cinder = cinder

    def _call(self, name, *args):
        self.cinder.calls.append((name,) + args)
        failure = self.cinder.fail.pop(name, None)
        if failure is not None:
            raise failure

    def get_volume(self, volume_id):
        self._call('get_volume', volume_id)
        if volume_id not in self.cinder.volumes:
            raise exception.VolumeNotFound(volume_id=volume_id)
        if volume_id in self.cinder.creating:
            self.cinder.volumes[volume_id]['status'] = self.cinder.creating.pop(volume_id)
        return dict(self.cinder.volumes[volume_id])

    def create_volume(self, size, name=None, description=None, image_id=None,
                      snapshot_id=None, volume_type=None, availability_zone=None,
                      metadata=None):
        """Like Cinder: 'creating' first, 'available' when next read (or 'error'
        when ``fail['create_volume_async']`` is set)."""
        self._call('create_volume', size, image_id)
        volume_id = self.cinder.add_volume(size=size, status='creating')
        self.cinder.volumes[volume_id].update(image_id=image_id, name=name)
        self.cinder.creating[volume_id] = 'error' if self.cinder.fail.pop(
            'create_volume_async', None) else 'available'
        return dict(self.cinder.volumes[volume_id])

    def list_volumes(self):
        self._call('list_volumes')
        return [dict(v) for v in self.cinder.volumes.values()]

    def list_snapshots(self):
        self._call('list_snapshots')
        return [dict(s) for s in self.cinder.snapshots.values()]

    def create_snapshot(self, volume_id, force=False, name=None, description=None):
        self._call('create_snapshot', volume_id, force)
        volume = self.cinder.volumes.get(volume_id)
        if volume is None:
            raise exception.VolumeNotFound(volume_id=volume_id)
        if volume['status'] != 'available' and not force:
            raise exception.InvalidInput(reason='volume is %s' % volume['status'])
        snapshot_id = str(uuid.uuid4())
        self.cinder.snapshots[snapshot_id] = {
            'id': snapshot_id, 'volume_id': volume_id, 'status': 'available',
            'size': volume['size'], 'name': name, 'description': description}
        return dict(self.cinder.snapshots[snapshot_id])

    def get_snapshot(self, snapshot_id):
        self._call('get_snapshot', snapshot_id)
        if snapshot_id not in self.cinder.snapshots:
            raise exception.SnapshotNotFound(snapshot_id=snapshot_id)
        return dict(self.cinder.snapshots[snapshot_id])

    def delete_snapshot(self, snapshot_id):
        self._call('delete_snapshot', snapshot_id)
        if self.cinder.snapshots.pop(snapshot_id, None) is None:
            raise exception.SnapshotNotFound(snapshot_id=snapshot_id)

    def delete_volume(self, volume_id):
        self._call('delete_volume', volume_id)
        if self.cinder.volumes.pop(volume_id, None) is None:
            raise exception.VolumeNotFound(volume_id=volume_id)

    def attachment_create(self, volume_id, instance_uuid, connector=None, mountpoint=None):
        self._call('attachment_create', volume_id, instance_uuid)
        volume = self.cinder.volumes.get(volume_id)
        if volume is None:
            raise exception.VolumeNotFound(volume_id=volume_id)
        attachment_id = str(uuid.uuid4())
        self.cinder.attachments[attachment_id] = {
            'id': attachment_id, 'volume_id': volume_id, 'instance': instance_uuid,
            'status': 'reserved', 'connector': connector}
        volume['status'] = 'reserved'
        if connector:
            return self.attachment_update(attachment_id, connector, mountpoint)
        return {'id': attachment_id, 'connection_info': None}

    def volume_types(self):
        self._call('volume_types')
        return [{'id': '5f0b7a3c-1e5c-4b43-9b7e-2c2f7f0c1a11', 'name': '__DEFAULT__'}]

    def attachment_get(self, attachment_id):
        self._call('attachment_get', attachment_id)
        if attachment_id not in self.cinder.attachments:
            raise exception.VolumeAttachmentNotFound(attachment_id=attachment_id)
        return dict(self.cinder.attachments[attachment_id])

    def attachment_list(self, volume_id, instance_uuid):
        self._call('attachment_list', volume_id, instance_uuid)
        return [{'id': a['id'], 'status': a['status']}
                for a in self.cinder.attachments.values()
                if a['volume_id'] == volume_id and a['instance'] == instance_uuid]

    def attachment_update(self, attachment_id, connector, mountpoint=None):
        self._call('attachment_update', attachment_id)
        attachment = self.cinder.attachments[attachment_id]
        attachment.update(connector=connector, status='attaching')
        volume = self.cinder.volumes[attachment['volume_id']]
        volume['status'] = 'attaching'
        return {'id': attachment_id, 'connection_info': {
            'driver_volume_type': 'rbd',
            'data': {'name': 'volumes/volume-%s' % volume['id'], 'hosts': ['127.0.0.1'],
                     'ports': ['6789'], 'auth_enabled': False}}}

    def attachment_complete(self, attachment_id):
        self._call('attachment_complete', attachment_id)
        attachment = self.cinder.attachments[attachment_id]
        attachment['status'] = 'attached'
        volume = self.cinder.volumes[attachment['volume_id']]
        volume['status'] = 'in-use'
        volume['attachments'] = [{'server_id': attachment['instance'],
                                  'attachment_id': attachment_id}]

    def attachment_delete(self, attachment_id):
        self._call('attachment_delete', attachment_id)
        attachment = self.cinder.attachments.pop(attachment_id, None)
        if attachment is None:
            return
        volume = self.cinder.volumes.get(attachment['volume_id'])
        if volume is not None:
            volume['status'] = 'available'
            volume['attachments'] = []

    def begin_detaching(self, volume_id):
        self._call('begin_detaching', volume_id)
        volume = self.cinder.volumes[volume_id]
        if volume['status'] != 'in-use':
            raise exception.InvalidVolume(reason='volume is %s' % volume['status'])
        volume['status'] = 'detaching'

    def roll_detaching(self, volume_id):
        self._call('roll_detaching', volume_id)
        volume = self.cinder.volumes[volume_id]
        if volume['status'] == 'detaching':
            volume['status'] = 'in-use'
