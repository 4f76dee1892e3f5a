"""Snapshot of a guest's root disk to a Glance image (a mixin of LibvirtDriver).

Live when the guest runs: libvirt's push-mode backup job copies the disk at
one point in time while the guest keeps running. Cold otherwise (or when the
backup job is refused): a running guest is managed-saved, its disk converted,
and it is started again.
"""

import os
import shutil
import tempfile
import time

from oslo_log import log as logging

import nova.conf
from nova.compute import task_states
from nova.image import glance
from nova.virt.libvirt.bindings import libvirt
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import images

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

BACKUP_POLL_INTERVAL = 0.2


def _backup_xml(target_dev, dest):
    return ("<domainbackup mode='push'><disks>"
            "<disk name='%s' backup='yes' type='file'>"
            "<target file='%s'/><driver type='qcow2'/></disk>"
            "</disks></domainbackup>" % (target_dev, dest))


def live_copy(guest, target_dev, dest, timeout=3600):
    """Copy disk ``target_dev`` of the running guest to ``dest`` (qcow2) consistently.

    Only ``target_dev`` is listed; libvirt skips the disks a backup XML leaves
    out only when told to, so every other disk is marked backup='no'.
    """
    others = [dev for dev, _ in guest.get_disks() if dev != target_dev]
    xml = _backup_xml(target_dev, dest)
    if others:
        xml = xml.replace('</disks>', ''.join("<disk name='%s' backup='no'/>" % d
                                              for d in others) + '</disks>')
    domain = guest.domain
    domain.backupBegin(xml, None, 0)
    deadline = time.monotonic() + timeout
    while domain.jobInfo()[0] != libvirt.VIR_DOMAIN_JOB_NONE:
        if time.monotonic() > deadline:
            domain.abortJob()
            raise RuntimeError('backup of %s timed out' % guest.uuid)
        time.sleep(BACKUP_POLL_INTERVAL)
    stats = domain.jobStats(libvirt.VIR_DOMAIN_JOB_STATS_COMPLETED)
    if stats.get('type') not in (None, libvirt.VIR_DOMAIN_JOB_COMPLETED):
        raise RuntimeError('backup of %s failed: %s' % (guest.uuid, stats.get('errmsg')))


class SnapshotMixin(object):
    def snapshot(self, context, instance, image_id, update_task_state):
        guest = self._host.get_guest(instance)
        root = imagebackend.instance_path(instance, imagebackend.DISK)
        source_format = images.qemu_img_info(root, force_share=True)['format']
        # The disk's own format unless the operator picked one.
        out_format = CONF.libvirt.snapshot_image_format or source_format
        target_dev = next((dev for dev, path in guest.get_disks() if path == root), 'vda')
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        os.makedirs(CONF.libvirt.snapshots_directory, exist_ok=True)
        tmpdir = tempfile.mkdtemp(dir=CONF.libvirt.snapshots_directory)
        try:
            out = os.path.join(tmpdir, 'snapshot')
            self._copy_root_disk(guest, instance, root, target_dev, out, out_format)
            update_task_state(task_state=task_states.IMAGE_UPLOADING,
                              expected_state=task_states.IMAGE_PENDING_UPLOAD)
            with open(out, 'rb') as data:
                glance.API().update(context, image_id,
                                    {'disk_format': out_format, 'container_format': 'bare'},
                                    data=data)
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)
        LOG.info('Snapshot of %s uploaded as image %s', instance.uuid, image_id)

    def _copy_root_disk(self, guest, instance, root, target_dev, out, out_format):
        compress = CONF.libvirt.snapshot_compression
        state = guest.get_state()
        if state in (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_PAUSED):
            live = out + '.live'
            try:
                live_copy(guest, target_dev, live)
            except (libvirt.libvirtError, RuntimeError) as exc:
                LOG.warning('Live snapshot of %s impossible (%s); taking it cold',
                            instance.uuid, exc)
            else:
                images.convert(live, out, out_format, in_format='qcow2', compress=compress)
                os.unlink(live)
                LOG.info('Live snapshot of %s taken', instance.uuid)
                return
        was_running = state in (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_PAUSED)
        if was_running:
            guest.save_memory_state()
        try:
            images.convert(root, out, out_format, compress=compress)
        finally:
            if was_running:
                guest.launch(pause=state == libvirt.VIR_DOMAIN_PAUSED)
        LOG.info('Cold snapshot of %s taken', instance.uuid)
