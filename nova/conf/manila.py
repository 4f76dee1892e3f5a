"""[manila]: how Nova reaches the Shared File Systems service."""

from oslo_config import cfg

from nova.conf import ksa

DEFAULT_SERVICE_TYPE = 'shared-file-system'

manila_group = cfg.OptGroup(
    'manila', title='Shared File Systems service options',
    help='Credentials of Manila, used to attach shares to servers.')

manila_opts = [
    cfg.IntOpt('share_apply_policy_timeout', default=10,
               help='Seconds to wait for an access rule on a share to become '
                    'active or to be removed.'),
]


def register_opts(conf):
    conf.register_group(manila_group)
    conf.register_opts(manila_opts, group=manila_group)
    ksa.register_session(conf, manila_group.name)
    ksa.register_auth(conf, manila_group.name)
    # Registered for the client, but (as upstream) not shown in the sample.
    ksa.register_adapter(conf, manila_group.name, DEFAULT_SERVICE_TYPE)


def list_opts():
    return {manila_group: manila_opts + ksa.list_ksa_opts(
        auth_plugins=('v3password',))}
