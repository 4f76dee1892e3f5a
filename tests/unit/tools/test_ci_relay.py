"""tools/ci/relay.py: the fresh machine's proxy, end to end over a Unix socket."""

import asyncio
import importlib.util
import os

import pytest

SPEC = importlib.util.spec_from_file_location(
    'relay', os.path.join(os.path.dirname(__file__), '..', '..', '..', 'tools', 'ci',
                          'relay.py'))
relay = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(relay)


def test_targets_of_proxy_requests():
    assert relay.parse_target(b'CONNECT pypi.org:443 HTTP/1.1\r\nHost: x\r\n\r\n') == \
        ('CONNECT', 'pypi.org', 443)
    assert relay.parse_target(b'GET http://deb.debian.org/debian/x HTTP/1.1\r\n\r\n') == \
        ('GET', 'deb.debian.org', 80)
    assert relay.parse_target(b'GET http://127.0.0.1:8080/ HTTP/1.1\r\n\r\n') == \
        ('GET', '127.0.0.1', 8080)
    for bad in (b'GET /relative HTTP/1.1\r\n\r\n', b'garbage\r\n\r\n'):
        with pytest.raises(ValueError):
            relay.parse_target(bad)


def test_http_and_connect_through_the_relay(tmp_path):
    sock = str(tmp_path / 'relay.sock')

    async def origin(reader, writer):
        head = await reader.readuntil(b'\r\n\r\n')
        body = b'seen: ' + head.split(b'\r\n', 1)[0]
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s' % (len(body), body))
        await writer.drain()
        writer.close()

    async def scenario():
        server = await asyncio.start_server(origin, '127.0.0.1', 0)
        port = server.sockets[0].getsockname()[1]
        proxy = asyncio.ensure_future(relay.proxy(sock))
        while not os.path.exists(sock):
            await asyncio.sleep(0.01)
        # plain http, absolute form
        reader, writer = await asyncio.open_unix_connection(sock)
        writer.write(b'GET http://127.0.0.1:%d/a HTTP/1.1\r\nHost: x\r\n\r\n' % port)
        plain = await reader.read()
        # a CONNECT tunnel
        reader, writer = await asyncio.open_unix_connection(sock)
        writer.write(b'CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n' % port)
        established = await reader.readuntil(b'\r\n\r\n')
        writer.write(b'GET /b HTTP/1.1\r\nHost: x\r\n\r\n')
        tunnelled = await reader.read()
        # nothing listening there
        reader, writer = await asyncio.open_unix_connection(sock)
        writer.write(b'CONNECT 127.0.0.1:1 HTTP/1.1\r\n\r\n')
        refused = await reader.read()
        proxy.cancel()
        server.close()
        return plain, established, tunnelled, refused

    plain, established, tunnelled, refused = asyncio.run(scenario())
    assert plain.startswith(b'HTTP/1.1 200')
    assert b'seen: GET http://127.0.0.1:' in plain and plain.endswith(b'/a HTTP/1.1')
    assert established.startswith(b'HTTP/1.1 200')
    assert tunnelled.endswith(b'seen: GET /b HTTP/1.1')
    assert refused.startswith(b'HTTP/1.1 502')
