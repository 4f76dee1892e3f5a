"""The multi-node all-in-one (``tools/allinone up --computes 3 --virt fake``, with
Keystone, as osc-placement needs its catalog): compute nodes as separate hosts,
and the moves between them, on one cloud.

Each node is a network namespace with its own address, host name and
nova-compute; a server is booted onto each node by name (2.74 ``--host``)
with the openstack CLI and lands there; ``status`` lists the nodes.

Then resize, cold migration and evacuation go between the nodes as a user and
an administrator would make them with ``openstack server resize``, ``resize
confirm``, ``resize revert``, ``server migrate`` and ``server evacuate``. After
each step ``server show``, ``server migration list`` and osc-placement's
``resource provider usage show`` of every node agree. The fake driver keeps
the nodes' guests. The libvirt variant (every move of a nova-test-guest
server, disks copied between the nodes' libvirtd) is too long for CI: it is
``python -m tools.bench.libvirt_moves`` against ``tools/allinone up
--computes 3 --virt libvirt``.

Last, ``down`` leaves no namespace or bridge behind. Set NOVA_SKIP_ALLINONE=1
to skip.
"""

import os
import subprocess
import time

import pytest

from tests.e2e import test_allinone
from tests.e2e import user_flows
from tests.fixtures import rabbit
from tools.allinone_lib import layout
from tools.allinone_lib import nodes
from tools.allinone_lib import nova as nova_install
from tools.allinone_lib import procs

pytestmark = pytest.mark.skipif(bool(os.environ.get('NOVA_SKIP_ALLINONE')),
                                reason='NOVA_SKIP_ALLINONE is set')
NAME = 'mover'
COMPUTES = 3
TINY = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}
SMALL = {'VCPU': 1, 'MEMORY_MB': 2048, 'DISK_GB': 20}
NOTHING = {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    """Three fake compute nodes behind Keystone (osc-placement needs its catalog)."""
    reason = rabbit.unavailable_reason()
    if not reason and os.geteuid() != 0:
        reason = 'network namespaces need root'
    if reason:
        pytest.skip(reason)
    state_dir = tmp_path_factory.mktemp('moves-aio') / 'allinone'
    try:
        test_allinone.allinone(state_dir, 'up', '--virt', 'fake', '--computes',
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


def _usages(state_dir, hosts):
    """{host: {resource class: used}} as osc-placement shows each node."""
    providers = {p['name']: p['uuid']
                 for p in user_flows.osc(state_dir, 'resource provider list')}
    found = {}
    for host in hosts:
        rows = user_flows.osc(state_dir, 'resource provider usage show', providers[host])
        found[host] = {r['resource_class']: r['usage'] for r in rows
                       if r['resource_class'] in NOTHING}
    return found


def _expect(hosts, **held):
    return {h: held.get(h, NOTHING) for h in hosts}


def _migrations(state_dir):
    return user_flows.osc(state_dir, '--os-compute-api-version 2.59',
                          'server migration list', '--server', NAME)


def test_resize_migrate_and_evacuate_between_nodes(cloud):
    state = layout.State(str(cloud))
    hosts = nodes.host_names(state)
    first = hosts[0]
    shown = user_flows.osc(cloud, '--os-compute-api-version 2.74', 'server create',
                           '--flavor m1.tiny --image cirros-fake --nic none',
                           '--host', first, '--wait', NAME)
    assert shown['OS-EXT-SRV-ATTR:host'] == first
    assert _usages(cloud, hosts) == _expect(hosts, **{first: TINY})

    # Resize: the migration holds the source, the server the new flavor elsewhere.
    user_flows.osc_plain(cloud, 'server resize --flavor m1.small', NAME)
    shown = user_flows._wait_status(cloud, NAME, 'VERIFY_RESIZE')
    second = shown['OS-EXT-SRV-ATTR:host']
    assert second != first
    [migration] = _migrations(cloud)
    assert (migration['Status'], migration['Type']) == ('finished', 'resize')
    assert (migration['Source Compute'], migration['Dest Compute']) == (first, second)
    assert _usages(cloud, hosts) == _expect(hosts, **{first: TINY, second: SMALL})
    user_flows.osc_plain(cloud, 'server resize confirm', NAME)
    shown = user_flows._wait_status(cloud, NAME, 'ACTIVE')
    assert 'm1.small' in str(shown['flavor'])
    assert _migrations(cloud)[0]['Status'] == 'confirmed'
    assert _usages(cloud, hosts) == _expect(hosts, **{second: SMALL})

    # Cold migration to a named node, then reverted: everything as it was.
    third = next(h for h in hosts if h not in (first, second))
    user_flows.osc_plain(cloud, '--os-compute-api-version 2.56', 'server migrate',
                         '--host', third, NAME)
    shown = user_flows._wait_status(cloud, NAME, 'VERIFY_RESIZE')
    assert shown['OS-EXT-SRV-ATTR:host'] == third
    assert _migrations(cloud)[0]['Type'] == 'migration'
    assert _usages(cloud, hosts) == _expect(hosts, **{second: SMALL, third: SMALL})
    user_flows.osc_plain(cloud, 'server resize revert', NAME)
    shown = user_flows._wait_status(cloud, NAME, 'ACTIVE')
    assert shown['OS-EXT-SRV-ATTR:host'] == second
    assert _migrations(cloud)[0]['Status'] == 'reverted'
    assert _usages(cloud, hosts) == _expect(hosts, **{second: SMALL})

    # Evacuation: the node's nova-compute stops and is forced down.
    procs.stop(state, nodes.proc_name(second, 'nova-compute'))
    user_flows.osc_plain(cloud, '--os-compute-api-version 2.11', 'compute service set',
                         '--down', second, 'nova-compute')
    try:
        user_flows.osc_plain(cloud, '--os-compute-api-version 2.68', 'server evacuate',
                             NAME)
        shown = user_flows._wait_status(cloud, NAME, 'ACTIVE')
        evacuated_to = shown['OS-EXT-SRV-ATTR:host']
        assert evacuated_to not in (second, None)
        assert (_migrations(cloud)[0]['Type'], _migrations(cloud)[0]['Status']) == (
            'evacuation', 'done')
        # Until the dead node comes back, the migration holds what was there.
        assert _usages(cloud, hosts) == _expect(hosts, **{second: SMALL,
                                                          evacuated_to: SMALL})
    finally:
        nodes.start_compute(state, second, nova_install.python_bin('nova-compute'))
        user_flows.osc_plain(cloud, '--os-compute-api-version 2.11', 'compute service set',
                             '--up', second, 'nova-compute')
    # Back, the node frees the evacuated server's old allocation.
    deadline = time.monotonic() + 120
    while _usages(cloud, hosts) != _expect(hosts, **{evacuated_to: SMALL}):
        assert time.monotonic() < deadline, _usages(cloud, hosts)
        time.sleep(1)
    assert _migrations(cloud)[0]['Status'] == 'completed'
    user_flows.osc_plain(cloud, 'server delete --wait', NAME)
    assert _usages(cloud, hosts) == _expect(hosts)
    assert test_allinone.allinone(cloud, 'status').returncode == 0


def test_down_removes_the_nodes(cloud):
    state = layout.State(str(cloud))
    holders = [nodes.holder_pid(state, h) for h in nodes.host_names(state)]
    assert all(holders)
    test_allinone.allinone(cloud, 'down')
    assert not any(nodes.holder_pid(state, h) for h in nodes.host_names(state))
    listed = subprocess.run(['ip', 'netns', 'list'], capture_output=True, text=True).stdout
    assert nodes.netns_name(state, 'compute1') not in listed
    assert not nodes.link_exists(nodes.bridge_name(state))
