"""[guestfs]: libguestfs, used to inspect and modify guest images."""

from oslo_config import cfg

guestfs_group = cfg.OptGroup(
    'guestfs', title='libguestfs options',
    help='Settings of libguestfs, used for file injection.')

guestfs_opts = [
    cfg.BoolOpt('debug', default=False,
                help='Turn on libguestfs\'s debug and trace output.'),
]


def register_opts(conf):
    conf.register_group(guestfs_group)
    conf.register_opts(guestfs_opts, group=guestfs_group)


def list_opts():
    return {guestfs_group: guestfs_opts}
