"""Servers on a Neutron network, as a user boots them: the all-in-one with the
libvirt driver and Neutron (ML2/OVN, OVS userspace datapath), then
``openstack server create --network private --wait``.

Shown: the server's ``addresses`` hold the fixed IP of its port; the port is
bound to the compute host and owned by the server (``port list --server``);
the guest got that address by DHCP from OVN and read its instance id and
host name from http://169.254.169.254 through the OVN metadata agent (its
console log says so); a floating IP from public attached with ``server add
floating ip`` shows in its addresses and answers ping from the host; a user's
own port is taken over and handed back unbound on delete, while the port Nova
made is deleted; nothing is left behind.

Skips where QEMU guests cannot run, or OVS/OVN/MariaDB are missing. Set
NOVA_SKIP_ALLINONE=1 to skip in quick local runs.
"""

import os
import re

import pytest

from tests.e2e import icmp
from tests.e2e import test_allinone
from tests.e2e import user_flows
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures import rabbit
from tests.fixtures.waiting import wait_for
from tools.allinone_lib import virt

BOOT_TIMEOUT = 300

pytestmark = pytest.mark.skipif(bool(os.environ.get('NOVA_SKIP_ALLINONE')),
                                reason='NOVA_SKIP_ALLINONE is set')


def _neutron_unavailable():
    try:
        from tests.e2e import test_allinone_neutron
    except ImportError:
        return 'the all-in-one cannot bring up Neutron here'
    return test_allinone_neutron._unavailable()


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    reason = (rabbit.unavailable_reason() or virt.libvirt_driver_missing()
              or _neutron_unavailable())
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
