"""The websocket console proxy shared by nova-novncproxy, -spicehtml5proxy and -serialproxy.

One native thread per connection (``socketserver.ThreadingMixIn``), websockify
for the websocket framing and static web client files. Before the websocket
upgrade the request must carry a console token that the cell database knows,
belongs to this proxy's console type and has not expired, and a browser's
Origin must name this host (or one of ``[console] allowed_origins``); anything
else is refused with an HTTP error. Then the proxy connects to the guest's
console (host and port recorded with the token), lets a security proxy do the
protocol's authentication if there is one (VNC), and copies bytes both ways.
"""

import http.cookies
import http.server
import logging
import os
import socket
import socketserver
import ssl
import threading
import time
from urllib import parse as urlparse

from websockify import websocketproxy as ws_proxy
from websockify import websocket as ws

from nova.console.securityproxy import SecurityProxyNegotiationFailed
from nova.console import token_lookup

LOG = logging.getLogger(__name__)

# First bytes of a TLS (or SSLv2-style) ClientHello.
_TLS_FIRST_BYTES = (0x16, 0x80)


class ConsoleRefused(Exception):
    """A console request is refused before the websocket upgrade."""

    def __init__(self, code, reason):
        super().__init__(reason)
        self.code = code
        self.reason = reason


def token_from_request(path, headers):
    """The console token of a request: ``?token=``, noVNC's ``?path=...token=``, or cookie."""
    query = urlparse.parse_qs(urlparse.urlsplit(path).query)
    if query.get('token'):
        return query['token'][0]
    if query.get('path'):
        inner = urlparse.parse_qs(urlparse.urlsplit(query['path'][0]).query)
        if inner.get('token'):
            return inner['token'][0]
    cookies = http.cookies.SimpleCookie()
    try:
        cookies.load(headers.get('Cookie', ''))
    except http.cookies.CookieError:
        return None
    morsel = cookies.get('token')
    return morsel.value if morsel is not None and morsel.value else None


def _request_hostname(headers):
    host = headers.get('Host') or ''
    try:
        return urlparse.urlsplit('//' + host).hostname
    except ValueError:
        return None


def check_origin_host(headers, allowed_origins):
    """Refuse a browser whose Origin is neither this host nor an allowed origin.

    Clients that send no Origin (not browsers) are not checked, as upstream.
    Returns the Origin's scheme (or None without an Origin).
    """
    origin = headers.get('Origin') or headers.get('Sec-WebSocket-Origin')
    if origin is None:
        return None
    try:
        parsed = urlparse.urlsplit(origin)
        origin_host, origin_scheme = parsed.hostname, parsed.scheme
    except ValueError:
        origin_host = origin_scheme = None
    if not origin_host or not origin_scheme:
        raise ConsoleRefused(403, 'Origin header not valid.')
    if origin_host != _request_hostname(headers) and origin_host not in allowed_origins:
        raise ConsoleRefused(403, 'Origin header does not match this host.')
    return origin_scheme


def check_origin_scheme(origin_scheme, connect_info):
    """The Origin's scheme must match the one of the console URL handed to the user."""
    base = (connect_info.access_url_base
            if connect_info.obj_attr_is_set('access_url_base') else None)
    if origin_scheme is None or not base:
        return
    expected = urlparse.urlsplit(base).scheme
    secure = {'https', 'wss'}
    if (origin_scheme in secure) != (expected in secure):
        raise ConsoleRefused(403, 'Origin header protocol does not match this host.')


class TenantChannel(object):
    """Exact-size reads and writes on the user's websocket, for security proxies."""

    def __init__(self, websocket):
        self.websocket = websocket
        self.buffer = b''

    def recv(self, count):
        while len(self.buffer) < count:
            try:
                message = self.websocket.recvmsg()
            except ws.WebSocketWantReadError:
                continue  # a partial frame on a blocking socket: read on
            if message is None:
                raise SecurityProxyNegotiationFailed('the client closed the connection')
            self.buffer += message
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def sendall(self, data):
        self.websocket.sendmsg(data)


class ConsoleProxyRequestHandler(ws_proxy.ProxyRequestHandler):
    """Serves the web client files and proxies token-bearing websocket requests."""

    def setup(self):
        # SimpleHTTPRequestHandler serves files from self.directory.
        super().setup()
        self.directory = self.server.web or os.devnull
        self.connect_info = None
        self.session_expired = False

    def handle_upgrade(self):
        try:
            self.connect_info = self.server.check_request(self.path, self.headers)
        except ConsoleRefused as exc:
            LOG.info('Refused console connection from %s: %s',
                     self.client_address[0], exc.reason)
            self.close_connection = True
            self.send_error(exc.code, exc.reason)
            return
        super().handle_upgrade()

    def new_websocket_client(self):
        info = self.connect_info
        LOG.info('Console connection for instance %s to %s:%s',
                 info.instance_uuid, info.host, info.port)
        try:
            target = socket.create_connection((info.host, info.port), timeout=30)
        except OSError as exc:
            LOG.warning('Cannot reach the console of instance %s at %s:%s: %s',
                        info.instance_uuid, info.host, info.port, exc)
            raise self.CClose(1011, 'Failed to connect to the console')
        timer = None
        try:
            target.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if info.internal_access_path:
                self._http_connect(target, info.internal_access_path)
            target.settimeout(None)
            if self.server.security_proxy is not None:
                target = self._negotiate(target)
            if self.server.enforce_session_timeout:
                timer = threading.Timer(max(0, info.expires - time.time()),
                                        self._expire, (target,))
                timer.daemon = True
                timer.start()
            try:
                self.do_proxy(target)
            except self.CClose:
                if self.session_expired:
                    raise self.CClose(1000, 'Console session expired')
                raise
        finally:
            if timer is not None:
                timer.cancel()
            try:
                target.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            target.close()

    def _negotiate(self, target):
        channel = TenantChannel(self.request)
        try:
            target = self.server.security_proxy.connect(channel, target)
        except (SecurityProxyNegotiationFailed, OSError) as exc:
            LOG.info('Console security negotiation for instance %s failed: %s',
                     self.connect_info.instance_uuid, exc)
            raise self.CClose(1008, 'Console negotiation failed')
        if channel.buffer:
            target.sendall(channel.buffer)
        return target

    def _http_connect(self, target, path):
        """Tunnel through the host's HTTP CONNECT endpoint named by the token."""
        target.sendall(('CONNECT %s HTTP/1.1\r\n\r\n' % path).encode('latin-1'))
        reply = b''
        while b'\r\n\r\n' not in reply:
            chunk = target.recv(4096)
            if not chunk or len(reply) > 65536:
                raise self.CClose(1011, 'Console tunnel failed')
            reply += chunk
        status = reply.split(b'\r\n', 1)[0].split()
        if len(status) < 2 or status[1] != b'200':
            raise self.CClose(1011, 'Console tunnel refused')

    def _expire(self, target):
        """[consoleauth] enforce_session_timeout: end the session at token expiry."""
        self.session_expired = True
        try:
            target.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_request(self, code='-', size='-'):
        LOG.debug('%s "%s" %s', self.client_address[0], self.requestline, code)


class ConsoleProxyServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """A threaded websocket proxy for one console type family.

    ``console_types``: the token console types this proxy serves (e.g.
    ``('novnc',)``). ``web``: directory of the web client, or None to serve
    websockets only. ``ssl_context``: TLS for clients that start a TLS
    handshake; with ``ssl_only`` plain connections are dropped.
    """

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, listen_host, listen_port, console_types, web=None,
                 security_proxy=None, ssl_context=None, ssl_only=False, ipv6=False,
                 allowed_origins=(), enforce_session_timeout=False, record=None,
                 lookup=None):
        if ipv6:
            self.address_family = socket.AF_INET6
        self.console_types = tuple(console_types)
        self.web = web
        self.security_proxy = security_proxy
        self.ssl_context = ssl_context
        self.ssl_only = ssl_only
        self.allowed_origins = list(allowed_origins)
        self.enforce_session_timeout = enforce_session_timeout
        self.lookup = lookup or token_lookup.validate_token
        # Attributes websockify's handlers read from their server.
        self.only_upgrade = not web
        self.file_only = True
        self.verbose = False
        self.daemon = False
        self.record = os.path.abspath(record) if record else None
        self.run_once = False
        self.handler_id = 0
        self.token_plugin = None
        self.auth_plugin = None
        self.heartbeat = None
        self.wrap_cmd = None
        self.unix_target = None
        self.ssl_target = None
        self.target_host = self.target_port = None
        self.logger = LOG
        super().__init__((listen_host, listen_port), ConsoleProxyRequestHandler)

    def check_request(self, path, headers):
        """Token, console type and origin checks; the token's ConsoleAuthToken."""
        origin_scheme = check_origin_host(headers, self.allowed_origins)
        token = token_from_request(path, headers)
        if not token:
            raise ConsoleRefused(400, 'No console token given.')
        connect_info = self.lookup(token)
        if connect_info is None:
            raise ConsoleRefused(403, 'The console token is invalid or has expired.')
        if connect_info.console_type not in self.console_types:
            raise ConsoleRefused(403, 'The console token is not for a %s console.'
                                 % '/'.join(self.console_types))
        check_origin_scheme(origin_scheme, connect_info)
        return connect_info

    def finish_request(self, request, client_address):
        # Runs in the connection's own thread: TLS detection cannot stall accept().
        request = self._maybe_tls(request)
        if request is not None:
            self.handler_id += 1
            super().finish_request(request, client_address)

    def _maybe_tls(self, request):
        if self.ssl_context is None:
            return request
        request.settimeout(30)
        try:
            first = request.recv(1, socket.MSG_PEEK)
            if first and first[0] in _TLS_FIRST_BYTES:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            elif self.ssl_only:
                LOG.info('Refused a plain-text connection (ssl_only)')
                request.close()
                return None
            request.settimeout(None)
            return request
        except (OSError, ssl.SSLError) as exc:
            LOG.info('TLS handshake with a console client failed: %s', exc)
            request.close()
            return None

    def handle_error(self, request, client_address):
        LOG.exception('Console proxy error with client %s', client_address)


def make_ssl_context(cert, key=None, ciphers=None, minimum_version='default'):
    """Server TLS context from [DEFAULT] cert/key and [console] ssl_* options."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key or None)
    if ciphers:
        context.set_ciphers(ciphers)
    versions = {'tlsv1_1': ssl.TLSVersion.TLSv1_1, 'tlsv1_2': ssl.TLSVersion.TLSv1_2,
                'tlsv1_3': ssl.TLSVersion.TLSv1_3}
    if minimum_version in versions:
        context.minimum_version = versions[minimum_version]
    return context
