"""The volumes of a server being built (boot from volume, volumes at create).

Before the driver spawns the guest, each volume mapping gets its volume (a
new one from an image, a snapshot or blank, waited for up to ``[DEFAULT]
block_device_allocate_retries`` times) and an attachment with this host's
connector; the driver gets them as ``block_device_info``. Once the guest
runs, the attachments are completed (the volumes go ``in-use``); a failed
spawn deletes them, so Cinder shows nothing attached that no guest has.
"""

import time

from oslo_log import log as logging
from oslo_serialization import jsonutils

import nova.conf
from nova import block_device
from nova import exception
from nova import objects
from nova.volume import cinder

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def prepare(context, driver, instance):
    """Create the volumes the mappings ask for, connect each to this host.

    Returns the driver's block_device_info (None without volumes): the
    root device name and, per volume, its connection info and device.
    """
    bdms = [b for b in objects.BlockDeviceMappingList.get_by_instance_uuid(
        context, instance.uuid) if b.is_volume]
    if not bdms:
        return None
    client = cinder.get_client(context)
    connector = driver.get_volume_connector(instance)
    bdms.sort(key=lambda b: (b.boot_index is None or b.boot_index < 0, b.boot_index or 0))
    used = [] if any(b.boot_index == 0 for b in bdms) else ['/dev/vda']
    mappings = []
    for bdm in bdms:
        if not bdm.volume_id:
            bdm.volume_id = _create_volume(client, instance, bdm)
            bdm.save()
        if not bdm.device_name:
            bdm.device_name = ('/dev/vda' if bdm.boot_index == 0
                               else block_device.next_device_name(used + ['/dev/vda']))
        used.append(bdm.device_name)
        multiattach = check_multiattach(driver, client.get_volume(bdm.volume_id))
        attachment = client.attachment_create(bdm.volume_id, instance.uuid, connector,
                                              bdm.device_name)
        info = connection_info(attachment, bdm.volume_id, bdm.device_name, multiattach)
        bdm.attachment_id = attachment['id']
        bdm.connection_info = jsonutils.dumps(info)
        bdm.save()
        mappings.append({'connection_info': info, 'mount_device': bdm.device_name,
                         'boot_index': bdm.boot_index, 'disk_bus': bdm.disk_bus,
                         'device_type': bdm.device_type,
                         'attachment_id': bdm.attachment_id,
                         'delete_on_termination': bdm.delete_on_termination})
    root = [m for m in mappings if m['boot_index'] == 0]
    return {'root_device_name': root[0]['mount_device'] if root else None,
            'block_device_mapping': mappings}


def connection_info(attachment, volume_id, device_name, multiattach):
    """What the driver connects the disk with: the attachment's connection info,
    with the volume (``serial``), the device (``mountpoint``) and, for a
    multiattach volume, ``multiattach``."""
    info = dict(attachment.get('connection_info') or {}, serial=volume_id,
                mountpoint=device_name)
    if multiattach:
        info['multiattach'] = True
    return info


def check_multiattach(driver, volume):
    """True for a multiattach volume; MultiattachNotSupportedByVirtDriver when
    the driver cannot share a disk between guests."""
    if not volume.get('multiattach'):
        return False
    if not driver.capabilities.get('supports_multiattach'):
        raise exception.MultiattachNotSupportedByVirtDriver(volume_id=volume['id'])
    return True


def _create_volume(client, instance, bdm):
    """A new volume from an image, a snapshot or blank; waits until available."""
    size = bdm.volume_size or max(1, instance.flavor.root_gb or 1)
    volume = client.create_volume(
        size, name='%s-%s-vol' % (instance.uuid, bdm.source_type), description='',
        image_id=bdm.image_id if bdm.source_type == 'image' else None,
        snapshot_id=bdm.snapshot_id if bdm.source_type == 'snapshot' else None,
        volume_type=bdm.volume_type,
        availability_zone=None if CONF.cinder.cross_az_attach
        else instance.availability_zone)
    attempts = CONF.block_device_allocate_retries + 1
    interval = CONF.block_device_allocate_retries_interval
    started = time.monotonic()
    status = volume.get('status')
    for attempt in range(1, attempts + 1):
        status = client.get_volume(volume['id'])['status']
        if status == 'available':
            LOG.info('Volume %s for %s created in %.1fs', volume['id'], instance.uuid,
                     time.monotonic() - started)
            return volume['id']
        if status == 'error':
            break
        time.sleep(interval)
    raise exception.VolumeNotCreated(volume_id=volume['id'],
                                     seconds=int(time.monotonic() - started),
                                     attempts=attempt, volume_status=status)


def complete(context, block_device_info):
    client = cinder.get_client(context)
    for mapping in (block_device_info or {}).get('block_device_mapping') or []:
        client.attachment_complete(mapping['attachment_id'])


def abort(context, instance):
    """A build that failed here: no attachment of it stays in Cinder (the volumes
    stay recorded, for a reschedule or the delete to deal with)."""
    try:
        bdms = objects.BlockDeviceMappingList.get_by_instance_uuid(context, instance.uuid)
    except Exception:
        LOG.exception('Could not read the mappings of %s', instance.uuid)
        return
    for bdm in bdms:
        if not (bdm.is_volume and bdm.attachment_id):
            continue
        try:
            cinder.get_client(context, admin=True).attachment_delete(bdm.attachment_id)
            bdm.attachment_id = None
            bdm.connection_info = None
            bdm.save()
        except Exception:
            LOG.exception('Could not delete attachment %s of %s', bdm.attachment_id,
                          instance.uuid)
