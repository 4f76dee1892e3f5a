"""Resize, cold migration and evacuation with the openstack CLI on the multi-node
all-in-one (``tools/allinone up --computes 3 --virt fake``).

Each node is a separate host (its own network namespace, host name and
nova-compute); the moves go between them as a user and an administrator
would make them with ``openstack server resize``, ``resize confirm``,
``resize revert``, ``server migrate`` and ``server evacuate``. After each
step ``server show``, ``server migration list`` and osc-placement's
``resource provider usage show`` of every node agree. The fake driver keeps
the nodes' guests; the libvirt variant (disks copied between the nodes) is
not done yet. The cloud runs Keystone, as osc-placement needs its catalog.
Set NOVA_SKIP_ALLINONE=1 to skip.
"""

import os
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
