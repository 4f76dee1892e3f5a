"""RFB (VNC) security proxy.

The proxy, not the user, authenticates to the guest's VNC server: it reads the
security types QEMU offers, picks one of ``[vnc] auth_schemes`` and completes
that handshake itself, while the user's client (noVNC) is offered and given
plain "None" security. After both handshakes the two connections carry the
rest of the RFB session (ClientInit onwards) untouched. Towards the server
'none' and 'vencrypt' (VeNCrypt's X509None: TLS with the proxy's client
certificate) are supported.
"""

import ssl
import struct

import nova.conf
from nova.console.securityproxy import SecurityProxyNegotiationFailed

CONF = nova.conf.CONF

VERSION_3_8 = b'RFB 003.008\n'
SECURITY_NONE = 1
SECURITY_VENCRYPT = 19
SCHEME_CODES = {'none': SECURITY_NONE, 'vencrypt': SECURITY_VENCRYPT}
# The schemes this proxy can complete towards the server.
SUPPORTED = frozenset([SECURITY_NONE, SECURITY_VENCRYPT])
# VeNCrypt sub-type: TLS with x509 certificates, no further authentication.
VENCRYPT_X509_NONE = 260


def parse_version(banner):
    """(major, minor) of a 12-byte ProtocolVersion message, or None if malformed."""
    if len(banner) != 12 or not banner.startswith(b'RFB ') or banner[-1:] != b'\n':
        return None
    try:
        return int(banner[4:7]), int(banner[8:11])
    except ValueError:
        return None


def recv_exact(sock, count):
    """Read exactly ``count`` bytes from the VNC server socket."""
    data = b''
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise SecurityProxyNegotiationFailed('the VNC server closed the connection')
        data += chunk
    return data


def _reason_message(reason):
    text = reason.encode('utf-8')
    return struct.pack('!I', len(text)) + text


class RFBSecurityProxy(object):
    """Negotiates RFB 3.8 security with the server, presents 'None' to the client."""

    def __init__(self, auth_schemes=None):
        self.auth_schemes = list(auth_schemes if auth_schemes is not None
                                 else CONF.vnc.auth_schemes)

    def connect(self, tenant, compute):
        """Run both handshakes; return the socket to proxy the session over.

        ``tenant`` reads exact byte counts (``recv(n)``) and writes
        (``sendall(data)``) on the user's websocket; ``compute`` is the
        connected socket of the guest's VNC server.
        """
        server_version = parse_version(recv_exact(compute, 12))
        if server_version is None or server_version < (3, 8):
            raise SecurityProxyNegotiationFailed(
                'the VNC server speaks an unsupported RFB version %s' % (server_version,))
        tenant.sendall(VERSION_3_8)
        client_version = parse_version(tenant.recv(12))
        if client_version != (3, 8):
            raise SecurityProxyNegotiationFailed(
                'the client asked for an unsupported RFB version %s' % (client_version,))
        compute.sendall(VERSION_3_8)

        count = recv_exact(compute, 1)[0]
        if count == 0:
            length = struct.unpack('!I', recv_exact(compute, 4))[0]
            reason = recv_exact(compute, length).decode('utf-8', 'replace')
            self._refuse_before_choice(tenant, 'VNC server refused: %s' % reason)
        offered = list(recv_exact(compute, count))
        chosen = self._choose(offered)
        if chosen is None:
            self._refuse_before_choice(
                tenant, 'no usable VNC security type: server offers %s, proxy allows %s'
                % (offered, self.auth_schemes))

        # Offer the client exactly one type: None.
        tenant.sendall(bytes([1, SECURITY_NONE]))
        if tenant.recv(1)[0] != SECURITY_NONE:
            self._refuse_after_choice(tenant, 'the client must choose security type None')

        compute.sendall(bytes([chosen]))
        if chosen == SECURITY_VENCRYPT:
            try:
                compute = self._vencrypt(compute)
            except SecurityProxyNegotiationFailed as exc:
                self._refuse_after_choice(tenant, exc.reason)
        result = struct.unpack('!I', recv_exact(compute, 4))[0]
        if result != 0:
            length = struct.unpack('!I', recv_exact(compute, 4))[0]
            reason = recv_exact(compute, length).decode('utf-8', 'replace')
            self._refuse_after_choice(tenant, 'VNC server authentication failed: %s' % reason)
        tenant.sendall(struct.pack('!I', 0))
        return compute

    def _vencrypt(self, compute):
        """VeNCrypt 0.2 with the X509None sub-type: the rest runs over TLS.

        The proxy authenticates with ``[vnc] vencrypt_client_cert/key`` and
        checks the server's certificate against ``vencrypt_ca_certs`` (not its
        host name: consoles are reached by address).
        """
        if recv_exact(compute, 2) != b'\x00\x02':
            raise SecurityProxyNegotiationFailed('the VNC server does not speak VeNCrypt 0.2')
        compute.sendall(b'\x00\x02')
        if recv_exact(compute, 1) != b'\x00':
            raise SecurityProxyNegotiationFailed('the VNC server refused VeNCrypt 0.2')
        count = recv_exact(compute, 1)[0]
        subtypes = struct.unpack('!%dI' % count, recv_exact(compute, 4 * count))
        if VENCRYPT_X509_NONE not in subtypes:
            raise SecurityProxyNegotiationFailed(
                'the VNC server offers no VeNCrypt X509None sub-type: %s' % (subtypes,))
        compute.sendall(struct.pack('!I', VENCRYPT_X509_NONE))
        if recv_exact(compute, 1) != b'\x01':
            raise SecurityProxyNegotiationFailed('the VNC server rejected X509None')
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        if CONF.vnc.vencrypt_ca_certs:
            context.load_verify_locations(CONF.vnc.vencrypt_ca_certs)
        else:
            context.verify_mode = ssl.CERT_NONE
        if CONF.vnc.vencrypt_client_cert:
            context.load_cert_chain(CONF.vnc.vencrypt_client_cert,
                                    CONF.vnc.vencrypt_client_key or None)
        try:
            return context.wrap_socket(compute)
        except (ssl.SSLError, OSError) as exc:
            raise SecurityProxyNegotiationFailed('TLS with the VNC server failed: %s' % exc)

    def _choose(self, offered):
        for scheme in self.auth_schemes:
            code = SCHEME_CODES.get(scheme)
            if code in offered and code in SUPPORTED:
                return code
        return None

    @staticmethod
    def _refuse_before_choice(tenant, reason):
        """Zero security types plus a reason: the client shows the reason."""
        tenant.sendall(b'\x00' + _reason_message(reason))
        raise SecurityProxyNegotiationFailed(reason)

    @staticmethod
    def _refuse_after_choice(tenant, reason):
        """SecurityResult 'failed' plus a reason."""
        tenant.sendall(struct.pack('!I', 1) + _reason_message(reason))
        raise SecurityProxyNegotiationFailed(reason)
