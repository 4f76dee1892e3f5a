"""The console proxy against a real SQLite cell DB and fake RFB servers."""

import socket
import ssl
import struct
import subprocess
import threading
from urllib import parse as urlparse

import pytest
import websocket

import nova.conf
from nova.console.securityproxy import rfb
from nova.console import websocketproxy
from nova import objects
from tests.functional.console import conftest as helpers

CONF = nova.conf.CONF


def _vnc_proxy(start_proxy, **kwargs):
    return start_proxy(('novnc',), security_proxy=rfb.RFBSecurityProxy(['none']), **kwargs)


def _refused(url, **kwargs):
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        helpers.connect(url, **kwargs)
    return info.value.status_code


def _close_reason(conn):
    """Read until the proxy's close frame; return (code, reason)."""
    while True:
        opcode, data = conn.recv_data()
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            code = struct.unpack('!H', data[:2])[0] if len(data) >= 2 else None
            return code, data[2:].decode()


def test_vnc_session_through_proxy(ctxt, start_proxy, fake_rfb):
    server = fake_rfb()
    proxy = _vnc_proxy(start_proxy)
    inst = helpers.make_instance(ctxt)
    token = helpers.make_token(ctxt, inst.uuid, server.port)
    conn = helpers.connect(proxy.url('?token=%s' % token))
    try:
        reader = helpers.WsReader(conn)
        assert helpers.rfb_client_handshake(reader) == (640, 480, 'fake-guest')
        reader.send(b'after-init')
        assert reader.read(10) == b'after-init'
    finally:
        conn.close()
    assert server.chosen == [1] and not server.errors


def test_token_in_nova_path_and_cookie(ctxt, start_proxy, fake_rfb):
    server = fake_rfb()
    proxy = _vnc_proxy(start_proxy)
    inst = helpers.make_instance(ctxt)
    token = helpers.make_token(ctxt, inst.uuid, server.port)
    nested = '?' + urlparse.urlencode({'path': '?token=%s' % token})
    for url, cookie in ((proxy.url(nested), None), (proxy.url(), 'token=%s' % token)):
        conn = helpers.connect(url, cookie=cookie)
        try:
            assert helpers.WsReader(conn).read(12) == b'RFB 003.008\n'
        finally:
            conn.close()


def test_refusals(ctxt, start_proxy, fake_rfb):
    server = fake_rfb()
    proxy = _vnc_proxy(start_proxy)
    inst = helpers.make_instance(ctxt)
    other = helpers.make_instance(ctxt)
    assert _refused(proxy.url()) == 400
    assert _refused(proxy.url('?token=not-a-token')) == 403
    expired = helpers.make_token(ctxt, inst.uuid, server.port, ttl=0)
    assert _refused(proxy.url('?token=%s' % expired)) == 403
    serial = helpers.make_token(ctxt, inst.uuid, server.port, console_type='serial')
    assert _refused(proxy.url('?token=%s' % serial)) == 403
    # The other server is deleted: its still-unexpired token opens nothing.
    gone = helpers.make_token(ctxt, other.uuid, server.port)
    other.destroy()
    assert _refused(proxy.url('?token=%s' % gone)) == 403
    assert server.chosen == []


def test_origin_checks(ctxt, start_proxy, fake_rfb):
    server = fake_rfb()
    proxy = _vnc_proxy(start_proxy, allowed_origins=['console.example.org'])
    inst = helpers.make_instance(ctxt)
    token = helpers.make_token(ctxt, inst.uuid, server.port)
    url = proxy.url('?token=%s' % token)
    assert _refused(url, origin='http://evil.example.com') == 403
    assert _refused(url, origin='not-a-url') == 403
    # The token's console URL is http: an https page may not use it.
    assert _refused(url, origin='https://127.0.0.1') == 403
    for origin in ('http://127.0.0.1:6080', 'http://console.example.org'):
        conn = helpers.connect(url, origin=origin)
        try:
            assert helpers.WsReader(conn).read(12) == b'RFB 003.008\n'
        finally:
            conn.close()


def test_server_without_usable_security_type(ctxt, start_proxy, fake_rfb):
    server = fake_rfb(security_types=(2,))  # VNC password auth only
    proxy = _vnc_proxy(start_proxy)
    inst = helpers.make_instance(ctxt)
    conn = helpers.connect(proxy.url('?token=%s' % helpers.make_token(ctxt, inst.uuid,
                                                                      server.port)))
    try:
        reader = helpers.WsReader(conn)
        assert reader.read(12) == b'RFB 003.008\n'
        reader.send(b'RFB 003.008\n')
        assert reader.read(1) == b'\x00'
        reason = reader.read(struct.unpack('!I', reader.read(4))[0]).decode()
        assert 'no usable VNC security type' in reason
        assert _close_reason(conn) == (1008, 'Console negotiation failed')
    finally:
        conn.close()


def test_unreachable_console(ctxt, start_proxy):
    with socket.socket() as unused:  # bound, never listening: connections are refused
        unused.bind(('127.0.0.1', 0))
        port = unused.getsockname()[1]
        proxy = _vnc_proxy(start_proxy)
        inst = helpers.make_instance(ctxt)
        conn = helpers.connect(proxy.url('?token=%s' % helpers.make_token(ctxt, inst.uuid,
                                                                          port)))
    try:
        assert _close_reason(conn) == (1011, 'Failed to connect to the console')
    finally:
        conn.close()


def test_session_closed_when_token_expires(ctxt, start_proxy, fake_rfb):
    from oslo_utils import timeutils
    server = fake_rfb()
    proxy = _vnc_proxy(start_proxy, enforce_session_timeout=True)
    inst = helpers.make_instance(ctxt)
    # The token's clock stands still until the session is open, so however
    # slow the connection, the token is valid when the proxy checks it; the
    # session's end comes at its expiry by the wall clock, a second or so
    # later (at once if that passed meanwhile).
    timeutils.set_time_override()
    try:
        token = helpers.make_token(ctxt, inst.uuid, server.port, ttl=1)
        conn = helpers.connect(proxy.url('?token=%s' % token), timeout=30)
    finally:
        timeutils.clear_time_override()
    try:
        # The client's side of the security handshake: the proxy answers it
        # before it starts the session's clock, so it never races the expiry.
        helpers.rfb_security_none(helpers.WsReader(conn))
        assert _close_reason(conn) == (1000, 'Console session expired')
    finally:
        conn.close()
    assert server.chosen == [1] and not server.errors


def test_token_found_in_another_cell(ctxt, dbs, tmp_path, _template_dbs, start_proxy,
                                     fake_rfb):
    """A proxy whose [database] is cell1 finds a token stored in cell2 via the API DB."""
    import shutil

    from nova import context as nova_context
    cell2_path = tmp_path / 'cell2.sqlite'
    shutil.copy(_template_dbs[1], cell2_path)
    cell2 = objects.CellMapping(ctxt, uuid='2b2b2b2b-0000-4000-8000-000000000002',
                                name='cell2', transport_url='none:///',
                                database_connection='sqlite:///%s' % cell2_path)
    cell2.create()
    objects.CellMapping(ctxt, uuid=objects.CellMapping.CELL0_UUID, name='cell0',
                        transport_url='none:///',
                        database_connection='sqlite:///%s' % (tmp_path / 'absent0.db')
                        ).create()
    server = fake_rfb()
    with nova_context.target_cell(ctxt, cell2) as cctxt:
        inst = helpers.make_instance(cctxt)
        token = helpers.make_token(cctxt, inst.uuid, server.port)
    proxy = _vnc_proxy(start_proxy)
    conn = helpers.connect(proxy.url('?token=%s' % token))
    try:
        assert helpers.rfb_client_handshake(helpers.WsReader(conn))[2] == 'fake-guest'
    finally:
        conn.close()


def test_fifty_concurrent_sessions(ctxt, start_proxy, fake_rfb):
    sessions = 50
    server = fake_rfb()
    proxy = _vnc_proxy(start_proxy)
    inst = helpers.make_instance(ctxt)
    tokens = [helpers.make_token(ctxt, inst.uuid, server.port) for _ in range(sessions)]
    connected = threading.Barrier(sessions + 1, timeout=120)
    release = threading.Event()
    results = {}

    def session(index):
        conn = None
        try:
            conn = helpers.connect(proxy.url('?token=%s' % tokens[index]), timeout=60)
            reader = helpers.WsReader(conn)
            helpers.rfb_client_handshake(reader)
            connected.wait()
            release.wait(120)
            payload = ('session-%02d' % index).encode()
            reader.send(payload)
            results[index] = reader.read(len(payload)) == payload
        except Exception as exc:
            results[index] = exc
            connected.abort()
        finally:
            if conn is not None:
                conn.close()

    threads = [threading.Thread(target=session, args=(i,), daemon=True)
               for i in range(sessions)]
    for thread in threads:
        thread.start()
    try:
        connected.wait()  # all 50 are past the RFB handshake at the same time
    except threading.BrokenBarrierError:
        pass
    release.set()
    for thread in threads:
        thread.join(120)
    failures = {i: r for i, r in results.items() if r is not True}
    assert not failures and len(results) == sessions, failures
    assert len(server.chosen) == sessions and not server.errors


class EchoServer(object):
    """A plain TCP echo server: what a SPICE or serial port looks like to a pass-through."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            while data := conn.recv(4096):
                conn.sendall(data)

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def test_spice_pass_through_with_cookie_token(ctxt, start_proxy):
    """spice_auto.html hands the token over in a cookie; bytes pass untouched."""
    echo = EchoServer()
    try:
        proxy = start_proxy(('spice-html5',))
        inst = helpers.make_instance(ctxt)
        token = helpers.make_token(ctxt, inst.uuid, echo.port, console_type='spice-html5',
                                   access_url_base='http://127.0.0.1:6082/spice_auto.html')
        vnc_token = helpers.make_token(ctxt, inst.uuid, echo.port)
        assert _refused(proxy.url('?token=%s' % vnc_token)) == 403
        conn = helpers.connect(proxy.url(), cookie='token=%s' % token,
                               origin='http://127.0.0.1:6082')
        try:
            reader = helpers.WsReader(conn)
            payload = bytes(range(256)) * 64
            reader.send(payload)
            assert reader.read(len(payload)) == payload
        finally:
            conn.close()
    finally:
        echo.close()


@pytest.fixture
def tls_cert(tmp_path):
    cert = tmp_path / 'self.pem'
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
                    '-subj', '/CN=127.0.0.1', '-keyout', str(cert), '-out', str(cert)],
                   check=True, capture_output=True)
    return str(cert)


def test_tls_and_ssl_only(ctxt, start_proxy, fake_rfb, tls_cert):
    server = fake_rfb()
    inst = helpers.make_instance(ctxt)
    context = websocketproxy.make_ssl_context(tls_cert, minimum_version='tlsv1_2')
    proxy = _vnc_proxy(start_proxy, ssl_context=context, ssl_only=True)
    token = helpers.make_token(ctxt, inst.uuid, server.port,
                               access_url_base='https://127.0.0.1:6080/vnc_lite.html')
    url = 'wss://127.0.0.1:%d/?token=%s' % (proxy.port, token)
    conn = websocket.create_connection(url, timeout=15, origin='https://127.0.0.1:6080',
                                       sslopt={'cert_reqs': ssl.CERT_NONE})
    try:
        assert helpers.rfb_client_handshake(helpers.WsReader(conn))[2] == 'fake-guest'
    finally:
        conn.close()
    # ssl_only: a plain-text websocket is dropped without an answer.
    with pytest.raises((websocket.WebSocketException, OSError)):
        helpers.connect(proxy.url('?token=%s' % token))


def _openssl(*args, cwd):
    subprocess.run(['openssl', *args], check=True, capture_output=True, cwd=cwd)


@pytest.fixture
def vencrypt_pki(tmp_path):
    """A CA, a VNC server certificate and the proxy's client certificate."""
    _openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj',
             '/CN=test-vnc-ca', '-keyout', 'ca.key', '-out', 'ca.pem', cwd=tmp_path)
    for name in ('server', 'client'):
        _openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=%s' % name,
                 '-keyout', '%s.key' % name, '-out', '%s.csr' % name, cwd=tmp_path)
        _openssl('x509', '-req', '-in', '%s.csr' % name, '-CA', 'ca.pem', '-CAkey', 'ca.key',
                 '-CAcreateserial', '-days', '1', '-out', '%s.pem' % name, cwd=tmp_path)
    return tmp_path


def test_vencrypt_x509none_towards_the_vnc_server(ctxt, start_proxy, fake_rfb, vencrypt_pki):
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(vencrypt_pki / 'server.pem', vencrypt_pki / 'server.key')
    server_tls.verify_mode = ssl.CERT_REQUIRED
    server_tls.load_verify_locations(vencrypt_pki / 'ca.pem')
    server = fake_rfb(security_types=(19,), tls_context=server_tls)
    for name, path in (('vencrypt_client_cert', 'client.pem'),
                       ('vencrypt_client_key', 'client.key'),
                       ('vencrypt_ca_certs', 'ca.pem')):
        CONF.set_override(name, str(vencrypt_pki / path), group='vnc')
    try:
        proxy = start_proxy(('novnc',),
                            security_proxy=rfb.RFBSecurityProxy(['vencrypt', 'none']))
        inst = helpers.make_instance(ctxt)
        conn = helpers.connect(proxy.url('?token=%s' % helpers.make_token(
            ctxt, inst.uuid, server.port)))
        try:
            reader = helpers.WsReader(conn)
            # The browser sees plain None security; the server got TLS + client cert.
            assert helpers.rfb_client_handshake(reader)[2] == 'fake-guest'
            reader.send(b'over-tls')
            assert reader.read(8) == b'over-tls'
        finally:
            conn.close()
        assert server.chosen == [19] and not server.errors
        subject = dict(item[0] for item in server.peer_certs[0]['subject'])
        assert subject['commonName'] == 'client'
        # Without 'vencrypt' allowed the same server is refused.
        proxy = _vnc_proxy(start_proxy)
        conn = helpers.connect(proxy.url('?token=%s' % helpers.make_token(
            ctxt, inst.uuid, server.port)))
        try:
            reader = helpers.WsReader(conn)
            assert reader.read(12) == b'RFB 003.008\n'
            reader.send(b'RFB 003.008\n')
            assert reader.read(1) == b'\x00'
        finally:
            conn.close()
    finally:
        for name in ('vencrypt_client_cert', 'vencrypt_client_key', 'vencrypt_ca_certs'):
            CONF.clear_override(name, group='vnc')
