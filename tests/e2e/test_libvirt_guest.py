"""A real guest through the all-in-one: libvirt driver, Keystone, the openstack CLI.

``tools/allinone up --virt libvirt`` in a temporary state directory, then what a
user does with the project's test guest (tools/guest_image): boot with a
config drive and user data, read the console log, reboot soft and hard,
stop/start, pause/unpause, suspend/resume, snapshot and boot the snapshot,
delete everything. While the first server runs, its consoles are used through
the all-in-one's proxies with the URLs ``openstack console url show`` gives:
noVNC in headless Chromium, the serial port with a websocket client (the
guest's tty echoes what is typed), SPICE's link handshake; a wrong token is
refused. libvirt is checked directly (virsh) for the domain states
and for nothing left behind; Placement for zero usages.
Last, Secure RBAC with real Keystone users on this cloud (tests/e2e/rbac.py):
a project's member boots, its reader only reads, another project's member sees
nothing, and none of them reaches the admin-only resources.

Skips where QEMU guests cannot run (tests/fixtures/libvirt_host.py says why)
or the libvirt driver is not there. Set NOVA_SKIP_ALLINONE=1 to skip in quick
local runs.
"""

import importlib.util
import os
import re
import struct
import time
import urllib.parse
import uuid

import pytest
import websocket

from tests.e2e import browser as browser_helpers
from tests.e2e import rbac
from tests.e2e import test_allinone
from tests.e2e import user_flows
from tests.e2e.browser import browser  # noqa: F401 (pytest fixture)
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures import rabbit
from tests.fixtures.waiting import wait_for
from tools.allinone_lib import virt

READY = 'nova-test-guest: ready'
USER_DATA = '#!/bin/sh\necho e2e user data from a file\n'
# Generous deadlines: guests run under QEMU TCG on a shared 2-core machine.
BOOT_TIMEOUT = 180
ACTION_TIMEOUT = 300

pytestmark = pytest.mark.skipif(bool(os.environ.get('NOVA_SKIP_ALLINONE')),
                                reason='NOVA_SKIP_ALLINONE is set')


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    reason = rabbit.unavailable_reason() or virt.libvirt_driver_missing()
    if importlib.util.find_spec('nova.api.openstack.compute.console_output') is None:
        reason = reason or 'the server actions API (console output, reboot, ...) is missing'
    if reason:
        pytest.skip(reason)
    host_fixture.require_guest_host()
    state_dir = tmp_path_factory.mktemp('libvirt-aio') / 'allinone'
    try:
        test_allinone.allinone(state_dir, 'up', '--virt', 'libvirt', '--port-offset',
                               str(test_allinone._free_offset()))
        yield state_dir
    finally:
        test_allinone.allinone(state_dir, 'down', '--purge', check=False)


def osc(cloud, *args):
    return user_flows.osc(cloud, *args)


def plain(cloud, *args):
    return user_flows.osc_plain(cloud, *args)


def server(cloud, name):
    return osc(cloud, 'server show', name)


def wait_status(cloud, name, status, timeout=ACTION_TIMEOUT):
    def reached():
        shown = server(cloud, name)
        assert shown['status'] != 'ERROR', shown
        settled = shown['status'] == status and not shown.get('OS-EXT-STS:task_state')
        return shown if settled else None
    return wait_for(reached, timeout=timeout, interval=1, what='%s %s' % (name, status))


def console(cloud, name):
    return plain(cloud, 'console log show', name)


def wait_console(cloud, name, text, timeout=BOOT_TIMEOUT):
    return wait_for(lambda: text in console(cloud, name) and console(cloud, name),
                    timeout=timeout, interval=1, what='%r in the console of %s' % (text, name))


def domain_name(cloud, name):
    return server(cloud, name)['OS-EXT-SRV-ATTR:instance_name']


def domain_id(domain):
    """libvirt gives a domain a new id each time it starts."""
    return host_fixture.virsh('domid', domain).stdout.strip()


def wait_domain_state(domain, state, timeout=ACTION_TIMEOUT):
    wait_for(lambda: host_fixture.domain_state(domain) == state, timeout=timeout,
             interval=0.5, what='domain %s %s' % (domain, state))


def wait_rebooted(cloud, name, domain, old_id):
    wait_status(cloud, name, 'ACTIVE')
    wait_for(lambda: host_fixture.domain_state(domain) == 'running'
             and domain_id(domain) != old_id, timeout=ACTION_TIMEOUT, interval=0.5,
             what='%s started again' % domain)
    wait_console(cloud, name, READY)


def usages(cloud):
    totals = {}
    for provider in osc(cloud, 'resource provider list'):
        for row in osc(cloud, 'resource provider usage show', provider['uuid']):
            totals[row['resource_class']] = totals.get(row['resource_class'], 0) + row['usage']
    return totals


@pytest.fixture(scope='module')
def vm1(cloud):
    """The first server, booted once; the console tests use it before the
    lifecycle test (last in this module) deletes it."""
    user_data = cloud / 'u.txt'
    user_data.write_text(USER_DATA)
    server = osc(cloud, 'server create --image nova-test-guest --flavor m1.tiny --nic none',
                 '--config-drive true --user-data %s --wait vm1' % user_data)
    assert server['status'] == 'ACTIVE', server
    return server


def console_url(cloud, kind, expected_base):
    """`openstack console url show --<kind> vm1`: the URL and its token."""
    shown = osc(cloud, 'console url show --%s vm1' % kind)
    url = shown['url']
    assert url.startswith(expected_base), shown
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    if 'path' in query:  # noVNC: path=websockify?token=...
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(query['path'][0]).query)
    return url, query['token'][0]


def proxy_port(cloud, name):
    return aio_state(cloud).port(name)


def assert_refused(url, **kwargs):
    with pytest.raises(websocket.WebSocketBadStatusException) as raised:
        websocket.create_connection(url, timeout=30, **kwargs).close()
    assert raised.value.status_code == 403, raised.value


def test_status_shows_the_console_proxies(cloud):
    out = test_allinone.allinone(cloud, 'status').stdout
    names = virt.console_proxies(aio_state(cloud))
    assert 'nova-serialproxy' in names, names
    for name in names:
        line = [row for row in out.splitlines() if row.startswith(name + ' ')]
        assert line and ' yes ' in line[0], out
        assert ':%d' % proxy_port(cloud, name) in line[0], out
        assert '(not listening)' not in line[0], out


def aio_state(cloud):
    from tools.allinone_lib import layout
    return layout.State(str(cloud))


def test_novnc_console_in_a_browser(cloud, vm1, browser):  # noqa: F811
    if not os.path.isdir(virt.NOVNC_DIR):
        pytest.skip('noVNC is not installed (%s): no noVNC proxy' % virt.NOVNC_DIR)
    wait_console(cloud, 'vm1', READY)
    port = proxy_port(cloud, 'nova-novncproxy')
    url, token = console_url(cloud, 'novnc', 'http://127.0.0.1:%d/vnc_lite.html?' % port)
    shot = browser_helpers.novnc_shows_screen(browser, url)
    (cloud / 'vm1-novnc.png').write_bytes(shot)
    assert_refused('ws://127.0.0.1:%d/websockify?token=%s' % (port, uuid.uuid4()))


def test_serial_console_through_the_proxy(cloud, vm1):
    wait_console(cloud, 'vm1', READY)
    port = proxy_port(cloud, 'nova-serialproxy')
    url, token = console_url(cloud, 'serial', 'ws://127.0.0.1:%d/' % port)
    assert_refused(url.replace(token, str(uuid.uuid4())))
    # The guest's init holds ttyS0 open with the kernel's default termios
    # (echo on, CR read as newline): a typed line comes back from the guest.
    marker = 'nova-e2e-serial-%s' % uuid.uuid4().hex[:8]
    conn = websocket.create_connection(url, timeout=5)
    received = b''
    try:
        deadline = time.monotonic() + 120
        next_send = 0
        while marker.encode() not in received and time.monotonic() < deadline:
            if time.monotonic() >= next_send:
                conn.send_binary(marker.encode() + b'\r')
                next_send = time.monotonic() + 10
            try:
                opcode, data = conn.recv_data()
            except websocket.WebSocketTimeoutException:
                continue
            assert opcode != websocket.ABNF.OPCODE_CLOSE, received
            received += data
    finally:
        conn.close()
    assert marker.encode() in received, received[-2000:]


def test_spice_console_through_the_proxy(cloud, vm1):
    if not os.path.isdir(virt.SPICE_HTML5_DIR):
        pytest.skip('spice-html5 is not installed (%s): no SPICE proxy'
                    % virt.SPICE_HTML5_DIR)
    port = proxy_port(cloud, 'nova-spicehtml5proxy')
    url, token = console_url(cloud, 'spice', 'http://127.0.0.1:%d/spice_auto.html?' % port)
    ws_url = 'ws://127.0.0.1:%d/websockify' % port
    # spice_auto.html puts the token in a cookie and opens the websocket.
    assert_refused(ws_url, cookie='token=%s' % uuid.uuid4())
    conn = websocket.create_connection(ws_url, timeout=30, cookie='token=%s' % token)
    try:
        # SpiceLinkHeader (magic, protocol 2.2, size) + SpiceLinkMess, main channel.
        link = struct.pack('<IBBIII', 0, 1, 0, 0, 0, 18)
        conn.send_binary(b'REDQ' + struct.pack('<III', 2, 2, len(link)) + link)
        reply = b''
        while len(reply) < 8:
            opcode, data = conn.recv_data()
            assert opcode != websocket.ABNF.OPCODE_CLOSE, reply
            reply += data
    finally:
        conn.close()
    assert reply[:4] == b'REDQ' and struct.unpack('<I', reply[4:8])[0] == 2, reply


def test_guest_lifecycle_through_the_cli(cloud, vm1):
    domain = domain_name(cloud, 'vm1')
    assert host_fixture.domain_state(domain) == 'running'

    log = wait_console(cloud, 'vm1', 'nova-test-guest: user_data end', timeout=60)
    assert READY in log
    assert 'nova-test-guest: uuid %s' % vm1['id'] in log
    assert 'echo e2e user data from a file' in log

    # Reboots: each starts the domain again and the guest prints its marker.
    for kind in ('--soft', '--hard'):
        before = domain_id(domain)
        plain(cloud, 'server reboot %s vm1' % kind)
        wait_rebooted(cloud, 'vm1', domain, before)

    plain(cloud, 'server stop vm1')
    wait_status(cloud, 'vm1', 'SHUTOFF')
    assert host_fixture.domain_state(domain) == 'shut off'
    before = domain_id(domain)  # '-' while shut off
    plain(cloud, 'server start vm1')
    wait_rebooted(cloud, 'vm1', domain, before)

    plain(cloud, 'server pause vm1')
    wait_status(cloud, 'vm1', 'PAUSED')
    assert host_fixture.domain_state(domain) == 'paused'
    plain(cloud, 'server unpause vm1')
    wait_status(cloud, 'vm1', 'ACTIVE')
    assert host_fixture.domain_state(domain) == 'running'

    plain(cloud, 'server suspend vm1')
    wait_status(cloud, 'vm1', 'SUSPENDED')
    assert host_fixture.domain_state(domain) == 'shut off'  # saved to disk
    plain(cloud, 'server resume vm1')
    wait_status(cloud, 'vm1', 'ACTIVE')
    assert host_fixture.domain_state(domain) == 'running'

    snapshot = osc(cloud, 'server image create --name vm1-snap --wait vm1')
    assert osc(cloud, 'image show', snapshot['id'])['status'] == 'active'
    vm2 = osc(cloud, 'server create --image vm1-snap --flavor m1.tiny --nic none --wait vm2')
    assert vm2['status'] == 'ACTIVE', vm2
    assert READY in wait_console(cloud, 'vm2', READY)
    domain2 = domain_name(cloud, 'vm2')

    instances = os.path.join(str(cloud), 'nova', 'instances')
    assert os.path.isdir(os.path.join(instances, vm1['id']))
    plain(cloud, 'server delete --wait vm1 vm2')
    plain(cloud, 'image delete vm1-snap')

    listed = host_fixture.virsh('list', '--all', '--name').stdout.split()
    assert domain not in listed and domain2 not in listed
    uuids = host_fixture.virsh('list', '--all', '--uuid').stdout.split()
    assert vm1['id'] not in uuids and vm2['id'] not in uuids
    assert not os.path.exists(os.path.join(instances, vm1['id']))
    assert not os.path.exists(os.path.join(instances, vm2['id']))
    assert set(usages(cloud).values()) <= {0}, usages(cloud)
    assert re.search(r'nova-test-guest', plain(cloud, 'image list'))


def test_member_reader_and_other_project(cloud):
    """Secure RBAC with Keystone users of two projects (tests/e2e/rbac.py), on this
    cloud rather than on one of its own: the all-in-one's default up is this one."""
    rbac.member_reader_and_other_project(cloud)
