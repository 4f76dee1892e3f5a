"""[ironic]: options of the Ironic (bare metal) virt driver."""

from oslo_config import cfg

from nova.conf import ksa

DEFAULT_SERVICE_TYPE = 'baremetal'

ironic_group = cfg.OptGroup(
    'ironic', title='Bare Metal service options',
    help='Credentials and behaviour of the Ironic driver.')

ironic_opts = [
    cfg.IntOpt('api_max_retries', default=60, min=0,
               help='Attempts at a request Ironic answered with a conflict '
                    '(node locked) or unavailability.'),
    cfg.IntOpt('api_retry_interval', default=2, min=0,
               help='Seconds between those attempts.'),
    cfg.IntOpt('serial_console_state_timeout', default=10, min=0,
               help='Seconds to wait for a node\'s serial console to be '
                    'enabled or disabled.'),
    cfg.IntOpt('vnc_console_state_timeout', default=60, min=0,
               help='Seconds to wait for a node\'s graphical console to be '
                    'enabled or disabled.'),
    cfg.StrOpt('conductor_group', mutable=True,
               help='Only manage nodes of this Ironic conductor group; '
                    'empty means the nodes without one.'),
    cfg.StrOpt('shard',
               help='Only manage nodes of this Ironic shard.'),
    cfg.ListOpt('peer_list', default=[],
                deprecated_for_removal=True,
                deprecated_since='28.0.0',
                deprecated_reason='Use shards to split nodes between '
                                  'compute services.',
                help='Compute services sharing the nodes of the conductor '
                     'group with this one.'),
]


def register_opts(conf):
    conf.register_group(ironic_group)
    conf.register_opts(ironic_opts, group=ironic_group)
    ksa.register_session(conf, ironic_group.name)
    ksa.register_auth(conf, ironic_group.name)
    ksa.register_adapter(conf, ironic_group.name, DEFAULT_SERVICE_TYPE)


def list_opts():
    return {ironic_group: ironic_opts + ksa.list_ksa_opts(
        auth_plugins=('v3password',), service_type=DEFAULT_SERVICE_TYPE)}
