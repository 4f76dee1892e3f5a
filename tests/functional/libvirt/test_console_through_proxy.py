"""The whole VNC console chain: REST API -> compute RPC -> token in the cell DB ->
the websocket proxy (finding the token through the API DB's cell mappings) ->
the real guest's QEMU VNC server, then the token dies with the server.

Services in this process (the cloud of test_boot_through_api), real QEMU guest
under libvirtd, the proxy on a free port in a thread.
"""

import urllib.parse

from nova.console.securityproxy import rfb
from tests.fixtures.waiting import wait_for
from tests.functional.console import conftest as console_helpers
from tests.functional.libvirt import test_boot_through_api as boot
from tests.functional.libvirt.test_boot_through_api import cloud_env  # noqa: F401
from tests.functional.image.test_glance_client import glance_url  # noqa: F401


def _token_of(url):
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    return urllib.parse.parse_qs(urllib.parse.urlparse(query['path'][0]).query)['token'][0]


def test_api_console_url_opens_the_guest_through_the_proxy(cloud_env):  # noqa: F811
    client = cloud_env['client']
    proxy = console_helpers.ProxyThread(('novnc',),
                                        security_proxy=rfb.RFBSecurityProxy(['none']))
    try:
        resp = client.post('/servers', {'server': {
            'name': 'proxied-vnc', 'imageRef': cloud_env['image'], 'flavorRef': '1',
            'networks': 'none'}}, version='2.37')
        assert resp.status_int == 202, resp.body
        server_id = resp.json_body_or_none['server']['id']
        try:
            boot._wait(client, server_id, 'ACTIVE')
            resp = client.post('/servers/%s/remote-consoles' % server_id,
                               {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
                               version='2.6')
            assert resp.status_int == 200, resp.body
            url = resp.json_body_or_none['remote_console']['url']
            origin = '%s://%s' % urllib.parse.urlparse(url)[:2]
            token = _token_of(url)
            # The browser's page comes from the configured proxy URL: same host.
            conn = console_helpers.connect(proxy.url('?token=%s' % token), origin=origin)
            try:
                reader = console_helpers.WsReader(conn)
                width, height, name = console_helpers.rfb_client_handshake(reader)
                assert width > 0 and height > 0 and name.startswith('QEMU (instance-')
            finally:
                conn.close()
        finally:
            assert client.delete('/servers/%s' % server_id).status_int == 204
            wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404,
                     timeout=120, what='server gone')
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
