"""[DEFAULT] options shared by the websocket console proxies."""

from oslo_config import cfg

novnc_opts = [
    cfg.StrOpt('record',
               help='Directory where the console proxy records sessions.  '
                    'Unset disables recording.'),
    cfg.BoolOpt('daemon', default=False,
                help='Detach the console proxy into the background.'),
    cfg.BoolOpt('ssl_only', default=False,
                help='Refuse plain-text connections to the console proxy.'),
    cfg.BoolOpt('source_is_ipv6', default=False,
                help='The console proxy listens on an IPv6 address.'),
    cfg.StrOpt('cert', default='self.pem',
               help='TLS certificate file of the console proxy.'),
    cfg.StrOpt('key',
               help='TLS private key file of the console proxy, if separate '
                    'from the certificate.'),
    cfg.StrOpt('web', default='/usr/share/spice-html5',
               help='Directory of static web files served by the console '
                    'proxy.'),
]


def register_opts(conf):
    conf.register_opts(novnc_opts)


def list_opts():
    return {'DEFAULT': novnc_opts}
