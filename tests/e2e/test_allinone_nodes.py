"""``tools/allinone up --computes 3 --virt fake``: compute nodes as separate hosts.

Each node is a network namespace with its own address, host name and
nova-compute; a server is booted onto each node by name (2.74 ``--host``)
with the openstack CLI and lands there; ``status`` lists the nodes; ``down
--purge`` leaves no namespace or bridge behind. The libvirt variant (a
libvirtd per node, guests in each) is exercised by the live-migration e2e
test. Set NOVA_SKIP_ALLINONE=1 to skip.
"""

import os
import subprocess

import pytest

from tests.e2e import test_allinone
from tests.e2e import user_flows
from tests.fixtures import rabbit
from tools.allinone_lib import layout
from tools.allinone_lib import nodes

pytestmark = pytest.mark.skipif(bool(os.environ.get('NOVA_SKIP_ALLINONE')),
                                reason='NOVA_SKIP_ALLINONE is set')
COMPUTES = 3


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    reason = rabbit.unavailable_reason()
    if not reason and os.geteuid() != 0:
        reason = 'network namespaces need root'
    if reason:
        pytest.skip(reason)
    state_dir = tmp_path_factory.mktemp('nodes-aio') / 'allinone'
    try:
        test_allinone.allinone(state_dir, 'up', '--virt', 'fake', '--noauth', '--computes',
                               str(COMPUTES), '--port-offset',
                               str(test_allinone._free_offset()))
        yield state_dir
    finally:
        test_allinone.allinone(state_dir, 'down', '--purge', check=False)


def _in_node(state, host, *cmd):
    return subprocess.run(nodes.enter(state, host) + list(cmd), capture_output=True,
                          text=True, timeout=60, check=True).stdout.strip()


def test_a_server_boots_onto_each_node(cloud):
    state = layout.State(str(cloud))
    hosts = nodes.host_names(state)
    assert hosts == ['compute%d' % i for i in range(1, COMPUTES + 1)]
    services = user_flows.osc(cloud, 'compute service list', '--service', 'nova-compute')
    assert sorted(s['Host'] for s in services) == hosts
    assert all(s['State'] == 'up' for s in services)
    hypervisors = user_flows.osc(cloud, 'hypervisor list', '--long')
    assert {h['Hypervisor Hostname']: h['Host IP'] for h in hypervisors} == {
        h: nodes.address(state, h) for h in hosts}
    for host in hosts:
        # Each node is its own host: its name, its address, nothing of the others'.
        assert _in_node(state, host, 'hostname') == host
        addresses = _in_node(state, host, 'ip', '-4', '-o', 'addr', 'show', 'eth0')
        assert nodes.address(state, host) + '/24' in addresses
        others = [nodes.address(state, h) for h in hosts if h != host]
        assert not any(a + '/' in addresses for a in others)
        # The nodes reach each other over the bridge: a closed port answers
        # with a reset (ECONNREFUSED), where an unreachable host times out.
        code = _in_node(state, host, 'python3', '-c',
                        'import socket; s = socket.socket(); s.settimeout(10); '
                        'print(s.connect_ex(("%s", 9)))' % others[0])
        assert code == '111', code
    for host in hosts:
        shown = user_flows.osc(cloud, '--os-compute-api-version 2.74', 'server create',
                               '--flavor m1.tiny --image cirros-fake --nic none',
                               '--host', host, '--wait', 'on-' + host)
        assert shown['OS-EXT-SRV-ATTR:host'] == host
        assert shown['status'] == 'ACTIVE'
    listed = user_flows.osc(cloud, 'server list', '--long')
    assert sorted(s['Host'] for s in listed) == hosts
    status = test_allinone.allinone(cloud, 'status').stdout
    for host in hosts:
        assert '%s   %s' % (host, nodes.address(state, host)) in status
    user_flows.osc_plain(cloud, 'server delete --wait ' + ' '.join('on-' + h for h in hosts))


def test_down_removes_the_nodes(cloud):
    state = layout.State(str(cloud))
    holders = [nodes.holder_pid(state, h) for h in nodes.host_names(state)]
    assert all(holders)
    test_allinone.allinone(cloud, 'down')
    assert not any(nodes.holder_pid(state, h) for h in nodes.host_names(state))
    listed = subprocess.run(['ip', 'netns', 'list'], capture_output=True, text=True).stdout
    assert nodes.netns_name(state, 'compute1') not in listed
    assert not nodes.link_exists(nodes.bridge_name(state))
