"""The compute manager's snapshots and backups (createImage, createBackup).

A mixin of ComputeManager. The API created the Glance image (queued) and set
IMAGE_SNAPSHOT or IMAGE_BACKUP; here the driver uploads the guest's disk
while the task moves through IMAGE_PENDING_UPLOAD and IMAGE_UPLOADING, as
upstream. A failed snapshot deletes its half-made image and leaves the
server as it was. A backup then deletes the oldest backups of the same
server and type beyond ``rotation``. ``[DEFAULT] max_concurrent_snapshots``
bounds how many run at once on this host.
"""

import threading

from oslo_log import log as logging

import nova.conf
from nova.compute import operations
from nova.compute import task_states
from nova import exception
from nova.image import glance

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_UNLIMITED_SNAPSHOTS = 64


class SnapshotOperations(operations.InstanceOperations):
    """snapshot_instance / backup_instance (compute RPC 6.1) for ComputeManager."""

    def _init_snapshots(self):
        self.image_api = glance.API()
        self._snapshot_semaphore = threading.BoundedSemaphore(
            CONF.max_concurrent_snapshots or _UNLIMITED_SNAPSHOTS)

    @operations.instance_operation('compute_snapshot_instance', 'snapshot')
    def snapshot_instance(self, context, instance, image_id):
        self._snapshot(context, instance, image_id, task_states.IMAGE_SNAPSHOT)

    @operations.instance_operation('compute_backup_instance', 'snapshot')
    def backup_instance(self, context, instance, image_id, backup_type, rotation):
        self._snapshot(context, instance, image_id, task_states.IMAGE_BACKUP)
        self._rotate_backups(context, instance, backup_type, rotation)

    def _snapshot(self, context, instance, image_id, first_task):
        with self._snapshot_semaphore:
            instance.power_state = self._get_power_state(instance)
            instance.task_state = task_states.IMAGE_SNAPSHOT_PENDING
            instance.save(expected_task_state=first_task)

            def update_task_state(task_state, expected_state=task_states.IMAGE_SNAPSHOT_PENDING):
                instance.task_state = task_state
                instance.save(expected_task_state=expected_state)

            try:
                self.driver.snapshot(context, instance, image_id, update_task_state)
            except Exception:
                self._delete_failed_image(context, image_id)
                raise
            instance.task_state = None
            instance.save(expected_task_state=task_states.IMAGE_UPLOADING)

    def _delete_failed_image(self, context, image_id):
        """A snapshot that failed must not leave a queued or half-uploaded image."""
        try:
            image = self.image_api.get(context, image_id)
            if image.get('status') != 'active':
                self.image_api.delete(context, image_id)
        except exception.ImageNotFound:
            pass
        except Exception:
            LOG.warning('Could not delete image %s of a failed snapshot', image_id,
                        exc_info=True)

    def _rotate_backups(self, context, instance, backup_type, rotation):
        """Delete this server's ``backup_type`` backups beyond the newest ``rotation``."""
        filters = {'instance_uuid': instance.uuid, 'image_type': 'backup',
                   'backup_type': backup_type}
        images = self.image_api.get_all(context, filters=filters, sort_key='created_at',
                                        sort_dir='desc')
        # Glance versions that ignore property filters: check them here too.
        images = [i for i in images
                  if (i.get('properties') or {}).get('instance_uuid') == instance.uuid and
                  (i.get('properties') or {}).get('backup_type') == backup_type and
                  (i.get('properties') or {}).get('image_type') == 'backup']
        for image in images[rotation:]:
            LOG.info('Rotating out backup %s of instance %s', image['id'], instance.uuid)
            try:
                self.image_api.delete(context, image['id'])
            except exception.ImageNotFound:
                pass
