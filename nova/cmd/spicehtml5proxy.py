"""nova-spicehtml5proxy: websocket proxy from spice-html5 to guests' SPICE servers."""

import sys

from nova.cmd import baseproxy


def main():
    sys.exit(baseproxy.main('nova-spicehtml5proxy', ('spice', 'html5proxy_host'),
                            ('spice', 'html5proxy_port'), ('spice-html5',),
                            '/usr/share/spice-html5'))


if __name__ == '__main__':
    main()
