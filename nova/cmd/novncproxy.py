"""nova-novncproxy: websocket proxy from noVNC in the browser to guests' VNC servers."""

import sys

from nova.cmd import baseproxy
from nova.console.securityproxy import rfb


def main():
    sys.exit(baseproxy.main('nova-novncproxy', ('vnc', 'novncproxy_host'),
                            ('vnc', 'novncproxy_port'), ('novnc',), '/usr/share/novnc',
                            security_proxy=rfb.RFBSecurityProxy))


if __name__ == '__main__':
    main()
