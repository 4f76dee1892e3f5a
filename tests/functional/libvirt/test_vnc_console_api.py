"""A VNC console asked for through the REST API leads to the real guest's VNC
server: the token the URL carries, looked up by an admin, names the host and
port where QEMU answers with the RFB protocol greeting.

Services in this process (the cloud of test_boot_through_api), real QEMU
guest under libvirtd.
"""

import socket

from tests.fixtures.console_urls import token_of
from tests.functional.libvirt import test_boot_through_api as boot
from tests.functional.libvirt.test_boot_through_api import cloud_env  # noqa: F401
from tests.functional.image.test_glance_client import glance_url  # noqa: F401


def _rfb_greeting(host, port):
    with socket.create_connection((host, port), timeout=10) as sock:
        data = b''
        while len(data) < 12:
            chunk = sock.recv(12 - len(data))
            if not chunk:
                break
            data += chunk
        return data


def test_vnc_console_token_leads_to_the_guest_vnc_server(cloud_env):  # noqa: F811
    client, admin = cloud_env['client'], cloud_env['admin']
    server_id = boot._boot(cloud_env, 'vnc-guest')
    try:
        boot._wait(client, server_id, 'ACTIVE')
        token = token_of(boot._novnc_url(client, server_id))
        resp = admin.get('/os-console-auth-tokens/%s' % token, version='2.31')
        assert resp.status_int == 200, resp.body
        console = resp.json_body_or_none['console']
        assert console['instance_uuid'] == server_id
        assert _rfb_greeting(console['host'], console['port']) == b'RFB 003.008\n'
    finally:
        boot._delete(client, server_id)
    # The token went with the server.
    assert admin.get('/os-console-auth-tokens/%s' % token,
                     version='2.31').status_int == 404
