"""The whole VNC console chain: REST API -> compute RPC -> token in the cell DB ->
the websocket proxy (finding the token through the API DB's cell mappings) ->
the real guest's QEMU VNC server, then the token dies with the server.

Services in this process (the cloud of test_boot_through_api), real QEMU guest
under libvirtd, the proxy on a free port in a thread.
"""

import urllib.parse

from nova.console.securityproxy import rfb
from tests.fixtures.console_urls import token_of
from tests.functional.console import conftest as console_helpers
from tests.functional.libvirt import test_boot_through_api as boot
from tests.functional.libvirt.test_boot_through_api import cloud_env  # noqa: F401
from tests.functional.image.test_glance_client import glance_url  # noqa: F401


def test_api_console_url_opens_the_guest_through_the_proxy(cloud_env):  # noqa: F811
    client = cloud_env['client']
    proxy = console_helpers.ProxyThread(('novnc',),
                                        security_proxy=rfb.RFBSecurityProxy(['none']))
    try:
        server_id = boot._boot(cloud_env, 'proxied-vnc')
        try:
            boot._wait(client, server_id, 'ACTIVE')
            url = boot._novnc_url(client, server_id)
            origin = '%s://%s' % urllib.parse.urlparse(url)[:2]
            token = token_of(url)
            # The browser's page comes from the configured proxy URL: same host.
            conn = console_helpers.connect(proxy.url('?token=%s' % token), origin=origin)
            try:
                reader = console_helpers.WsReader(conn)
                width, height, name = console_helpers.rfb_client_handshake(reader)
                assert width > 0 and height > 0 and name.startswith('QEMU (instance-')
            finally:
                conn.close()
        finally:
            boot._delete(client, server_id)
        # The server is gone: its token no longer opens anything.
        assert _status_of_refusal(proxy, token) == 403
    finally:
        proxy.stop()


def _status_of_refusal(proxy, token):
    import websocket
    try:
        console_helpers.connect(proxy.url('?token=%s' % token)).close()
    except websocket.WebSocketBadStatusException as exc:
        return exc.status_code
    return 101
