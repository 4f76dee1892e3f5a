"""[DEFAULT] options describing this host on the network."""

import socket

from oslo_config import cfg
from oslo_utils import netutils

netconf_opts = [
    cfg.StrOpt('my_ip', default=netutils.get_my_ipv4(),
               sample_default="<this host's IPv4 address>",
               help='IP address of this host on the management network.'),
    cfg.StrOpt('my_block_storage_ip', default='$my_ip',
               help='IP address this host uses to reach block storage.'),
    cfg.StrOpt('my_shared_fs_storage_ip', default='$my_ip',
               help='IP address this host uses to reach shared file systems '
                    '(Manila shares).'),
    cfg.HostDomainOpt('host', default=socket.gethostname(),
                      sample_default="<this host's hostname>",
                      help='Name of this host as seen by the other services.  '
                           'Must be unique and must not change once compute '
                           'has started.'),
    cfg.BoolOpt('flat_injected', default=False,
                help='Write the network configuration into the image before '
                     'it boots.'),
]


def register_opts(conf):
    conf.register_opts(netconf_opts)


def list_opts():
    return {'DEFAULT': netconf_opts}
