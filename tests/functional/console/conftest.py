"""Fixtures for the console proxy tests: migrated SQLite API and cell databases,
a proxy server thread on a free port, and fake RFB servers."""

import struct
import socket
import threading

import pytest
import websocket
from oslo_utils import uuidutils

import nova.conf
from nova import context as nova_context
from nova import objects
from nova import rpc
from nova.console import websocketproxy
from tests.unit.objects.conftest import _template_dbs, dbs  # noqa: F401

CONF = nova.conf.CONF


@pytest.fixture
def ctxt(dbs):  # noqa: F811
    rpc.register_opts(CONF)  # cell mappings read [DEFAULT] transport_url
    return nova_context.get_admin_context()


def make_instance(ctxt):
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id='p', user_id='u',
                            host='compute1')
    inst.create()
    return inst


def make_token(ctxt, instance_uuid, port, console_type='novnc', ttl=None, host='127.0.0.1',
               access_url_base='http://127.0.0.1:6080/vnc_lite.html'):
    auth = objects.ConsoleAuthToken(ctxt, console_type=console_type, host=host, port=port,
                                    instance_uuid=instance_uuid,
                                    access_url_base=access_url_base)
    return auth.authorize(ttl=ttl)


class ProxyThread(object):
    """A ConsoleProxyServer serving from a background thread."""

    def __init__(self, console_types, **kwargs):
        self.server = websocketproxy.ConsoleProxyServer('127.0.0.1', 0, console_types,
                                                        **kwargs)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={'poll_interval': 0.1}, daemon=True)
        self.thread.start()

    def url(self, query=''):
        return 'ws://127.0.0.1:%d/%s' % (self.port, query)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.fixture
def start_proxy():
    started = []

    def _start(console_types=('novnc',), **kwargs):
        proxy = ProxyThread(console_types, **kwargs)
        started.append(proxy)
        return proxy
    yield _start
    for proxy in started:
        proxy.stop()


def connect(url, origin=None, cookie=None, timeout=15):
    """A websocket-client connection (raises WebSocketBadStatusException when refused)."""
    kwargs = {'timeout': timeout}
    if origin is not None:
        kwargs['origin'] = origin
    else:
        kwargs['suppress_origin'] = True
    if cookie is not None:
        kwargs['cookie'] = cookie
    return websocket.create_connection(url, **kwargs)


class WsReader(object):
    """Exact-size reads over binary websocket messages."""

    def __init__(self, conn):
        self.conn = conn
        self.buffer = b''

    def read(self, count):
        while len(self.buffer) < count:
            opcode, data = self.conn.recv_data()
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                raise ConnectionError('closed: %r' % data)
            self.buffer += data
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def send(self, data):
        self.conn.send_binary(data)


def rfb_security_none(reader):
    """Client side of the version and security handshake, up to a successful
    SecurityResult: the proxy offers only the None security type."""
    assert reader.read(12) == b'RFB 003.008\n'
    reader.send(b'RFB 003.008\n')
    count = reader.read(1)[0]
    assert count > 0, reader.read(struct.unpack('!I', reader.read(4))[0])
    types = reader.read(count)
    assert types == b'\x01'  # the proxy offers only None
    reader.send(b'\x01')
    assert reader.read(4) == b'\x00\x00\x00\x00'


def rfb_client_init(reader):
    """ClientInit (shared) after the security handshake; returns ServerInit's
    (width, height, pixel format, name)."""
    reader.send(b'\x01')
    width, height = struct.unpack('!HH', reader.read(4))
    pixel_format = reader.read(16)
    name = reader.read(struct.unpack('!I', reader.read(4))[0])
    return width, height, pixel_format, name.decode()


def rfb_client_handshake(reader):
    """Client side up to ServerInit; returns (width, height, name)."""
    rfb_security_none(reader)
    width, height, _, name = rfb_client_init(reader)
    return width, height, name


class FakeRFBServer(object):
    """A VNC server speaking RFB 3.8 up to ServerInit, then echoing bytes.

    Stands in for QEMU where the test is about the proxy, not the guest
    (hundreds of sessions, odd security types); the real QEMU is used by the
    libvirt tests in this directory.
    """

    def __init__(self, security_types=(1,), name=b'fake-guest', tls_context=None):
        self.security_types = bytes(security_types)
        self.tls_context = tls_context  # VeNCrypt X509None when type 19 is chosen
        self.peer_certs = []
        self.name = name
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.chosen = []
        self.errors = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _read(conn, count):
        data = b''
        while len(data) < count:
            chunk = conn.recv(count - len(data))
            if not chunk:
                raise ConnectionError('peer closed')
            data += chunk
        return data

    def _serve(self, conn):
        try:
            with conn:
                conn.sendall(b'RFB 003.008\n')
                if self._read(conn, 12) != b'RFB 003.008\n':
                    raise AssertionError('bad client version')
                conn.sendall(bytes([len(self.security_types)]) + self.security_types)
                choice = self._read(conn, 1)[0]
                self.chosen.append(choice)
                if choice == 19 and self.tls_context is not None:
                    conn = self._vencrypt(conn)
                elif choice != 1:
                    reason = b'unsupported'
                    conn.sendall(struct.pack('!II', 1, len(reason)) + reason)
                    return
                conn.sendall(struct.pack('!I', 0))
                self._read(conn, 1)  # ClientInit
                conn.sendall(struct.pack('!HH', 640, 480) + b'\x20\x18\x00\x01'
                             + b'\x00\xff' * 3 + b'\x10\x08\x00' + b'\x00' * 3
                             + struct.pack('!I', len(self.name)) + self.name)
                while True:
                    data = conn.recv(4096)
                    if not data:
                        return
                    conn.sendall(data)
        except ConnectionError:
            pass
        except Exception as exc:  # reported by the tests
            self.errors.append(exc)

    def _vencrypt(self, conn):
        conn.sendall(b'\x00\x02')
        if self._read(conn, 2) != b'\x00\x02':
            raise AssertionError('bad VeNCrypt version')
        conn.sendall(b'\x00' + b'\x01' + struct.pack('!I', 260))
        if struct.unpack('!I', self._read(conn, 4))[0] != 260:
            raise AssertionError('X509None not chosen')
        conn.sendall(b'\x01')
        tls = self.tls_context.wrap_socket(conn, server_side=True)
        self.peer_certs.append(tls.getpeercert())
        return tls

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() thread
        except OSError:
            pass
        self.sock.close()


@pytest.fixture
def fake_rfb():
    servers = []

    def _make(**kwargs):
        server = FakeRFBServer(**kwargs)
        servers.append(server)
        return server
    yield _make
    for server in servers:
        server.close()
