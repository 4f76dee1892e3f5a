"""[DEFAULT] options for Nova's own RPC behaviour (transport options come
from oslo.messaging)."""

from oslo_config import cfg

rpc_opts = [
    cfg.IntOpt('long_rpc_timeout', default=1800,
               help='Timeout in seconds for RPC calls known to take long, '
                    'such as live migration checks; replaces '
                    '[DEFAULT]/rpc_response_timeout for those calls.'),
]


def register_opts(conf):
    conf.register_opts(rpc_opts)


def list_opts():
    return {'DEFAULT': rpc_opts}
