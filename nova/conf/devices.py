"""[devices]: mediated devices (vGPUs and the like)."""

from oslo_config import cfg

devices_group = cfg.OptGroup(
    'devices', title='Mediated device options',
    help='Mediated device types offered to guests.  Each enabled type may '
         'have its own [mdev_<type>] group.')

devices_opts = [
    cfg.ListOpt('enabled_mdev_types', default=[],
                deprecated_name='enabled_vgpu_types',
                help='Mediated device types this host offers.'),
]

# Options of the per-type groups; their names depend on the list above.
mdev_opts = [
    cfg.ListOpt('device_addresses', default=[],
                help='Physical device addresses providing this type.'),
    cfg.StrOpt('mdev_class', default='VGPU',
               regex=r'^(VGPU|CUSTOM_[A-Z0-9_]+)$',
               help='Placement resource class of this type.'),
    cfg.IntOpt('max_instances', min=1,
               help='Most mediated devices of this type per physical '
                    'device.'),
]


def register_opts(conf):
    conf.register_group(devices_group)
    conf.register_opts(devices_opts, group=devices_group)


def register_dynamic_opts(conf):
    """Register [mdev_<type>] once [devices]/enabled_mdev_types is known."""
    for mdev_type in conf.devices.enabled_mdev_types:
        conf.register_opts(mdev_opts, group='mdev_%s' % mdev_type)


def list_opts():
    return {devices_group: devices_opts}
