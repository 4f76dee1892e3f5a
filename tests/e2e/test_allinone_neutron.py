"""``tools/allinone up --network neutron`` as an operator runs it: a real Neutron
server (ML2/OVN) with Open vSwitch's userspace datapath, OVN and the metadata
agent, devstack's networks, then a port bound to a host-side OVS interface
going ACTIVE, and ``down --purge`` leaving no process, namespace, interface or
database behind.

Needs root (OVS makes tap devices, the metadata agent namespaces), MariaDB
(Neutron's migrations), RabbitMQ and Debian's openvswitch-switch, ovn-central,
ovn-host (tools/deps/apt-packages.txt).
"""

import json
import os
import shutil
import socket
import subprocess
import time

import pytest

from tests.e2e import user_flows
from tests.e2e.test_allinone import _alive
from tests.e2e.test_allinone import _free_offset
from tests.e2e.test_allinone import _pids
from tests.e2e.test_allinone import allinone
from tests.e2e.test_allinone import cloud  # noqa: F401 (fixture)

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


def test_neutron_up_port_active_down(cloud):  # noqa: F811 (fixture)
    reason = _unavailable()
    if reason:
        pytest.skip(reason)
    allinone(cloud, 'up', '--virt', 'fake', '--network', 'neutron',
             '--port-offset', str(_free_offset()))
    settings = json.load(open(cloud / 'allinone.json'))
    assert settings['network'] == 'neutron'
    pids = _pids(cloud)
    daemons = ('neutron-server', 'neutron-ovn-metadata-agent', 'ovsdb-server-ovs',
               'ovs-vswitchd', 'ovsdb-server-nb', 'ovsdb-server-sb', 'ovn-northd',
               'ovn-controller')
    for name in daemons:
        assert _alive(pids[name]), name
    status = allinone(cloud, 'status').stdout
    assert 'network:       neutron (ML2/OVN)' in status
    for name in daemons:
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
    port = user_flows.osc(cloud, 'port create --network private --host %s e2e-port' % host)
    assert port['binding_vif_type'] == 'ovs', port
    int_bridge = port['binding_vif_details']['bridge_name']
    assert int_bridge in _links()
    db = 'unix:%s' % (cloud / 'ovs' / 'db.sock')
    tap = 'nie2e%s' % port['id'][:8]
    subprocess.run(['ovs-vsctl', '--db=%s' % db, 'add-port', int_bridge, tap, '--', 'set',
                    'Interface', tap, 'type=internal',
                    'external_ids:iface-id=%s' % port['id']], check=True)
    _wait(lambda: user_flows.osc(cloud, 'port show', port['id'])['status'] == 'ACTIVE', 120,
          'the port did not go ACTIVE')
    # The metadata agent serves the network from its namespace.
    namespace = 'ovnmeta-%s' % networks['private']['ID']
    _wait(lambda: namespace in _netns(), 120, 'no metadata namespace')

    links = {int_bridge, tap, 'ex-%s' % int_bridge[len('int-'):]}
    assert links <= _links()
    allinone(cloud, 'down', '--purge')
    for name in daemons:
        assert not _alive(pids[name]), name
    assert namespace not in _netns()
    assert not links & _links()
    assert not {settings['db_prefix'] + 'neutron'} & _databases()
    assert not os.path.exists(cloud)
