"""Compute API: block device mappings of a new server, checked before anything is recorded.

Volumes come from Cinder, and this project has no Cinder client yet: a
mapping that needs a volume (an existing one, a snapshot's or a new one) is
refused with the 400 upstream gives when Cinder cannot produce the volume.
Local mappings other than the root image (ephemeral and swap disks) are
checked against the flavor as upstream does, then refused until the
compute side can create them.
"""

from nova import block_device
from nova import exception

_NO_CINDER = 'no block storage service (Cinder) is configured'


class BlockDeviceAPIMixin(object):
    """``nova.compute.api.API`` checks of ``block_device_mapping`` at create."""

    @staticmethod
    def validate_block_devices(context, bdms, image_href, flavor):
        """Raise the InvalidBDM* error upstream would give for these mappings here."""
        if not bdms:
            return
        block_device.check_local_disks(bdms, flavor)
        for bdm in bdms:
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
