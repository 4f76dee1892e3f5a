"""[conductor] options."""

from oslo_config import cfg

conductor_group = cfg.OptGroup(
    'conductor', title='Conductor options',
    help='Settings of the nova-conductor service.')

conductor_opts = [
    cfg.IntOpt('workers',
               help='Worker processes of nova-conductor.  Unset means one '
                    'per CPU.'),
]


def register_opts(conf):
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts():
    return {conductor_group: conductor_opts}
