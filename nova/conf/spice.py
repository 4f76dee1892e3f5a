"""[spice]: SPICE consoles and the SPICE HTML5 proxy."""

from oslo_config import cfg

spice_group = cfg.OptGroup(
    'spice', title='SPICE console options',
    help='Graphical consoles over SPICE, reached through '
         'nova-spicehtml5proxy.')

_AUTO_NEVER_ALWAYS = (('auto', 'let SPICE decide'),
                      ('never', 'never compress'),
                      ('always', 'always compress'))

spice_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Give guests a SPICE console.'),
    cfg.BoolOpt('agent_enabled', default=True,
                help='Enable the SPICE guest agent channel (clipboard, '
                     'resolution changes).'),
    cfg.StrOpt('image_compression',
               choices=('auto_glz', 'auto_lz', 'quic', 'glz', 'lz', 'off'),
               help='Compression of images sent to the client; unset keeps '
                    'the hypervisor default.'),
    cfg.StrOpt('jpeg_compression', choices=_AUTO_NEVER_ALWAYS,
               help='JPEG compression over slow links; unset keeps the '
                    'hypervisor default.'),
    cfg.StrOpt('zlib_compression', choices=_AUTO_NEVER_ALWAYS,
               help='zlib compression over slow links; unset keeps the '
                    'hypervisor default.'),
    cfg.BoolOpt('playback_compression',
                help='Compress audio; unset keeps the hypervisor default.'),
    cfg.StrOpt('streaming_mode',
               choices=(('filter', 'detect video regions'),
                        ('all', 'treat everything changing as video'),
                        ('off', 'no video detection')),
               help='Video streaming detection; unset keeps the hypervisor '
                    'default.'),
    cfg.URIOpt('html5proxy_base_url',
               default='http://127.0.0.1:6082/spice_auto.html',
               help='Public URL of the SPICE HTML5 client handed to '
                    'users.'),
    cfg.URIOpt('spice_direct_proxy_base_url',
               default='http://127.0.0.1:13002/nova',
               help='Public URL of a native SPICE protocol proxy for '
                    'spice-direct consoles.'),
    cfg.StrOpt('server_listen', default='127.0.0.1',
               help='Address the guests\' SPICE servers listen on.'),
    cfg.StrOpt('server_proxyclient_address', default='127.0.0.1',
               help='Address the proxy uses to reach this host\'s SPICE '
                    'servers.'),
    cfg.BoolOpt('require_secure', default=False,
                help='Only allow TLS-protected SPICE channels.'),
    cfg.HostAddressOpt('html5proxy_host', default='0.0.0.0',
                       help='Address nova-spicehtml5proxy listens on.'),
    cfg.PortOpt('html5proxy_port', default=6082,
                help='Port nova-spicehtml5proxy listens on.'),
]


def register_opts(conf):
    conf.register_group(spice_group)
    conf.register_opts(spice_opts, group=spice_group)


def list_opts():
    return {spice_group: spice_opts}
