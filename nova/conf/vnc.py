"""[vnc]: VNC consoles and the noVNC proxy."""

from oslo_config import cfg
from oslo_config import types

vnc_group = cfg.OptGroup(
    'vnc', title='VNC console options',
    help='Graphical consoles over VNC, reached through nova-novncproxy.')

vnc_opts = [
    cfg.BoolOpt('enabled', default=True,
                deprecated_group='DEFAULT', deprecated_name='vnc_enabled',
                help='Give guests a VNC console.'),
    cfg.HostAddressOpt('server_listen', default='127.0.0.1',
                       help='Address the guests\' VNC servers listen on.'),
    cfg.HostAddressOpt('server_proxyclient_address', default='127.0.0.1',
                       help='Address the proxy uses to reach this host\'s '
                            'VNC servers.'),
    cfg.URIOpt('novncproxy_base_url',
               default='http://127.0.0.1:6080/vnc_auto.html',
               help='Public URL of the noVNC client page handed to users.'),
    cfg.StrOpt('novncproxy_host', default='0.0.0.0',
               help='Address nova-novncproxy listens on.'),
    cfg.PortOpt('novncproxy_port', default=6080,
                help='Port nova-novncproxy listens on.'),
    cfg.ListOpt('auth_schemes',
                item_type=types.String(choices=(
                    ('none', 'no authentication'),
                    ('vencrypt', 'TLS with x509 client certificates'))),
                default=['none'],
                help='Authentication schemes the proxy may use with the VNC '
                     'servers, most preferred first.'),
    cfg.StrOpt('vencrypt_client_key',
               help='Private key of the proxy\'s VeNCrypt client '
                    'certificate.'),
    cfg.StrOpt('vencrypt_client_cert',
               help='The proxy\'s VeNCrypt client certificate.'),
    cfg.StrOpt('vencrypt_ca_certs',
               help='CA bundle to verify the VNC servers\' certificates.'),
]


def register_opts(conf):
    conf.register_group(vnc_group)
    conf.register_opts(vnc_opts, group=vnc_group)


def list_opts():
    return {vnc_group: vnc_opts}
