"""nova-serialproxy: websocket proxy to guests' TCP serial ports (raw bytes both ways)."""

import sys

from nova.cmd import baseproxy


def main():
    sys.exit(baseproxy.main('nova-serialproxy', ('serial_console', 'serialproxy_host'),
                            ('serial_console', 'serialproxy_port'), ('serial',),
                            '/usr/share/spice-html5', web_required=False))


if __name__ == '__main__':
    main()
