"""[console], [consoleauth] and [mks]: settings shared by console proxies."""

from oslo_config import cfg

console_group = cfg.OptGroup(
    'console', title='Console proxy options',
    help='Settings shared by the websocket console proxies.')

console_opts = [
    cfg.ListOpt('allowed_origins', default=[],
                deprecated_group='DEFAULT',
                deprecated_name='console_allowed_origins',
                help='Extra Origin host names the proxies accept websocket '
                     'connections from.'),
    cfg.StrOpt('ssl_ciphers',
               help='OpenSSL cipher list for TLS connections to the '
                    'proxies.'),
    cfg.StrOpt('ssl_minimum_version', default='default',
               choices=[('default', 'the library default'),
                        ('tlsv1_1', 'TLS 1.1'),
                        ('tlsv1_2', 'TLS 1.2'),
                        ('tlsv1_3', 'TLS 1.3')],
               help='Oldest TLS version the proxies accept.'),
]

consoleauth_group = cfg.OptGroup(
    'consoleauth', title='Console token options',
    help='Lifetime of the tokens that authorise console connections.')

consoleauth_opts = [
    cfg.IntOpt('token_ttl', default=600, min=0,
               deprecated_group='DEFAULT',
               deprecated_name='console_token_ttl',
               help='Seconds a console token stays valid.'),
    cfg.BoolOpt('enforce_session_timeout', default=False,
                help='Close console sessions when their token expires.'),
]

mks_group = cfg.OptGroup(
    'mks', title='VMware MKS console options',
    help='WebMKS consoles of VMware guests.')

mks_opts = [
    cfg.URIOpt('mksproxy_base_url', default='http://127.0.0.1:6090/',
               help='Public URL of the MKS proxy handed to users.'),
    cfg.BoolOpt('enabled', default=False,
                help='Give VMware guests MKS consoles.'),
]


def register_opts(conf):
    conf.register_group(console_group)
    conf.register_opts(console_opts, group=console_group)
    conf.register_group(consoleauth_group)
    conf.register_opts(consoleauth_opts, group=consoleauth_group)
    conf.register_group(mks_group)
    conf.register_opts(mks_opts, group=mks_group)


def list_opts():
    return {console_group: console_opts,
            consoleauth_group: consoleauth_opts,
            mks_group: mks_opts}
