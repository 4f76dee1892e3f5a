"""Token parsing, origin checks and the RFB security proxy's refusals (no network)."""

import socket
import struct
import threading

import pytest

from nova.console.securityproxy import rfb
from nova.console.securityproxy import SecurityProxyNegotiationFailed
from nova.console import websocketproxy as wsp
from nova import objects


@pytest.mark.parametrize('path, cookie, expected', [
    ('/?token=abc', '', 'abc'),
    ('/websockify?token=abc&x=1', '', 'abc'),
    ('/?path=%3Ftoken%3Dabc', '', 'abc'),
    ('/?path=websockify%3Ftoken%3Dabc', '', 'abc'),
    ('/', 'other=1; token=abc', 'abc'),
    ('/?token=q', 'token=c', 'q'),
    ('/', '', None),
    ('/?token=', 'token=', None),
    ('/', 'bad cookie ;;; "', None),
])
def test_token_from_request(path, cookie, expected):
    assert wsp.token_from_request(path, {'Cookie': cookie}) == expected


@pytest.mark.parametrize('origin, host, allowed, outcome', [
    (None, '127.0.0.1:6080', [], None),
    ('http://127.0.0.1:6080', '127.0.0.1:6080', [], 'http'),
    ('https://proxy.example.org', 'proxy.example.org:6080', [], 'https'),
    ('http://[::1]:6080', '[::1]:6080', [], 'http'),
    ('http://portal.example.org', 'proxy.example.org', ['portal.example.org'], 'http'),
    ('http://evil.example.com', 'proxy.example.org', ['portal.example.org'], 403),
    ('null', 'proxy.example.org', [], 403),
    ('http://', 'proxy.example.org', [], 403),
])
def test_check_origin_host(origin, host, allowed, outcome):
    headers = {'Host': host}
    if origin is not None:
        headers['Origin'] = origin
    if outcome == 403:
        with pytest.raises(wsp.ConsoleRefused) as info:
            wsp.check_origin_host(headers, allowed)
        assert info.value.code == 403
    else:
        assert wsp.check_origin_host(headers, allowed) == outcome


@pytest.mark.parametrize('scheme, base, refused', [
    ('http', 'http://p:6080/vnc_lite.html', False),
    ('https', 'https://p:6080/vnc_lite.html', False),
    ('https', 'http://p:6080/vnc_lite.html', True),
    ('http', 'https://p:6080/vnc_lite.html', True),
    ('http', 'ws://p:6083/', False),
    ('https', 'wss://p:6083/', False),
    (None, 'https://p/', False),
    ('http', None, False),
])
def test_check_origin_scheme(scheme, base, refused):
    objects.register_all()
    info = objects.ConsoleAuthToken(access_url_base=base)
    if refused:
        with pytest.raises(wsp.ConsoleRefused):
            wsp.check_origin_scheme(scheme, info)
    else:
        wsp.check_origin_scheme(scheme, info)


def test_parse_version():
    assert rfb.parse_version(b'RFB 003.008\n') == (3, 8)
    assert rfb.parse_version(b'RFB 003.003\n') == (3, 3)
    assert rfb.parse_version(b'HTTP/1.1 200') is None
    assert rfb.parse_version(b'RFB 00x.008\n') is None


class Tenant(object):
    """The client side as the security proxy sees it: scripted input, recorded output."""

    def __init__(self, *incoming):
        self.incoming = b''.join(incoming)
        self.sent = b''

    def recv(self, count):
        if len(self.incoming) < count:
            raise SecurityProxyNegotiationFailed('client closed')
        data, self.incoming = self.incoming[:count], self.incoming[count:]
        return data

    def sendall(self, data):
        self.sent += data


def _server(script):
    """A socketpair whose far end sends ``script`` bytes and records what it gets."""
    ours, theirs = socket.socketpair()
    received = []

    def run():
        with theirs:
            theirs.sendall(script)
            theirs.settimeout(5)
            try:
                while chunk := theirs.recv(100):
                    received.append(chunk)
            except OSError:
                pass
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return ours, received, thread


def _reason(data):
    length = struct.unpack('!I', data[:4])[0]
    return data[4:4 + length].decode()


def test_rfb_success_leaves_the_session_to_the_caller():
    sock, received, thread = _server(b'RFB 003.008\n' + b'\x02\x13\x01' + b'\x00' * 4)
    tenant = Tenant(b'RFB 003.008\n', b'\x01')
    with sock:
        assert rfb.RFBSecurityProxy(['none']).connect(tenant, sock) is sock
        sock.shutdown(socket.SHUT_WR)
        thread.join(5)
    assert tenant.sent == b'RFB 003.008\n' + b'\x01\x01' + b'\x00' * 4
    assert b''.join(received) == b'RFB 003.008\n' + b'\x01'  # chose None among [19, 1]


@pytest.mark.parametrize('script, client, schemes, message', [
    # the server refuses everybody (0 types + reason)
    (b'RFB 003.008\n\x00' + struct.pack('!I', 4) + b'full', b'RFB 003.008\n', ['none'],
     'VNC server refused: full'),
    # only VeNCrypt offered, only 'none' allowed
    (b'RFB 003.008\n\x01\x13', b'RFB 003.008\n', ['none'],
     'no usable VNC security type'),
])
def test_rfb_refusals_before_the_client_chooses(script, client, schemes, message):
    sock, _received, _thread = _server(script)
    tenant = Tenant(client)
    with sock, pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(schemes).connect(tenant, sock)
    assert tenant.sent[12:13] == b'\x00'
    assert message in _reason(tenant.sent[13:])


def test_rfb_client_choosing_another_type_is_refused():
    sock, _received, _thread = _server(b'RFB 003.008\n\x01\x01')
    tenant = Tenant(b'RFB 003.008\n', b'\x02')
    with sock, pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(['none']).connect(tenant, sock)
    failed = tenant.sent[14:]
    assert failed[:4] == b'\x00\x00\x00\x01' and 'None' in _reason(failed[4:])


def test_rfb_server_auth_failure_is_passed_on():
    sock, _received, _thread = _server(b'RFB 003.008\n\x01\x01' + struct.pack('!II', 1, 6)
                                       + b'denied')
    tenant = Tenant(b'RFB 003.008\n', b'\x01')
    with sock, pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(['none']).connect(tenant, sock)
    assert 'denied' in _reason(tenant.sent[18:])


@pytest.mark.parametrize('server_version, client_version', [
    (b'RFB 003.003\n', b'RFB 003.008\n'),
    (b'RFB 003.008\n', b'RFB 003.003\n'),
])
def test_rfb_old_versions_are_refused(server_version, client_version):
    sock, _received, _thread = _server(server_version)
    with sock, pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(['none']).connect(Tenant(client_version), sock)
