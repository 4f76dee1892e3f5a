"""Carry the controller's loopback services into the compute nodes' namespaces.

    python -m tools.allinone_lib.relay --port 5672 --port 5000 ... \\
        --netns /run/netns/A --netns /run/netns/B

The controller's services (RabbitMQ, Keystone, Placement, Glance, ...) listen
on 127.0.0.1 of the machine, which a network namespace cannot reach: its
127.0.0.1 is its own. This process runs in the machine's namespace, opens a
listening socket on 127.0.0.1:<port> inside each node's namespace (a socket
stays in the namespace it was made in) and joins every connection accepted
there to a new connection to 127.0.0.1:<port> made here. So a node's
nova.conf uses the same URLs as the controller's, and nothing of the machine's
shared services has to listen anywhere else. Node-to-node traffic (libvirt,
QEMU migration streams, consoles) goes over the nodes' own addresses on the
bridge, not through this relay. Standard library only.
"""

import argparse
import ctypes
import os
import signal
import socket
import sys
import threading

CLONE_NEWNET = 0x40000000
BUFFER = 65536


def setns(fd):
    """Move this thread into the network namespace open as ``fd``."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, 'setns: %s' % os.strerror(err))


def listen_in(netns, port, host='127.0.0.1'):
    """A listening socket on host:port inside ``netns`` (then back home)."""
    home = os.open('/proc/self/ns/net', os.O_RDONLY)
    target = os.open(netns, os.O_RDONLY)
    try:
        setns(target)
        try:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(64)
            return sock
        finally:
            setns(home)
    finally:
        os.close(target)
        os.close(home)


def pump(src, dst):
    try:
        while True:
            data = src.recv(BUFFER)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for sock, how in ((dst, socket.SHUT_WR), (src, socket.SHUT_RD)):
            try:
                sock.shutdown(how)
            except OSError:
                pass


def serve_connection(client, port, host='127.0.0.1'):
    try:
        upstream = socket.create_connection((host, port), timeout=10)
        upstream.settimeout(None)
    except OSError:
        client.close()
        return
    for sock in (client, upstream):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    pump(client, upstream)
    back.join()
    client.close()
    upstream.close()


def accept_loop(listener, port):
    while True:
        try:
            client, _addr = listener.accept()
        except OSError:
            return
        threading.Thread(target=serve_connection, args=(client, port), daemon=True).start()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--port', type=int, action='append', required=True)
    parser.add_argument('--netns', action='append', required=True,
                        help='a network namespace file (/run/netns/<name>)')
    args = parser.parse_args(argv)
    listeners = []
    for netns in args.netns:
        for port in args.port:
            try:
                listeners.append((listen_in(netns, port), port))
            except OSError as exc:
                print('relay: %s port %d: %s' % (netns, port, exc), file=sys.stderr)
                return 1
    for listener, port in listeners:
        threading.Thread(target=accept_loop, args=(listener, port), daemon=True).start()
    print('relay: %d ports into %d namespaces' % (len(args.port), len(args.netns)),
          flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        signal.pause()


if __name__ == '__main__':
    sys.exit(main())
