"""ICMP echo from the host, for guests reached on their floating IPs (the
machine has no ``ping`` binary; a raw socket needs root, as the all-in-one
with Neutron does)."""

import os
import socket
import struct
import time


def _checksum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xffff)
    total += total >> 16
    return ~total & 0xffff


def echo(address, count=3, timeout=2.0):
    """How many of ``count`` echo requests to ``address`` were answered."""
    ident = os.getpid() & 0xffff
    answered = 0
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as sock:
        sock.settimeout(timeout)
        for seq in range(count):
            payload = b'nova-e2e'
            header = struct.pack('!BBHHH', 8, 0, 0, ident, seq)
            packet = struct.pack('!BBHHH', 8, 0, _checksum(header + payload), ident,
                                 seq) + payload
            sock.sendto(packet, (address, 0))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    reply, source = sock.recvfrom(1500)
                except socket.timeout:
                    break
                header_len = (reply[0] & 0x0f) * 4
                kind, _code, _sum, rid, rseq = struct.unpack(
                    '!BBHHH', reply[header_len:header_len + 8])
                if source[0] == address and kind == 0 and rid == ident and rseq == seq:
                    answered += 1
                    break
    return answered


def reachable(address, attempts=10, interval=2.0):
    """True once ``address`` answers an echo (a new floating IP takes a moment)."""
    for _ in range(attempts):
        if echo(address, count=1):
            return True
        time.sleep(interval)
    return False
