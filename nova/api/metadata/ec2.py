"""The EC2-compatible metadata of an instance (``ec2/<version>/meta-data``).

Values depend on the EC2 metadata version asked for, as on EC2: keys
appear in the version that introduced them.  EC2 ids (``i-…``, ``ami-…``)
are derived from Nova's ids: ``i-%08x`` of the instance's database id, and a
stable checksum of the image UUID for ``ami-``/``aki-``/``ari-`` (this
implementation keeps no EC2 id mapping table).
"""

import zlib

from nova.api.metadata import netdata

VERSIONS = ('1.0', '2007-01-19', '2007-03-01', '2007-08-29', '2007-10-10',
            '2007-12-15', '2008-02-01', '2008-09-01', '2009-04-04')


def _at_least(version, since):
    """``version`` (a date or 'latest') includes what ``since`` introduced."""
    if version == 'latest':
        return True
    if version == '1.0':
        return since == '1.0'
    return since == '1.0' or version >= since


def image_ec2_id(image_id, prefix='ami'):
    if not image_id:
        return None
    return '%s-%08x' % (prefix, zlib.crc32(str(image_id).encode()) & 0xffffffff)


def instance_ec2_id(instance):
    try:
        return 'i-%08x' % instance.id
    except Exception:  # an instance not from the DB (no id): derive from the UUID
        return 'i-%08x' % (zlib.crc32(instance.uuid.encode()) & 0xffffffff)


def _block_device_mapping(instance):
    root = instance.root_device_name or '/dev/sda1'
    mapping = {'ami': root.replace('/dev/', ''), 'root': root}
    if instance.default_ephemeral_device:
        mapping['ephemeral0'] = instance.default_ephemeral_device
    if instance.default_swap_device:
        mapping['swap'] = instance.default_swap_device
    return mapping


def _security_groups(instance):
    try:
        return [group.name for group in instance.security_groups] or ['default']
    except Exception:  # not loadable where we run (e.g. a bare object): EC2's default
        return ['default']


def meta_data(instance, version, hostname, network_info, keypairs):
    """The meta-data dict for ``version``; lists and dicts are sub-trees."""
    fixed = netdata.fixed_ips(network_info, version=4)
    floating = netdata.floating_ips(network_info)
    data = {
        'ami-id': image_ec2_id(instance.image_ref) or '',
        'ami-launch-index': instance.launch_index or 0,
        'ami-manifest-path': 'FIXME',
        'instance-id': instance_ec2_id(instance),
        'hostname': hostname,
        'local-ipv4': fixed[0] if fixed else '',
        'reservation-id': instance.reservation_id or '',
        'security-groups': _security_groups(instance),
    }
    if _at_least(version, '2007-01-19'):
        data['local-hostname'] = hostname
        data['public-hostname'] = hostname
        data['public-ipv4'] = floating[0] if floating else ''
    if _at_least(version, '2007-08-29'):
        data['instance-type'] = (instance.flavor.name
                                 if instance.obj_attr_is_set('flavor') else '')
    if _at_least(version, '2007-12-15'):
        data['block-device-mapping'] = _block_device_mapping(instance)
        if instance.kernel_id:
            data['kernel-id'] = image_ec2_id(instance.kernel_id, 'aki')
        if instance.ramdisk_id:
            data['ramdisk-id'] = image_ec2_id(instance.ramdisk_id, 'ari')
    if _at_least(version, '2008-02-01'):
        data['placement'] = {'availability-zone': instance.availability_zone or ''}
    if _at_least(version, '2008-09-01'):
        data['instance-action'] = 'none'
    if keypairs:
        data['public-keys'] = {'0': {'openssh-key': keypairs[0]['data'],
                                     '_name': '0=' + keypairs[0]['name']}}
    return data
