"""Neutron through the all-in-one as an operator and a user see it:
``tools/allinone up --virt libvirt --network neutron``, a real Neutron server
(ML2/OVN) with Open vSwitch's userspace datapath, OVN and the metadata agent,
devstack's networks; then ``openstack server create --network private --wait``;
last ``down --purge``.

First the operator's view: the daemons run and ``status`` lists them, nova.conf
and the catalog point at Neutron and this cloud's OVS, the networks, subnets
and router are devstack's, the host resolves the router's gateway on public,
and a port bound to this host and plugged as an OVS internal port goes ACTIVE
with the metadata agent serving its network.

Shown for servers: the server's ``addresses`` hold the fixed IP of its port;
the port is bound to the compute host and owned by the server (``port list
--server``); the guest got that address by DHCP from OVN and read its instance
id and host name from http://169.254.169.254 through the OVN metadata agent
(its console log says so); a floating IP from public attached with ``server
add floating ip`` shows in its addresses and answers ping from the host; a
user's own port is taken over and handed back unbound on delete, while the port
Nova made is deleted; nothing is left behind.

Last, ``down --purge`` leaves no process, namespace, interface or database
behind.

Needs root (OVS makes tap devices, the metadata agent namespaces), MariaDB
(Neutron's migrations), RabbitMQ and Debian's openvswitch-switch, ovn-central,
ovn-host (tools/deps/apt-packages.txt). Skips where QEMU guests cannot run, or
OVS/OVN/MariaDB are missing. Set NOVA_SKIP_ALLINONE=1 to skip in quick local
runs.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time

import pytest

from tests.e2e import icmp
from tests.e2e import test_allinone
from tests.e2e import user_flows
from tests.e2e.test_allinone import _alive
from tests.e2e.test_allinone import _pids
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures import rabbit
from tests.fixtures.waiting import wait_for
from tools.allinone_lib import virt

BOOT_TIMEOUT = 300

pytestmark = pytest.mark.skipif(bool(os.environ.get('NOVA_SKIP_ALLINONE')),
                                reason='NOVA_SKIP_ALLINONE is set')


def _unavailable():
    if os.geteuid() != 0:
        return 'needs root (tap devices and network namespaces)'
    missing = [b for b in ('ovs-vswitchd', 'ovsdb-server', 'ovn-northd', 'ovn-controller')
               if not shutil.which(b)]
    if missing:
        return 'OVS/OVN are not installed (%s)' % ', '.join(missing)
    from tools.allinone_lib import nova
    if not nova.mariadb_available():
        return 'no MariaDB on 127.0.0.1:3306'
    running = [line for line in subprocess.run(['ps', '-eo', 'pid,args'], capture_output=True,
                                               text=True).stdout.splitlines()
               if line.split()[1:2] == ['ovs-vswitchd']]
    if running:
        # The userspace datapath's ovs-netdev device is one per machine.
        return 'another ovs-vswitchd runs on this machine: %s' % running[0].strip()
    return None


def _links():
    out = subprocess.run(['ip', '-o', 'link', 'show'], capture_output=True, text=True).stdout
    return {line.split(':')[1].strip().split('@')[0] for line in out.splitlines()}


def _netns():
    out = subprocess.run(['ip', 'netns', 'list'], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def _databases():
    import pymysql
    conn = pymysql.connect(host='127.0.0.1', port=3306, user='root')
    try:
        with conn.cursor() as cur:
            cur.execute('SHOW DATABASES')
            return {row[0] for row in cur.fetchall()}
    finally:
        conn.close()


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def _neighbour(address):
    """The MAC the host resolved for ``address`` (after poking it), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b'allinone', (address, 9))
    out = subprocess.run(['ip', 'neigh', 'show', address], capture_output=True,
                         text=True).stdout.split()
    return out[out.index('lladdr') + 1] if 'lladdr' in out else None


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    reason = (rabbit.unavailable_reason() or virt.libvirt_driver_missing()
              or _unavailable())
    if reason:
        pytest.skip(reason)
    host_fixture.require_guest_host()
    state_dir = tmp_path_factory.mktemp('neutron-aio') / 'allinone'
    try:
        test_allinone.allinone(state_dir, 'up', '--virt', 'libvirt', '--network', 'neutron',
                               '--port-offset', str(test_allinone._free_offset()))
        yield state_dir
    finally:
        test_allinone.allinone(state_dir, 'down', '--purge', check=False)


def osc(cloud, *args):
    return user_flows.osc(cloud, *args)


def _console(cloud, name):
    return user_flows.osc_plain(cloud, 'console log show', name)


def _ports_of(cloud, server_id):
    return osc(cloud, 'port list --long --device-id', server_id)


DAEMONS = ('neutron-server', 'neutron-ovn-metadata-agent', 'ovsdb-server-ovs',
           'ovs-vswitchd', 'ovsdb-server-nb', 'ovsdb-server-sb', 'ovn-northd',
           'ovn-controller')
HOST_PORT = 'e2e-port'


def _host_port_links(port):
    """The OVS interfaces of the host port: integration bridge, tap, external bridge."""
    int_bridge = port['binding_vif_details']['bridge_name']
    tap = 'nie2e%s' % port['id'][:8]
    return int_bridge, tap, {int_bridge, tap, 'ex-%s' % int_bridge[len('int-'):]}


def test_neutron_daemons_networks_and_a_host_port(cloud):
    settings = json.load(open(cloud / 'allinone.json'))
    assert settings['network'] == 'neutron'
    pids = _pids(cloud)
    for name in DAEMONS:
        assert _alive(pids[name]), name
    status = test_allinone.allinone(cloud, 'status').stdout
    assert 'network:       neutron (ML2/OVN)' in status
    for name in DAEMONS:
        assert '%s %d' % (name, pids[name]) in ' '.join(status.split()), status

    # Nova's side finds Neutron in the catalog and this cloud's OVS in nova.conf.
    conf = open(cloud / 'nova.conf').read()
    assert '[neutron]' in conf and 'service_metadata_proxy = true' in conf
    assert 'ovsdb_connection = unix:%s' % (cloud / 'ovs' / 'db.sock') in conf
    services = user_flows.osc(cloud, 'catalog list')
    assert any(s['Type'] == 'network' for s in services), services

    networks = {n['Name']: n for n in user_flows.osc(cloud, 'network list')}
    assert {'private', 'public'} <= set(networks)
    public = user_flows.osc(cloud, 'network show public')
    assert public['router:external'] is True
    subnets = {s['Name']: s['Subnet'] for s in user_flows.osc(cloud, 'subnet list')}
    assert subnets['private-subnet'] == '10.0.0.0/26'
    assert subnets['public-subnet'] == settings['public_cidr']
    router = user_flows.osc(cloud, 'router show router1')
    gateway_ip = router['external_gateway_info']['external_fixed_ips'][0]['ip_address']
    # The host is on the public network: it resolves the router's gateway.
    assert _wait(lambda: _neighbour(gateway_ip), 60, 'no ARP answer from %s' % gateway_ip)

    # A port bound to this host and plugged as an OVS internal port goes ACTIVE.
    host = settings['host']
    port = user_flows.osc(cloud, 'port create --network private --host %s %s'
                          % (host, HOST_PORT))
    assert port['binding_vif_type'] == 'ovs', port
    int_bridge, tap, links = _host_port_links(port)
    assert int_bridge in _links()
    db = 'unix:%s' % (cloud / 'ovs' / 'db.sock')
    subprocess.run(['ovs-vsctl', '--db=%s' % db, 'add-port', int_bridge, tap, '--', 'set',
                    'Interface', tap, 'type=internal',
                    'external_ids:iface-id=%s' % port['id']], check=True)
    _wait(lambda: user_flows.osc(cloud, 'port show', port['id'])['status'] == 'ACTIVE', 120,
          'the port did not go ACTIVE')
    # The metadata agent serves the network from its namespace.
    namespace = 'ovnmeta-%s' % networks['private']['ID']
    _wait(lambda: namespace in _netns(), 120, 'no metadata namespace')

    assert links <= _links()


def test_server_on_private_gets_its_address_by_dhcp_and_metadata(cloud):
    server = osc(cloud, 'server create --flavor m1.tiny --image nova-test-guest '
                 '--network private --wait vm1')
    assert server['status'] == 'ACTIVE', server
    (port,) = _ports_of(cloud, server['id'])
    address = port['Fixed IP Addresses'][0]['ip_address']
    shown = osc(cloud, 'server show vm1')
    assert shown['addresses'] == {'private': [address]}, shown['addresses']
    detail = osc(cloud, 'port show', port['ID'])
    assert detail['device_owner'] == 'compute:nova'
    assert detail['binding_host_id'] == shown['OS-EXT-SRV-ATTR:host']
    assert detail['binding_vif_type'] == 'ovs'
    assert detail['status'] == 'ACTIVE'

    def booted():
        text = _console(cloud, 'vm1')
        return text if 'nova-test-guest: up' in text else None
    log = wait_for(booted, BOOT_TIMEOUT, interval=3, what='the guest finishing its boot')
    assert re.search(r'nova-test-guest: dhcp eth0 %s\b' % re.escape(address), log), log
    # The OVN metadata agent's proxy, then nova's metadata API with signed headers.
    assert re.search(r'nova-test-guest: metadata uuid %s\r?\n' % server['id'], log), log
    assert re.search(r'nova-test-guest: metadata hostname vm1(\.novalocal)?\r?\n', log), log

    _floating_ip_reaches_the_guest(cloud, shown, address)

    user_flows.osc_plain(cloud, 'server delete --wait vm1')
    assert _ports_of(cloud, server['id']) == []


def _addresses(cloud, name):
    return osc(cloud, 'server show', name)['addresses'].get('private', [])


def _floating_ip_reaches_the_guest(cloud, server, fixed):
    """`server add floating ip` (Neutron's API; Nova learns it from its
    network-changed event): the address shows on the server and answers
    ping from the host over the public network; removed, it goes again."""
    groups = osc(cloud, 'security group list --project', server['project_id'])
    (default,) = [g['ID'] for g in groups if g['Name'] == 'default']
    osc(cloud, 'security group rule create --proto icmp', default)
    fip = osc(cloud, 'floating ip create public')['floating_ip_address']
    user_flows.osc_plain(cloud, 'server add floating ip vm1', fip)
    wait_for(lambda: _addresses(cloud, 'vm1') == [fixed, fip], 60, interval=2,
             what='the floating IP in the server addresses')
    assert icmp.reachable(fip), 'floating IP %s does not answer ping' % fip
    user_flows.osc_plain(cloud, 'server remove floating ip vm1', fip)
    wait_for(lambda: _addresses(cloud, 'vm1') == [fixed], 60, interval=2,
             what='the floating IP gone from the server addresses')
    assert icmp.echo(fip, count=1) == 0
    user_flows.osc_plain(cloud, 'floating ip delete', fip)


def test_users_port_is_taken_over_and_handed_back(cloud):
    port = osc(cloud, 'port create --network private e2e-own-port')
    server = osc(cloud, 'server create --flavor m1.tiny --image nova-test-guest '
                 '--nic port-id=%s --wait vm2' % port['id'])
    assert server['status'] == 'ACTIVE', server
    ports = osc(cloud, 'port list --server vm2')
    assert [p['ID'] for p in ports] == [port['id']]
    user_flows.osc_plain(cloud, 'server delete --wait vm2')
    after = osc(cloud, 'port show', port['id'])
    assert after['device_id'] == '' and after['binding_host_id'] in ('', None)
    user_flows.osc_plain(cloud, 'port delete', port['id'])


def test_down_purge_leaves_nothing_behind(cloud):
    settings = json.load(open(cloud / 'allinone.json'))
    pids = _pids(cloud)
    networks = {n['Name']: n for n in user_flows.osc(cloud, 'network list')}
    namespace = 'ovnmeta-%s' % networks['private']['ID']
    assert namespace in _netns()
    _, _, links = _host_port_links(user_flows.osc(cloud, 'port show', HOST_PORT))
    assert links <= _links()
    test_allinone.allinone(cloud, 'down', '--purge')
    for name in DAEMONS:
        assert not _alive(pids[name]), name
    assert namespace not in _netns()
    assert not links & _links()
    assert not {settings['db_prefix'] + 'neutron'} & _databases()
    assert not os.path.exists(cloud)
