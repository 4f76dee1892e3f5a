"""[serial_console]: interactive serial consoles over websockets."""

from oslo_config import cfg

serial_group = cfg.OptGroup(
    'serial_console', title='Serial console options',
    help='Serial consoles reached through nova-serialproxy.')

serial_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Give guests an interactive serial console.'),
    cfg.StrOpt('port_range', default='10000:20000',
               regex=r'^\d+:\d+$',
               help='Host TCP ports ("first:last") given to guests\' serial '
                    'ports.'),
    cfg.URIOpt('base_url', default='ws://127.0.0.1:6083/',
               help='Public websocket URL of the serial proxy handed to '
                    'users.'),
    cfg.StrOpt('proxyclient_address', default='127.0.0.1',
               help='Address the proxy uses to reach this host\'s serial '
                    'ports.'),
    cfg.StrOpt('serialproxy_host', default='0.0.0.0',
               help='Address nova-serialproxy listens on.'),
    cfg.PortOpt('serialproxy_port', default=6083,
                help='Port nova-serialproxy listens on.'),
]


def register_opts(conf):
    conf.register_group(serial_group)
    conf.register_opts(serial_opts, group=serial_group)


def list_opts():
    return {serial_group: serial_opts}
