"""[DEFAULT] options for config drives."""

from oslo_config import cfg

config_drive_opts = [
    cfg.StrOpt('config_drive_format', default='iso9660',
               choices=[('iso9660', 'ISO 9660 image'),
                        ('vfat', 'FAT file system image')],
               deprecated_for_removal=True,
               deprecated_since='19.0.0',
               deprecated_reason='Only the hypervisors needing vfat used it, '
                                 'and they are gone.',
               help='File system format of config drives.'),
    cfg.BoolOpt('force_config_drive', default=False,
                help='Attach a config drive to every server, whether it was '
                     'asked for or not.'),
    cfg.StrOpt('mkisofs_cmd', default='genisoimage',
               help='Program that builds ISO 9660 images (genisoimage, '
                    'mkisofs, xorrisofs).'),
]


def register_opts(conf):
    conf.register_opts(config_drive_opts)


def list_opts():
    return {'DEFAULT': config_drive_opts}
