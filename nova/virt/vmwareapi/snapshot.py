"""Snapshot of a VM's root disk to a Glance image (a mixin of VMwareVCDriver).

A vSphere snapshot freezes the root disk (writes go to a delta from then
on); vCenter copies the frozen disk, with the chain under it consolidated,
into a temporary folder; its flat extent is read over the datastore HTTP
interface and uploaded to Glance as a ``vmdk`` image
(``vmware_disktype=preallocated``) that this driver boots again. The
vSphere snapshot and the copy are removed whatever happens.
"""

import os
import tempfile
import uuid

from oslo_log import log as logging

import nova.conf
from nova.compute import task_states
from nova import exception
from nova.image import glance
from nova.virt.vmwareapi import cluster as vmcluster
from nova.virt.vmwareapi import images
from nova.virt.vmwareapi import session as vmsession
from nova.virt.vmwareapi import vmops
from nova.virt.vmwareapi import vmspec

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _flat(path):
    return path[:-len('.vmdk')] + '-flat.vmdk' if path.endswith('.vmdk') else path


class SnapshotMixin(object):
    def snapshot(self, context, instance, image_id, update_task_state):
        vm, props = self.vmops.vm_props(instance, ['config.hardware.device', 'config.guestId'])
        disk = vmspec.root_disk(props['config.hardware.device'])
        if disk is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        disk_path = disk.backing.fileName
        adapter = self._adapter_of(props['config.hardware.device'], disk)
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        ds_name, _rel = vmcluster.split_path(disk_path)
        temp_dir = '[%s] %s/%s' % (ds_name, images.TEMP_FOLDER, uuid.uuid4())
        copy = '%s/%s.vmdk' % (temp_dir, image_id)
        snap = None
        try:
            snap = self.session.run_task(
                vm, 'CreateSnapshot_Task', name='snapshot-%s' % image_id,
                description='Taken by nova for image %s' % image_id, memory=False,
                quiesce=False)
            self.files.mkdir(temp_dir)
            self.files.copy_disk(disk_path, copy)
            update_task_state(task_state=task_states.IMAGE_UPLOADING,
                              expected_state=task_states.IMAGE_PENDING_UPLOAD)
            self._upload(context, image_id, ds_name, copy, adapter, props['config.guestId'])
        except vmsession.VimError as exc:
            raise exception.NovaException('Snapshot of %s failed: %s'
                                          % (instance.uuid, vmops.vim_reason(exc))) from exc
        finally:
            if snap is not None:
                try:
                    self.session.run_task(snap, 'RemoveSnapshot_Task', removeChildren=False,
                                          consolidate=True)
                except vmsession.VimError as exc:
                    LOG.warning('Could not remove the vSphere snapshot of %s: %s',
                                instance.uuid, exc)
            try:
                self.files.delete(temp_dir)
            except vmsession.VimError as exc:
                LOG.warning('Could not remove %s: %s', temp_dir, exc)
        LOG.info('Snapshot of %s uploaded as image %s', instance.uuid, image_id)

    @staticmethod
    def _adapter_of(devices, disk):
        controller = next((d for d in devices if d.key == disk.controllerKey), None)
        name = type(controller).__name__ if controller is not None else ''
        for adapter, cls in vmspec._SCSI_CONTROLLERS.items():
            if name.endswith(cls):
                return adapter
        return 'ide' if 'IDE' in name else images.DEFAULT_ADAPTER_TYPE

    def _upload(self, context, image_id, ds_name, copy, adapter, os_type):
        _ds, rel = vmcluster.split_path(_flat(copy))
        with tempfile.TemporaryFile(prefix='vmware-snapshot-',
                                    dir=CONF.state_path if os.path.isdir(CONF.state_path)
                                    else None) as data:
            size = self.files.download(ds_name, rel, data)
            data.seek(0)
            glance.API().update(context, image_id, {
                'disk_format': 'vmdk', 'container_format': 'bare',
                'properties': {'vmware_disktype': 'preallocated',
                               'vmware_adaptertype': adapter,
                               'vmware_ostype': os_type or images.DEFAULT_OS_TYPE,
                               'vmware_image_version': '1'}}, data=data)
        LOG.debug('Uploaded %d bytes of %s to image %s', size, copy, image_id)
