"""[ephemeral_storage_encryption]: encryption of local ephemeral disks."""

from oslo_config import cfg

ephemeral_group = cfg.OptGroup(
    'ephemeral_storage_encryption', title='Ephemeral storage encryption',
    help='Encrypt the ephemeral disks of guests with dm-crypt or LUKS.')

ephemeral_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Encrypt ephemeral disks.'),
    cfg.StrOpt('cipher', default='aes-xts-plain64',
               help='dm-crypt cipher specification.'),
    cfg.IntOpt('key_size', default=512, min=1,
               help='Key length in bits.'),
    cfg.StrOpt('default_format', default='luks',
               choices=('luks',),
               help='Encryption format used when the image or flavor does '
                    'not choose one.'),
]


def register_opts(conf):
    conf.register_group(ephemeral_group)
    conf.register_opts(ephemeral_opts, group=ephemeral_group)


def list_opts():
    return {ephemeral_group: ephemeral_opts}
