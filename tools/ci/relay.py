"""The fresh machine's one way out: an HTTP proxy reached through a Unix socket.

``tools/ci/fresh_machine`` runs its root filesystem in a network namespace
with nothing but loopback, so nothing inside can reach the host's servers or
ports. Package downloads (Debian's mirror, PyPI) still have to work: inside,
``forward`` listens on 127.0.0.1:3128 and passes each connection through a
Unix socket in the root filesystem to ``proxy``, which runs outside and does
what an HTTP proxy does (CONNECT tunnels for https, absolute-URI requests for
http). apt and pip inside use it through ``http_proxy``/``https_proxy``.

    python3 relay.py proxy --socket /path/relay.sock      (outside)
    python3 relay.py forward --socket /path/relay.sock    (inside)

Standard library only; it runs with whatever Python the host or the fresh
root has.
"""

import argparse
import asyncio
import os
import sys
import urllib.parse

HEADER_LIMIT = 65536


async def _pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError, OSError):
        pass
    finally:
        try:
            writer.close()
        except OSError:
            pass


async def _splice(r1, w1, r2, w2):
    await asyncio.gather(_pipe(r1, w2), _pipe(r2, w1))


def parse_target(head):
    """(method, host, port) of the first request line of ``head`` (bytes)."""
    line = head.split(b'\r\n', 1)[0].decode('latin-1')
    parts = line.split()
    if len(parts) != 3:
        raise ValueError('not an HTTP request line: %r' % line)
    method, target, _version = parts
    if method == 'CONNECT':
        host, _, port = target.rpartition(':')
        return method, host.strip('[]'), int(port)
    url = urllib.parse.urlsplit(target)
    if url.scheme != 'http' or not url.hostname:
        raise ValueError('a proxy request needs an absolute http URL: %r' % target)
    return method, url.hostname, url.port or 80


async def _serve_proxy_client(reader, writer):
    try:
        head = await reader.readuntil(b'\r\n\r\n')
        method, host, port = parse_target(head)
        up_reader, up_writer = await asyncio.wait_for(
            asyncio.open_connection(host, port), 60)
    except (ValueError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
            asyncio.TimeoutError) as exc:
        try:
            writer.write(b'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n'
                         b'Connection: close\r\n\r\n')
            await writer.drain()
            writer.close()
        except OSError:
            pass
        print('relay: %s' % exc, file=sys.stderr, flush=True)
        return
    if method == 'CONNECT':
        writer.write(b'HTTP/1.1 200 Connection established\r\n\r\n')
        await writer.drain()
    else:
        # Servers accept the absolute form of the request target (RFC 9112
        # 3.2.2), so the request goes on as the client wrote it.
        up_writer.write(head)
    await _splice(reader, writer, up_reader, up_writer)


async def proxy(socket_path):
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    server = await asyncio.start_unix_server(_serve_proxy_client, socket_path,
                                             limit=HEADER_LIMIT)
    os.chmod(socket_path, 0o666)
    print('relay: proxy on %s' % socket_path, flush=True)
    async with server:
        await server.serve_forever()


async def forward(socket_path, host, port):
    async def serve(reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_unix_connection(socket_path)
        except OSError as exc:
            print('relay: %s' % exc, file=sys.stderr, flush=True)
            writer.close()
            return
        await _splice(reader, writer, up_reader, up_writer)

    server = await asyncio.start_server(serve, host, port)
    print('relay: forwarding %s:%d to %s' % (host, port, socket_path), flush=True)
    async with server:
        await server.serve_forever()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('mode', choices=['proxy', 'forward'])
    parser.add_argument('--socket', required=True)
    parser.add_argument('--listen', default='127.0.0.1:3128', help='forward: host:port')
    args = parser.parse_args(argv)
    try:
        if args.mode == 'proxy':
            asyncio.run(proxy(args.socket))
        else:
            host, _, port = args.listen.rpartition(':')
            asyncio.run(forward(args.socket, host, int(port)))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
