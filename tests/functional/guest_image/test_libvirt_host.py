"""tools/libvirt_host against the machine's real libvirtd (already running here)."""

from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures.libvirt_host import guest_host  # noqa: F401 (pytest fixture)
from tools import libvirt_host


def test_running_daemons_are_left_alone(guest_host):  # noqa: F811
    pids = {name: libvirt_host.daemon_pid(name, pidfile)
            for name, pidfile in libvirt_host.DAEMONS}
    done = libvirt_host.ensure()
    assert len(done) == 1 and done[0].startswith('already running'), done
    assert {name: libvirt_host.daemon_pid(name, pidfile)
            for name, pidfile in libvirt_host.DAEMONS} == pids


def test_probe_guest_starts_and_removes_a_domain(guest_host):  # noqa: F811
    before = set(host_fixture.virsh('list', '--all', '--name').stdout.split())
    assert libvirt_host.probe_guest() is None
    after = set(host_fixture.virsh('list', '--all', '--name').stdout.split())
    assert not {name for name in after - before if name.startswith('nova-probe-')}


def test_cli_check_and_status(guest_host, capsys):  # noqa: F811
    assert libvirt_host.main(['check']) == 0
    assert 'can run guests (virt_type %s)' % guest_host in capsys.readouterr().out
    assert libvirt_host.main(['status']) == 0
    out = capsys.readouterr().out
    assert 'libvirtd reachable: yes' in out
    assert 'guests: can run' in out
