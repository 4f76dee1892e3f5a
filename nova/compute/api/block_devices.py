"""Compute API: block device mappings of a new server, checked before anything is recorded.

Volumes come from Cinder: with ``[cinder]`` configured, the volumes,
snapshots and images the mappings name must exist (the volume available);
without it a mapping that needs a volume is refused with the 400 upstream
gives when Cinder cannot produce the volume.
Local mappings other than the root image (ephemeral and swap disks) are
checked against the flavor as upstream does, then refused until the
compute side can create them.
"""

from nova import block_device
from nova import exception
from nova.volume import cinder

_NO_CINDER = 'no block storage service (Cinder) is configured'


class BlockDeviceAPIMixin(object):
    """``nova.compute.api.API`` checks of ``block_device_mapping`` at create."""

    def validate_block_devices(self, context, bdms, image_href, flavor,
                               supports_multiattach=False):
        """Raise the InvalidBDM* error upstream would give for these mappings here
        (a multiattach volume before 2.60: MultiattachNotSupportedOldMicroversion)."""
        if not bdms:
            return
        block_device.check_local_disks(bdms, flavor)
        if cinder.is_configured():
            self._check_volumes_in_cinder(context, bdms, supports_multiattach)
        for bdm in bdms:
            if bdm['destination_type'] == 'volume' and cinder.is_configured():
                continue
            if bdm['destination_type'] == 'volume':
                if bdm['source_type'] == 'volume':
                    raise exception.InvalidBDMVolume(id=bdm['volume_id'])
                if bdm['source_type'] == 'snapshot':
                    raise exception.InvalidBDMSnapshot(id=bdm['snapshot_id'])
                raise exception.InvalidBDM(reason=(
                    'cannot create a %s volume: %s' % (bdm['source_type'], _NO_CINDER)))
            if bdm['source_type'] == 'blank':
                raise exception.InvalidBDM(reason=(
                    'ephemeral and swap block devices are not supported by this cloud yet'))
            if bdm['source_type'] == 'image' and bdm['image_id'] != str(image_href):
                raise exception.InvalidBDM(reason=(
                    'image %s is not the image the server boots from' % bdm['image_id']))

    def _check_volumes_in_cinder(self, context, bdms, supports_multiattach):
        """The volumes, snapshots and images the mappings name exist (upstream's 400s)."""
        client = None
        types = None
        for bdm in bdms:
            if bdm['destination_type'] != 'volume':
                continue
            client = client or cinder.get_client(context)
            if bdm.get('volume_type'):
                # 2.67: a new volume of a type Cinder has (by name or id)
                types = client.volume_types() if types is None else types
                if bdm['volume_type'] not in {t.get(key) for t in types
                                              for key in ('id', 'name')}:
                    raise exception.VolumeTypeNotFound(id_or_name=bdm['volume_type'])
            if bdm['source_type'] == 'volume':
                try:
                    volume = client.get_volume(bdm['volume_id'])
                except exception.VolumeNotFound:
                    raise exception.InvalidBDMVolume(id=bdm['volume_id'])
                cinder.check_attachable(volume, None, supports_multiattach)
            elif bdm['source_type'] == 'snapshot':
                try:
                    client.get_snapshot(bdm['snapshot_id'])
                except exception.SnapshotNotFound:
                    raise exception.InvalidBDMSnapshot(id=bdm['snapshot_id'])
            elif bdm['source_type'] == 'image':
                self._get_image(context, bdm['image_id'])
