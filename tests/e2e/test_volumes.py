"""Volumes as a user uses them, through the all-in-one with Ceph and Cinder.

``tools/allinone up --virt libvirt --volumes ceph`` in a temporary state
directory (its own Ceph cluster, Cinder with the RBD driver), then, with the
openstack CLI: a volume is created, attached to a running test guest (the
guest prints its block devices on its console whenever they change: vdb
appears), extended while attached (the guest prints vdb's new size),
swapped for another volume (QEMU copies the disk and switches),
detached (vdb goes, the volume is ``available`` again), attached
again with ``delete_on_termination`` beside a second volume without it; the
server's delete removes the first volume from Cinder and Ceph and leaves the
second ``available``. ``rbd ls volumes`` on the cloud's cluster is checked
directly.

Faults on the same guest: an attach whose libvirt attach fails after Cinder
exported the volume, Cinder's API down during an attach and a detach, a
detach the guest ignores (paused behind Nova's back; ``[libvirt]
device_detach_*`` shortened through NOVA_ALLINONE_DETACH_TIMEOUT): each
leaves Nova, Cinder and the guest agreeing, and the retry succeeds.

A server booted from a new volume made from the image (``--boot-from-volume``)
runs from its RBD image, and its delete keeps or removes that volume as its
``delete_on_termination`` says.

Skips where QEMU guests cannot run, without MariaDB (Cinder's migrations need
it) or without Ceph's packages (``tools/allinone up --volumes ceph`` installs
them as root). Set NOVA_SKIP_ALLINONE=1 to skip in quick local runs.
"""

import os
import shutil
import subprocess
import uuid

import pytest

from tests.e2e import test_allinone
from tests.e2e import user_flows
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures import rabbit
from tests.fixtures.waiting import wait_for
from tools.allinone_lib import ceph
from tools.allinone_lib import cinder
from tools.allinone_lib import layout
from tools.allinone_lib import nova as aio_nova
from tools.allinone_lib import procs
from tools.allinone_lib import virt

DISKS = 'nova-test-guest: disks'
SIZES = 'nova-test-guest: sizes'
GIB_SECTORS = 2 * 1024 * 1024  # a GiB in the 512-byte sectors /sys/block counts
TIMEOUT = 300
# A guest that ignores a detach fails it after 2 x 8 s here (upstream's 8 x 20 s
# would make the test wait almost three minutes).
DETACH_TIMEOUT = 8

pytestmark = pytest.mark.skipif(bool(os.environ.get('NOVA_SKIP_ALLINONE')),
                                reason='NOVA_SKIP_ALLINONE is set')


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    reason = rabbit.unavailable_reason() or virt.libvirt_driver_missing()
    if not reason and not aio_nova.mariadb_available():
        reason = 'Cinder needs MariaDB on 127.0.0.1:3306'
    if not reason and not shutil.which('ceph-mon') and os.geteuid() != 0:
        reason = 'Ceph is not installed and we are not root to install it'
    if reason:
        pytest.skip(reason)
    host_fixture.require_guest_host()
    state_dir = tmp_path_factory.mktemp('volumes-aio') / 'allinone'
    previous = os.environ.get('NOVA_ALLINONE_DETACH_TIMEOUT')
    os.environ['NOVA_ALLINONE_DETACH_TIMEOUT'] = str(DETACH_TIMEOUT)
    try:
        test_allinone.allinone(state_dir, 'up', '--virt', 'libvirt', '--volumes', 'ceph',
                               '--port-offset', str(test_allinone._free_offset()))
        yield state_dir
    finally:
        if previous is None:
            os.environ.pop('NOVA_ALLINONE_DETACH_TIMEOUT', None)
        else:
            os.environ['NOVA_ALLINONE_DETACH_TIMEOUT'] = previous
        test_allinone.allinone(state_dir, 'down', '--purge', check=False)


@pytest.fixture(scope='module')
def vm(cloud):
    """One running test guest for the attach tests (a TCG boot is the dear part);
    test_attach_detach_and_delete_on_termination, the last to use it, deletes it."""
    server = osc(cloud, 'server create --image nova-test-guest --flavor m1.tiny --nic none',
                 '--wait vm')
    assert server['status'] == 'ACTIVE', server
    wait_disks(cloud, 'vm', ['vda'])
    return server


def osc(cloud, *args):
    return user_flows.osc(cloud, *args)


def disks(cloud, name):
    """The block devices the guest printed last on its console."""
    log = user_flows.osc_plain(cloud, 'console log show', name)
    lines = [line for line in log.splitlines() if line.startswith(DISKS)]
    return lines[-1][len(DISKS):].split() if lines else None


def sizes(cloud, name):
    """{disk: size in sectors} as the guest printed them last."""
    log = user_flows.osc_plain(cloud, 'console log show', name)
    lines = [line for line in log.splitlines() if line.startswith(SIZES)]
    if not lines:
        return None
    return dict(item.split(':', 1) for item in lines[-1][len(SIZES):].split())


def wait_disks(cloud, name, expected):
    wait_for(lambda: disks(cloud, name) == expected, timeout=TIMEOUT, interval=2,
             what='the guest %s to see disks %s' % (name, expected))


def wait_volume(cloud, name, status):
    def reached():
        shown = osc(cloud, 'volume show', name)
        assert shown['status'] not in ('error', 'error_attaching', 'error_detaching'), shown
        return shown if shown['status'] == status else None
    return wait_for(reached, timeout=TIMEOUT, interval=1, what='volume %s %s' % (name, status))


def rbd_images(cloud):
    state = layout.State(str(cloud))
    out = subprocess.run(['rbd', '-c', ceph.conf_path(state), 'ls', 'volumes'],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return set(out.split())


def test_status_shows_ceph_and_cinder(cloud):
    out = test_allinone.allinone(cloud, 'status').stdout
    for name in ceph.DAEMONS + ('cinder-api', 'cinder-scheduler', 'cinder-volume'):
        line = [row for row in out.splitlines() if row.startswith(name + ' ')]
        assert line and ' yes ' in line[0], out
    assert 'ceph health: HEALTH_' in out, out
    services = {s['Type'] for s in osc(cloud, 'catalog list')}
    assert {'volumev3', 'block-storage'} <= services


def nova_cli(cloud, *args):
    """python-novaclient (it takes volume ids as they are: the openstack CLI would
    look the volume up in Cinder first); (exit status, output)."""
    script = '. %s && nova %s' % (os.path.join(str(cloud), 'openrc'), ' '.join(args))
    result = subprocess.run(['bash', '-c', script], capture_output=True, text=True,
                            timeout=TIMEOUT)
    return result.returncode, result.stdout + result.stderr


def attached_ids(cloud, name):
    return [row['Volume ID'] for row in osc(cloud, 'server volume list', name)]


def last_event(cloud, name, action):
    """The newest instance action ``action`` of the server, with its events."""
    events = [e for e in osc(cloud, 'server event list', name) if e['Action'] == action]
    return osc(cloud, 'server event show', name, events[0]['Request ID'])


def failed(cloud, name, action):
    """Has the newest ``action`` of the server ended in error on its host?"""
    events = last_event(cloud, name, action)['events']
    return bool(events) and all(e.get('result') == 'Error' for e in events)


def virsh(*args):
    return subprocess.run(['virsh', '-c', host_fixture.URI, *args], capture_output=True,
                          text=True, timeout=60, check=True).stdout


def test_faults_leave_cinder_and_the_guest_agreeing(cloud, vm):
    """An attach that fails half-way (Cinder exported the volume, QEMU cannot
    open it: the Ceph secret is missing from libvirt), Cinder's API down, a
    detach the guest ignores (its vCPUs frozen outside Nova): each time the
    server stays ACTIVE, a failure on the host shows as an error in its
    actions, Nova and Cinder agree with the guest, and the same request
    succeeds once the fault is gone."""
    state = layout.State(str(cloud))
    volume = osc(cloud, 'volume create --size 1 faulty')
    wait_volume(cloud, 'faulty', 'available')
    domain = osc(cloud, 'server show vm')['OS-EXT-SRV-ATTR:instance_name']

    # half-way: the attachment has the host's connector, the driver's attach fails
    ceph.undefine_libvirt_secret(state, host_fixture.URI)
    try:
        osc(cloud, 'server add volume vm faulty')
        # the host records the event's end after it has undone the attach
        wait_for(lambda: failed(cloud, 'vm', 'attach_volume'), timeout=TIMEOUT,
                 interval=2, what='the attach to fail')
    finally:
        ceph.define_libvirt_secret(state, host_fixture.URI)
    assert attached_ids(cloud, 'vm') == []
    shown = osc(cloud, 'volume show faulty')
    assert shown['status'] == 'available' and shown['attachments'] == [], shown
    assert disks(cloud, 'vm') == ['vda']
    osc(cloud, 'server add volume vm faulty')  # the retry
    wait_volume(cloud, 'faulty', 'in-use')
    wait_disks(cloud, 'vm', ['vda', 'vdb'])

    # Cinder's API down: attach and detach answer 503, nothing changes
    procs.stop(state, cinder.API)
    try:
        status, out = nova_cli(cloud, 'volume-attach vm', str(uuid.uuid4()))
        assert status != 0 and '503' in out, out
        status, out = nova_cli(cloud, 'volume-detach vm', volume['id'])
        assert status != 0 and '503' in out, out
        assert attached_ids(cloud, 'vm') == [volume['id']]
    finally:
        cinder.start_daemons(state, [cinder.API])

    # a guest that does not answer the unplug: the detach fails after
    # [libvirt] device_detach_attempts, the volume stays attached and in-use
    virsh('suspend', domain)
    try:
        user_flows.osc_plain(cloud, 'server remove volume vm faulty')
        wait_for(lambda: failed(cloud, 'vm', 'detach_volume'), timeout=TIMEOUT,
                 interval=2, what='the detach to fail')
    finally:
        virsh('resume', domain)
    shown = osc(cloud, 'volume show faulty')
    assert shown['status'] == 'in-use' and shown['attachments'], shown
    assert attached_ids(cloud, 'vm') == [volume['id']]
    assert osc(cloud, 'server show vm')['status'] == 'ACTIVE'
    # the definition a stop/start or hard reboot uses keeps the disk too
    assert 'volume-%s' % volume['id'] in virsh('dumpxml', '--inactive', domain)
    # the unplug QEMU still had pending reaches the guest once it runs again;
    # the retry finds the disk gone and ends it in Nova and in Cinder
    user_flows.osc_plain(cloud, 'server remove volume vm faulty')
    wait_volume(cloud, 'faulty', 'available')
    wait_disks(cloud, 'vm', ['vda'])
    assert attached_ids(cloud, 'vm') == []
    user_flows.osc_plain(cloud, 'volume delete faulty')


def test_attach_detach_extend_and_delete_on_termination(cloud, vm):
    data = osc(cloud, 'volume create --size 1 data')
    keep = osc(cloud, 'volume create --size 1 keep')
    wait_volume(cloud, 'data', 'available')
    wait_volume(cloud, 'keep', 'available')
    assert {'volume-%s' % data['id'], 'volume-%s' % keep['id']} <= rbd_images(cloud)
    wait_disks(cloud, 'vm', ['vda'])

    attached = osc(cloud, 'server add volume vm data')
    assert attached['Device'] == '/dev/vdb', attached
    shown = wait_volume(cloud, 'data', 'in-use')
    assert shown['attachments'][0]['server_id'] == vm['id'], shown
    wait_disks(cloud, 'vm', ['vda', 'vdb'])
    listed = osc(cloud, 'server volume list vm')
    assert [row['Volume ID'] for row in listed] == [data['id']], listed

    # extended while attached (Cinder 3.42): Cinder tells Nova (volume-extended),
    # QEMU resizes the disk and the guest sees it grow
    wait_for(lambda: (sizes(cloud, 'vm') or {}).get('vdb') == str(GIB_SECTORS),
             timeout=TIMEOUT, interval=2, what='the guest to print the size of vdb')
    user_flows.osc_plain(cloud, '--os-volume-api-version 3.42 volume set --size 2 data')
    wait_for(lambda: (sizes(cloud, 'vm') or {}).get('vdb') == str(2 * GIB_SECTORS),
             timeout=TIMEOUT, interval=2, what='the guest to see vdb grow to 2 GiB')
    assert osc(cloud, 'volume show data')['size'] == 2

    # swapped (an administrator's PUT, the call Cinder's migration of an attached
    # volume makes): QEMU copies vdb onto the new volume (of the same size: its
    # block copy needs that) through librbd and switches the guest to it
    moved = osc(cloud, 'volume create --size 2 moved')
    wait_volume(cloud, 'moved', 'available')
    status, out = nova_cli(cloud, 'volume-update vm', data['id'], moved['id'])
    assert status == 0, out
    wait_volume(cloud, 'moved', 'in-use')
    wait_volume(cloud, 'data', 'available')
    assert attached_ids(cloud, 'vm') == [moved['id']]
    domain = osc(cloud, 'server show vm')['OS-EXT-SRV-ATTR:instance_name']
    for flag in ((), ('--inactive',)):
        xml = virsh('dumpxml', *flag, domain)
        assert "name='volumes/volume-%s'" % moved['id'] in xml
        assert "name='volumes/volume-%s'" % data['id'] not in xml
    assert disks(cloud, 'vm') == ['vda', 'vdb']
    user_flows.osc_plain(cloud, 'server remove volume vm moved')
    wait_volume(cloud, 'moved', 'available')
    wait_disks(cloud, 'vm', ['vda'])
    user_flows.osc_plain(cloud, 'volume delete moved')
    assert osc(cloud, 'server volume list vm') == []
    actions = [a['Action'] for a in osc(cloud, 'server event list vm')]
    assert 'attach_volume' in actions and 'detach_volume' in actions, actions

    # delete_on_termination (2.79): data goes with the server, keep stays
    osc(cloud, '--os-compute-api-version 2.79 server add volume',
        '--enable-delete-on-termination vm data')
    osc(cloud, 'server add volume vm keep')
    wait_volume(cloud, 'data', 'in-use')
    wait_volume(cloud, 'keep', 'in-use')
    wait_disks(cloud, 'vm', ['vda', 'vdb', 'vdc'])
    user_flows.osc_plain(cloud, 'server delete --wait vm')
    wait_volume(cloud, 'keep', 'available')
    wait_for(lambda: data['id'] not in [v['ID'] for v in osc(cloud, 'volume list')],
             timeout=TIMEOUT, interval=1, what='volume data deleted with the server')
    wait_for(lambda: 'volume-%s' % data['id'] not in rbd_images(cloud), timeout=TIMEOUT,
             interval=1, what='the RBD image of data removed')
    assert 'volume-%s' % keep['id'] in rbd_images(cloud)
    user_flows.osc_plain(cloud, 'volume delete keep')


def test_boot_from_volume(cloud):
    """An image made into a new volume in Cinder (Ceph), the guest booting from it."""
    server = osc(cloud, 'server create --image nova-test-guest --flavor m1.tiny --nic none',
                 '--boot-from-volume 1 --wait bfv')
    assert server['status'] == 'ACTIVE', server
    assert not server.get('image') or server['image'] in ('', 'N/A (booted from volume)')
    wait_for(lambda: 'nova-test-guest: up' in user_flows.osc_plain(
        cloud, 'console log show bfv'), timeout=TIMEOUT, interval=2,
        what='the guest booted from its volume')
    [root] = osc(cloud, '--os-compute-api-version 2.79 server volume list bfv')
    assert root['Device'] == '/dev/vda', root
    volume = osc(cloud, 'volume show', root['Volume ID'])
    assert volume['status'] == 'in-use' and volume['bootable'] in (True, 'true'), volume
    assert 'volume-%s' % root['Volume ID'] in rbd_images(cloud)
    wait_disks(cloud, 'bfv', ['vda'])
    user_flows.osc_plain(cloud, 'server delete --wait bfv')
    if root['Delete On Termination?']:
        wait_for(lambda: 'volume-%s' % root['Volume ID'] not in rbd_images(cloud),
                 timeout=TIMEOUT, interval=1, what='the root volume deleted with the server')
    else:
        wait_volume(cloud, root['Volume ID'], 'available')
        user_flows.osc_plain(cloud, 'volume delete', root['Volume ID'])
