"""Console output and remote consoles of libvirt guests (a mixin of LibvirtDriver).

Remote console endpoints are read from the live domain XML, where libvirt
wrote the ports it picked; the host part comes from nova.conf, because the
proxies reach the hypervisor through its proxyclient address.
"""

import os
import socket
import threading

from oslo_log import log as logging

import nova.conf
from nova.console import type as ctype
from nova import exception
from nova.virt.libvirt import imagebackend

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Upstream returns at most the last 100 KiB of a guest's console log.
MAX_CONSOLE_BYTES = 100 * 1024

_SERIAL_PORT_LOCK = threading.Lock()


def tail(path, max_bytes=MAX_CONSOLE_BYTES):
    with open(path, 'rb') as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - max_bytes))
        return f.read()


def _port_range():
    start, _, end = CONF.serial_console.port_range.partition(':')
    return int(start), int(end)


def _used_serial_ports(host):
    used = set()
    for guest in host.list_guests():
        try:
            tree = guest.get_xml_tree(dump_inactive=True)
        except Exception:  # a domain vanishing under us is not our problem here
            continue
        for source in tree.findall("./devices/serial[@type='tcp']/source"):
            if source.get('service'):
                used.add(int(source.get('service')))
    return used


def acquire_serial_port(host):
    """A TCP port of ``[serial_console] port_range`` no guest uses and nothing listens on."""
    address = CONF.serial_console.proxyclient_address
    start, end = _port_range()
    with _SERIAL_PORT_LOCK:
        used = _used_serial_ports(host)
        for port in range(start, end + 1):
            if port in used:
                continue
            with socket.socket(socket.AF_INET6 if ':' in address else socket.AF_INET) as sock:
                try:
                    sock.bind((address, port))
                except OSError:
                    continue
            return port
    raise exception.SocketPortRangeExhaustedException(host=address)


class ConsoleMixin(object):
    """get_console_output and the VNC / SPICE / serial console endpoints."""

    def get_console_output(self, context, instance):
        self._host.get_guest(instance)  # InstanceNotFound for an unknown guest
        path = imagebackend.instance_path(instance, imagebackend.CONSOLE_LOG)
        if not os.path.exists(path):
            LOG.info('Instance %s has no console log yet', instance.uuid)
            return b''
        return tail(path)

    def _graphics(self, instance, kind):
        tree = self._host.get_guest(instance).get_xml_tree()
        node = tree.find("./devices/graphics[@type='%s']" % kind)
        if node is None:
            raise exception.ConsoleTypeUnavailable(console_type=kind)
        return node

    def get_vnc_console(self, context, instance):
        node = self._graphics(instance, 'vnc')
        port = int(node.get('port', '-1'))
        if port <= 0:
            raise exception.ConsoleTypeUnavailable(console_type='vnc')
        return ctype.ConsoleVNC(host=CONF.vnc.server_proxyclient_address, port=port)

    def get_spice_console(self, context, instance):
        node = self._graphics(instance, 'spice')
        port = int(node.get('port', '-1'))
        tls_port = int(node.get('tlsPort', '-1'))
        if port <= 0 and tls_port <= 0:
            raise exception.ConsoleTypeUnavailable(console_type='spice')
        return ctype.ConsoleSpice(host=CONF.spice.server_proxyclient_address,
                                  port=port if port > 0 else None,
                                  tlsPort=tls_port if tls_port > 0 else None)

    def get_serial_console(self, context, instance):
        if not CONF.serial_console.enabled:
            raise exception.ConsoleTypeUnavailable(console_type='serial')
        tree = self._host.get_guest(instance).get_xml_tree()
        for source in tree.findall("./devices/serial[@type='tcp']/source"):
            if source.get('mode') == 'bind' and source.get('service'):
                return ctype.ConsoleSerial(host=source.get('host'),
                                           port=int(source.get('service')))
        raise exception.ConsoleTypeUnavailable(console_type='serial')
