"""[neutron]: how Nova reaches the Networking service."""

from oslo_config import cfg

from nova.conf import ksa

DEFAULT_SERVICE_TYPE = 'network'

neutron_group = cfg.OptGroup(
    'neutron', title='Networking service options',
    help='Credentials, endpoint and behaviour of the Neutron client.')

neutron_opts = [
    cfg.StrOpt('ovs_bridge', default='br-int',
               help='Open vSwitch integration bridge ports are plugged '
                    'into when Neutron does not say.'),
    cfg.StrOpt('default_floating_pool', default='nova',
               help='External network floating IPs come from when a request '
                    'names none.'),
    cfg.IntOpt('extension_sync_interval', default=600, min=0,
               help='Seconds the list of Neutron extensions is cached.'),
    cfg.ListOpt('physnets', default=[],
                help='Physical networks with NUMA affinity; each needs a '
                     '[neutron_physnet_<name>] group.'),
    cfg.IntOpt('http_retries', default=3, min=0,
               help='Extra attempts at an idempotent request to Neutron '
                    'after a connection failure.'),
    cfg.BoolOpt('service_metadata_proxy', default=False,
                help='Requests reach the metadata service through Neutron\'s '
                     'metadata proxy.'),
    cfg.StrOpt('metadata_proxy_shared_secret', default='', secret=True,
               help='Secret shared with Neutron\'s metadata proxy to sign '
                    'the requests it forwards.'),
]

# Groups whose names depend on [neutron]/physnets; not in the sample.
neutron_numa_opts = [
    cfg.ListOpt('numa_nodes', item_type=int, default=[],
                help='Host NUMA nodes the network is local to.'),
]


def register_opts(conf):
    conf.register_group(neutron_group)
    conf.register_opts(neutron_opts, group=neutron_group)
    ksa.register_session(conf, neutron_group.name)
    ksa.register_auth(conf, neutron_group.name)
    ksa.register_adapter(conf, neutron_group.name, DEFAULT_SERVICE_TYPE)
    conf.register_opts(neutron_numa_opts, group='neutron_tunnel')


def register_dynamic_opts(conf):
    """Register [neutron_physnet_<name>] once [neutron]/physnets is known."""
    for physnet in conf.neutron.physnets:
        conf.register_opts(neutron_numa_opts,
                           group='neutron_physnet_%s' % physnet)


def list_opts():
    return {neutron_group: neutron_opts + ksa.list_ksa_opts(
        service_type=DEFAULT_SERVICE_TYPE)}
