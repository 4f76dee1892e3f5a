"""nova.console.securityproxy.rfb: the proxy completes the VNC server's security
handshake itself and offers the user's client 'None', refusing in RFB's own words."""

import struct

import pytest

from nova.console.securityproxy import rfb
from nova.console.securityproxy import SecurityProxyNegotiationFailed


class _Peer(object):
    """One side of an RFB conversation: scripted bytes to read, what was written."""

    def __init__(self, *chunks):
        self.incoming = b''.join(chunks)
        self.sent = b''

    def recv(self, count):
        data, self.incoming = self.incoming[:count], self.incoming[count:]
        return data

    def sendall(self, data):
        self.sent += data


def _reason(text):
    return struct.pack('!I', len(text)) + text.encode()


def _refusal_to_client(tenant, after_choice):
    """The reason the client was given, checking RFB's framing of it."""
    prefix = b'\x01\x01' if after_choice else b''
    data = tenant.sent[len(rfb.VERSION_3_8) + len(prefix):]
    if after_choice:
        assert data[:4] == struct.pack('!I', 1)
        data = data[4:]
    else:
        assert data[:1] == b'\x00'
        data = data[1:]
    (length,) = struct.unpack('!I', data[:4])
    return data[4:4 + length].decode()


def test_none_towards_the_server_and_none_towards_the_client():
    compute = _Peer(rfb.VERSION_3_8, bytes([2, 2, 1]), struct.pack('!I', 0))
    tenant = _Peer(rfb.VERSION_3_8, bytes([1]))
    assert rfb.RFBSecurityProxy(['none']).connect(tenant, compute) is compute
    assert tenant.sent == rfb.VERSION_3_8 + bytes([1, 1]) + struct.pack('!I', 0)
    assert compute.sent == rfb.VERSION_3_8 + bytes([1])


def test_versions_below_3_8_or_malformed_are_refused():
    with pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(['none']).connect(_Peer(), _Peer(b'RFB 003.003\n'))
    with pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(['none']).connect(_Peer(b'RFB 003.007\n'),
                                               _Peer(rfb.VERSION_3_8))
    assert rfb.parse_version(b'RFB 003.008\n') == (3, 8)
    for banner in (b'RFB 003.008', b'XYZ 003.008\n', b'RFB 0a3.008\n'):
        assert rfb.parse_version(banner) is None


def test_a_server_that_closes_early_fails_the_negotiation():
    with pytest.raises(SecurityProxyNegotiationFailed) as err:
        rfb.recv_exact(_Peer(b'RFB'), 12)
    assert 'closed the connection' in str(err.value.reason)


def test_the_servers_refusal_reaches_the_client():
    compute = _Peer(rfb.VERSION_3_8, b'\x00', _reason('too many clients'))
    tenant = _Peer(rfb.VERSION_3_8)
    with pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(['none']).connect(tenant, compute)
    assert _refusal_to_client(tenant, False) == 'VNC server refused: too many clients'


def test_no_type_the_proxy_allows_and_the_server_offers():
    compute = _Peer(rfb.VERSION_3_8, bytes([1, 2]))  # only VNC password auth
    tenant = _Peer(rfb.VERSION_3_8)
    with pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(['vencrypt', 'none']).connect(tenant, compute)
    assert _refusal_to_client(tenant, False).startswith('no usable VNC security type')


def test_schemes_are_tried_in_the_configured_order():
    proxy = rfb.RFBSecurityProxy(['vencrypt', 'none'])
    assert proxy._choose([1, 19]) == rfb.SECURITY_VENCRYPT
    assert proxy._choose([1]) == rfb.SECURITY_NONE
    assert rfb.RFBSecurityProxy(['none'])._choose([19]) is None
    assert rfb.RFBSecurityProxy(['unknown'])._choose([1, 19]) is None


def test_the_client_must_choose_none():
    compute = _Peer(rfb.VERSION_3_8, bytes([1, 1]))
    tenant = _Peer(rfb.VERSION_3_8, bytes([2]))
    with pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(['none']).connect(tenant, compute)
    assert _refusal_to_client(tenant, True) == 'the client must choose security type None'


def test_a_failed_server_authentication_reaches_the_client():
    compute = _Peer(rfb.VERSION_3_8, bytes([1, 1]), struct.pack('!I', 1), _reason('denied'))
    tenant = _Peer(rfb.VERSION_3_8, bytes([1]))
    with pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(['none']).connect(tenant, compute)
    assert _refusal_to_client(tenant, True) == 'VNC server authentication failed: denied'


@pytest.mark.parametrize('server,reason', [
    (b'\x00\x01', 'does not speak VeNCrypt 0.2'),
    (b'\x00\x02\x01', 'refused VeNCrypt 0.2'),
    (b'\x00\x02\x00\x01' + struct.pack('!I', 256), 'no VeNCrypt X509None sub-type'),
    (b'\x00\x02\x00\x01' + struct.pack('!I', 260) + b'\x00', 'rejected X509None'),
])
def test_vencrypt_refusals_before_tls(server, reason):
    compute = _Peer(rfb.VERSION_3_8, bytes([1, 19]), server)
    tenant = _Peer(rfb.VERSION_3_8, bytes([1]))
    with pytest.raises(SecurityProxyNegotiationFailed):
        rfb.RFBSecurityProxy(['vencrypt']).connect(tenant, compute)
    assert reason in _refusal_to_client(tenant, True)
    assert compute.sent.startswith(rfb.VERSION_3_8 + bytes([19]))
