"""tools/allinone --computes N: the nodes' names, addresses, files, and the relay."""

import configparser
import os
import socket
import threading

import pytest

from tools.allinone_lib import layout
from tools.allinone_lib import nodes
from tools.allinone_lib import relay


def _state(tmp_path, name='aio', computes=3, virt='libvirt'):
    state = layout.State(str(tmp_path / name))
    state.initialise(noauth=True, virt=virt, port_offset=0)
    state.settings['computes'] = computes
    state.settings['node_subnet'] = '10.213.7'
    return state


def test_interface_and_namespace_names_fit_and_differ_between_clouds(tmp_path):
    one, two = _state(tmp_path, 'one', computes=12), _state(tmp_path, 'two', computes=12)
    names = set()
    for state in (one, two):
        assert nodes.host_names(state)[-1] == 'compute12'
        for host in nodes.host_names(state):
            for name in nodes.veth_names(state, host) + (nodes.bridge_name(state),):
                assert len(name) <= 15, name  # IFNAMSIZ
            names.add(nodes.netns_name(state, host))
            names.update(nodes.veth_names(state, host))
    assert nodes.bridge_name(one) != nodes.bridge_name(two)
    assert len(names) == 2 * 12 * 3


def test_addresses_are_on_the_nodes_subnet(tmp_path):
    state = _state(tmp_path)
    assert nodes.gateway(state) == '10.213.7.1'
    assert [nodes.address(state, h) for h in nodes.host_names(state)] == [
        '10.213.7.11', '10.213.7.12', '10.213.7.13']


def test_the_subnet_avoids_addresses_in_use(tmp_path, monkeypatch):
    state = layout.State(str(tmp_path / 'aio'))
    state.initialise(noauth=True, virt='fake', port_offset=0)
    first = '%s.%d' % (nodes.SUBNET_BASE, int(nodes.tag(state), 16) % 250 + 1)
    monkeypatch.setattr(nodes, 'used_subnets', lambda: {first})
    chosen = nodes.subnet(state)
    assert chosen != first and chosen.startswith(nodes.SUBNET_BASE + '.')
    # Kept in the state directory for later ups.
    assert layout.State(state.path).settings['node_subnet'] == chosen


def test_node_files_give_each_node_its_own_identity(tmp_path):
    state = _state(tmp_path)
    uuids = set()
    for host in nodes.host_names(state):
        nodes.write_node_files(state, host, libvirt=True)
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(nodes.node_conf(state, host))
        assert conf['DEFAULT']['host'] == host
        assert conf['DEFAULT']['my_ip'] == nodes.address(state, host)
        # One instances_path on every node, as on real hosts; private by mount.
        assert conf['DEFAULT']['instances_path'] == nodes.instances_path(state)
        assert conf['libvirt']['live_migration_inbound_addr'] == nodes.address(state, host)
        assert conf['vnc']['server_proxyclient_address'] == nodes.address(state, host)
        etc = os.path.join(nodes.node_dir(state, host), 'libvirt', 'etc')
        with open(os.path.join(etc, 'libvirtd.conf')) as f:
            text = f.read()
        assert 'listen_addr = "%s"' % nodes.address(state, host) in text
        uuids.add(text.split('host_uuid = "')[1].split('"')[0])
    assert len(uuids) == 3  # libvirt refuses to migrate between hosts of one UUID


def test_binds_cover_libvirt_and_the_instances_directory(tmp_path):
    state = _state(tmp_path)
    targets = dict((t, s) for s, t in nodes.binds(state, 'compute2', libvirt=True))
    for target in ('/run/libvirt', '/var/lib/libvirt', '/etc/libvirt', '/var/log/libvirt',
                   '/etc/hosts', nodes.instances_path(state)):
        assert target in targets
    assert targets[nodes.instances_path(state)] == nodes.private_instances(state, 'compute2')
    fake = [t for _s, t in nodes.binds(state, 'compute2', libvirt=False)]
    assert '/run/libvirt' not in fake and nodes.instances_path(state) in fake


def test_hosts_file_names_every_node(tmp_path):
    state = _state(tmp_path)
    with open(nodes.write_hosts(state)) as f:
        lines = f.read().split('\n')
    assert '10.213.7.1 controller' in lines
    assert '10.213.7.13 compute3' in lines


@pytest.mark.skipif(os.geteuid() != 0, reason='setns needs root')
def test_relay_carries_a_connection_to_the_machine_s_port():
    echo = socket.socket()
    echo.bind(('127.0.0.1', 0))
    echo.listen(1)

    def serve():
        conn, _ = echo.accept()
        conn.sendall(conn.recv(100).upper())
        conn.close()
    threading.Thread(target=serve, daemon=True).start()
    # Our own namespace stands in for a node's: the relay listens on another port.
    listener = relay.listen_in('/proc/self/ns/net', 0)
    threading.Thread(target=relay.accept_loop, args=(listener, echo.getsockname()[1]),
                     daemon=True).start()
    client = socket.create_connection(listener.getsockname(), timeout=10)
    client.sendall(b'hello')
    assert client.recv(100) == b'HELLO'
    client.close()
    listener.close()
    echo.close()
