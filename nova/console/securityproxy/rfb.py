"""RFB (VNC) security proxy.

The proxy, not the user, authenticates to the guest's VNC server: it reads the
security types QEMU offers, picks one of ``[vnc] auth_schemes`` and completes
that handshake itself, while the user's client (noVNC) is offered and given
plain "None" security. After both handshakes the two connections carry the
rest of the RFB session (ClientInit onwards) untouched.
"""

import struct

import nova.conf
from nova.console.securityproxy import SecurityProxyNegotiationFailed

CONF = nova.conf.CONF

VERSION_3_8 = b'RFB 003.008\n'
SECURITY_NONE = 1
SECURITY_VENCRYPT = 19
SCHEME_CODES = {'none': SECURITY_NONE, 'vencrypt': SECURITY_VENCRYPT}
# The schemes this proxy can complete towards the server.
SUPPORTED = frozenset([SECURITY_NONE])


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
        result = struct.unpack('!I', recv_exact(compute, 4))[0]
        if result != 0:
            length = struct.unpack('!I', recv_exact(compute, 4))[0]
            reason = recv_exact(compute, length).decode('utf-8', 'replace')
            self._refuse_after_choice(tenant, 'VNC server authentication failed: %s' % reason)
        tenant.sendall(struct.pack('!I', 0))
        return compute

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
