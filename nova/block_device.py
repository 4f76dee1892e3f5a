"""Block device mappings as the API receives them: normalise and check them.

Both request syntaxes (the legacy ``block_device_mapping`` and
``block_device_mapping_v2``) become one list of v2-style dicts
(``source_type``, ``destination_type``, ``boot_index``, ``<source>_id``,
``volume_size``, ...), checked as upstream checks them: a uuid for every
source but ``blank``, no image mapped to a local disk except the root
image, a contiguous boot sequence starting at 0, and local disks within
the flavor and ``[DEFAULT] max_local_block_devices``.
"""

import string

from oslo_utils import strutils

import nova.conf
from nova import exception

CONF = nova.conf.CONF

SOURCE_TYPES = ('volume', 'image', 'snapshot', 'blank')
DESTINATION_TYPES = ('local', 'volume')
_LEGACY_EPHEMERAL_PREFIX = 'ephemeral'


def _invalid(details):
    return exception.InvalidBDMFormat(details=details)


def _boot_index(value):
    """An int boot index; None and negative values mean 'not bootable'."""
    if value is None or value == '':
        return None
    try:
        index = int(value)
    except (TypeError, ValueError):
        raise _invalid('Boot index is invalid.')
    return index if index >= 0 else None


def _size(value, name='volume_size'):
    if value is None or value == '':
        return None
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise _invalid('%s must be an integer.' % name)
    if size < 0:
        raise _invalid('%s must be >= 0.' % name)
    return size


def _device_name(value):
    if value is None:
        return None
    if not value or len(value) > 255:
        raise _invalid('Device name empty or too long.')
    if ' ' in value:
        raise _invalid('Device name contains spaces.')
    return value


def from_api(bdm, image_uuid_specified):
    """One ``block_device_mapping_v2`` entry as a normalised dict."""
    bdm = dict(bdm)
    if bdm.get('no_device'):
        return None
    source_type = bdm.get('source_type')
    if source_type not in SOURCE_TYPES:
        raise _invalid('Invalid source_type field.')
    destination_type = bdm.get('destination_type') or (
        'local' if source_type == 'blank' else 'volume')
    if destination_type not in DESTINATION_TYPES:
        raise _invalid('Invalid destination_type field.')
    device_uuid = bdm.pop('uuid', None) or bdm.get('%s_id' % source_type)
    if source_type == 'blank':
        if device_uuid:
            raise _invalid('Invalid device UUID.')
    elif not device_uuid:
        raise _invalid('Missing device UUID.')
    boot_index = _boot_index(bdm.get('boot_index'))
    if source_type == 'image' and destination_type == 'local':
        # Only the server's own image may be a local root disk.
        if not image_uuid_specified or boot_index != 0:
            raise _invalid('Mapping image to local is not supported.')
    if source_type in ('volume', 'snapshot') and destination_type == 'local':
        raise _invalid('Mapping %s to local is not supported.' % source_type)
    volume_type = bdm.get('volume_type')
    if destination_type == 'local' and volume_type:
        raise _invalid('Specifying a volume_type with destination_type=local is not '
                       'supported.')
    if source_type == 'volume' and volume_type:
        raise _invalid('Specifying volume type to existing volume is not supported.')
    result = {
        'source_type': source_type,
        'destination_type': destination_type,
        'boot_index': boot_index,
        'device_name': _device_name(bdm.get('device_name')),
        'volume_size': _size(bdm.get('volume_size')),
        'delete_on_termination': strutils.bool_from_string(
            bdm.get('delete_on_termination', False)),
        'guest_format': bdm.get('guest_format'),
        'device_type': bdm.get('device_type'),
        'disk_bus': bdm.get('disk_bus'),
        'volume_type': volume_type,
        'tag': bdm.get('tag'),
    }
    if source_type != 'blank':
        result['%s_id' % source_type] = device_uuid
    return result


def from_legacy(bdm):
    """One legacy ``block_device_mapping`` entry as a normalised dict (None: no device)."""
    if bdm.get('no_device'):
        return None
    device_name = _device_name(bdm.get('device_name'))
    common = {
        'device_name': device_name,
        'boot_index': None,
        'volume_size': _size(bdm.get('volume_size')),
        'delete_on_termination': strutils.bool_from_string(
            bdm.get('delete_on_termination', False)),
        'guest_format': None, 'device_type': None, 'disk_bus': None,
        'volume_type': None, 'tag': None,
    }
    if bdm.get('volume_id'):
        return dict(common, source_type='volume', destination_type='volume',
                    volume_id=bdm['volume_id'])
    if bdm.get('snapshot_id'):
        return dict(common, source_type='snapshot', destination_type='volume',
                    snapshot_id=bdm['snapshot_id'])
    virtual_name = bdm.get('virtual_name') or ''
    if virtual_name == 'swap':
        return dict(common, source_type='blank', destination_type='local',
                    guest_format='swap')
    if virtual_name.startswith(_LEGACY_EPHEMERAL_PREFIX):
        return dict(common, source_type='blank', destination_type='local')
    raise _invalid('Missing device UUID.')


def _root_is_first(bdms, image_ref):
    """The legacy syntax has no boot index: the root volume is the /dev/vda one."""
    if image_ref:
        return
    for bdm in bdms:
        if bdm['destination_type'] == 'volume' and (
                bdm['device_name'] in (None, 'vda', '/dev/vda', 'sda', '/dev/sda')):
            bdm['boot_index'] = 0
            return
    volumes = [b for b in bdms if b['destination_type'] == 'volume']
    if volumes:
        volumes[0]['boot_index'] = 0


def _check_boot_sequence(bdms, image_ref):
    indexes = sorted(b['boot_index'] for b in bdms if b['boot_index'] is not None)
    if image_ref and 0 not in indexes:
        indexes = [0] + indexes  # the image is the root disk
    if not indexes or indexes != list(range(len(indexes))):
        raise exception.InvalidBDMBootSequence()


def check_local_disks(bdms, flavor):
    local = [b for b in bdms if b['destination_type'] == 'local']
    limit = CONF.max_local_block_devices
    if limit >= 0 and len(local) > limit:
        raise exception.InvalidBDMLocalsLimit()
    swaps = [b for b in local if b['source_type'] == 'blank' and
             b['guest_format'] == 'swap']
    if len(swaps) > 1:
        raise exception.InvalidBDMFormatMultipleSwap()
    if swaps and flavor is not None:
        size = swaps[0]['volume_size']
        if size is not None and size > (flavor.swap or 0):
            raise exception.InvalidBDMSwapSize()
    ephemerals = [b for b in local if b['source_type'] == 'blank' and
                  b['guest_format'] != 'swap']
    if ephemerals and flavor is not None:
        total = sum(b['volume_size'] if b['volume_size'] is not None
                    else (flavor.ephemeral_gb or 0) for b in ephemerals)
        if total > (flavor.ephemeral_gb or 0):
            raise exception.InvalidBDMEphemeralSize()


def _check_blank_volumes(bdms):
    for bdm in bdms:
        if bdm['source_type'] == 'blank' and bdm['destination_type'] == 'volume' and \
                not bdm['volume_size']:
            raise exception.InvalidBDM(reason=(
                "Blank volumes (source: 'blank', dest: 'volume') need to have non-zero "
                "size"))


def normalize(bdms, legacy, image_ref, flavor=None):
    """Checked, normalised mappings of a create request (no-device entries dropped)."""
    converted = []
    for bdm in bdms or []:
        if not isinstance(bdm, dict):
            raise _invalid('Each block device mapping must be an object.')
        entry = from_legacy(bdm) if legacy else from_api(bdm, bool(image_ref))
        if entry is not None:
            converted.append(entry)
    if not converted:
        return []
    if legacy:
        _root_is_first(converted, image_ref)
    _check_boot_sequence(converted, image_ref)
    check_local_disks(converted, flavor)
    _check_blank_volumes(converted)
    return converted


def next_device_name(used, prefix='/dev/vd'):
    """The first /dev/vdX not in ``used`` (vda is the root disk)."""
    taken = {name.rsplit('/', 1)[-1] for name in used if name}
    stem = prefix.rsplit('/', 1)[-1]
    for letter in string.ascii_lowercase[1:]:
        if stem + letter not in taken:
            return prefix + letter
    for first in string.ascii_lowercase:
        for second in string.ascii_lowercase:
            if stem + first + second not in taken:
                return prefix + first + second
    raise exception.InvalidBDM(reason='no free device names left')
