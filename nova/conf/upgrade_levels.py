"""[upgrade_levels]: RPC version caps for rolling upgrades."""

from oslo_config import cfg

upgrade_group = cfg.OptGroup(
    'upgrade_levels', title='RPC version pins',
    help='Cap the RPC API version each client sends, so services of the new '
         'release can talk to ones still running the old release.  A value '
         'is a version number, a release name, or "auto" to follow the '
         'oldest service found in the deployment.')

upgrade_levels_opts = [
    cfg.StrOpt('compute',
               help='Version cap of messages sent to nova-compute.'),
    cfg.StrOpt('scheduler',
               help='Version cap of messages sent to nova-scheduler.'),
    cfg.StrOpt('conductor',
               help='Version cap of messages sent to nova-conductor.'),
    cfg.StrOpt('baseapi',
               help='Version cap of the base RPC API every service '
                    'exposes.'),
]


def register_opts(conf):
    conf.register_group(upgrade_group)
    conf.register_opts(upgrade_levels_opts, group=upgrade_group)


def list_opts():
    return {upgrade_group: upgrade_levels_opts}
