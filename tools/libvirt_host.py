"""libvirtd and virtlogd on a machine without systemd, and "can a guest run here?".

    python -m tools.libvirt_host up       # idempotent: user, dirs, config, daemons
    python -m tools.libvirt_host check [--boot]  # exit 0 when a guest can run, else why
    python -m tools.libvirt_host status

Debian's libvirt-daemon-system would pull in systemd, so the plain daemons are
set up by hand: the ``libvirt-qemu`` user libvirtd insists on, the log and run
directories, qemu.conf/libvirtd.conf for root-run, loopback-only QEMU, then
``virtlogd -d`` and ``libvirtd -d``. Daemons that already run are left alone.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

URI = 'qemu:///system'
QEMU_BINARY = 'qemu-system-x86_64'
SOCKET = '/run/libvirt/libvirt-sock'
CONF_DIR = '/etc/libvirt'
LOG_DIR = '/var/log/libvirt/qemu'
RUN_DIR = '/run/libvirt'
DAEMONS = (('virtlogd', '/run/virtlogd.pid'), ('libvirtd', '/run/libvirtd.pid'))

# QEMU runs as root without the security drivers, cgroups or namespaces that
# need systemd/AppArmor; graphics consoles only listen on loopback.
QEMU_CONF = (
    ('user', '"root"'),
    ('group', '"root"'),
    ('dynamic_ownership', '0'),
    ('remember_owner', '0'),
    ('security_driver', '"none"'),
    ('cgroup_controllers', '[ ]'),
    ('namespaces', '[ ]'),
    ('vnc_listen', '"127.0.0.1"'),
    ('spice_listen', '"127.0.0.1"'),
    ('stdio_handler', '"file"'),
)
# Only root reaches the socket; no polkit here, so no auth on it.
LIBVIRTD_CONF = (
    ('unix_sock_group', '"root"'),
    ('unix_sock_rw_perms', '"0770"'),
    ('auth_unix_rw', '"none"'),
    ('auth_unix_ro', '"none"'),
)


class HostError(Exception):
    """libvirtd cannot be brought up here; the message says why."""


def _run(cmd, timeout=60):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


# --- config files ---------------------------------------------------------

def merged_conf(existing, settings):
    """Config text with ``settings`` applied: their lines replaced, others kept."""
    wanted = dict(settings)
    out = []
    for line in existing.splitlines():
        key = line.split('=', 1)[0].strip() if '=' in line else None
        if key in wanted and not line.lstrip().startswith('#'):
            out.append('%s = %s' % (key, wanted.pop(key)))
        else:
            out.append(line)
    if wanted:
        if not existing:
            out.append('# Written by tools/libvirt_host.py (no systemd, root-run QEMU).')
        out.extend('%s = %s' % item for item in settings if item[0] in wanted)
    return '\n'.join(out) + '\n'


def write_conf(path, settings):
    """Apply settings to one config file; True when the file changed."""
    existing = ''
    if os.path.exists(path):
        with open(path) as f:
            existing = f.read()
    text = merged_conf(existing, settings)
    if text == existing:
        return False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)
    return True


# --- users, directories, daemons -----------------------------------------

def ensure_user():
    """libvirtd refuses to start without a libvirt-qemu user, even when QEMU runs as root."""
    for group in ('kvm', 'libvirt-qemu'):
        if _run(['getent', 'group', group]).returncode != 0:
            _checked(['groupadd', '-r', group])
    if _run(['getent', 'passwd', 'libvirt-qemu']).returncode != 0:
        _checked(['useradd', '-r', '-g', 'libvirt-qemu', '-G', 'kvm', '-d', '/var/lib/libvirt',
                  '-s', '/usr/sbin/nologin', 'libvirt-qemu'])


def _checked(cmd):
    result = _run(cmd)
    if result.returncode != 0:
        raise HostError('%s failed: %s' % (' '.join(cmd), result.stderr.strip()))


def ensure_dirs():
    # virtlogd exits at once when its log directory is missing.
    for path in (LOG_DIR, RUN_DIR, '/var/lib/libvirt/qemu', '/var/lib/libvirt/images'):
        os.makedirs(path, exist_ok=True)


def daemon_pid(name, pidfile):
    """PID of the running daemon ``name``, or None."""
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip())
        with open('/proc/%d/comm' % pid) as f:
            comm = f.read().strip()
    except (OSError, ValueError):
        return _pgrep(name)
    return pid if comm == name else _pgrep(name)


def _pgrep(name):
    """A daemon started without our pid file (e.g. by hand) still counts."""
    result = _run(['pgrep', '-x', name])
    pids = result.stdout.split()
    return int(pids[0]) if result.returncode == 0 and pids else None


def libvirtd_reachable():
    result = _run(['virsh', '-c', URI, 'uri'], timeout=30)
    return result.returncode == 0


def wait_for_socket(timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(SOCKET) and libvirtd_reachable():
            return
        time.sleep(0.2)
    raise HostError('libvirtd did not answer on %s within %ss' % (SOCKET, timeout))


def missing_programs():
    return [prog for prog in ('virtlogd', 'libvirtd', 'virsh', QEMU_BINARY)
            if shutil.which(prog) is None]


def ensure(log=None):
    """Make libvirtd usable; returns what was done. Never restarts running daemons."""
    log = log or (lambda msg: None)
    missing = missing_programs()
    if missing:
        raise HostError('not installed: %s (tools/deps/apt-packages.txt has the packages)'
                        % ' '.join(missing))
    done = []
    running = {name: daemon_pid(name, pidfile) for name, pidfile in DAEMONS}
    if all(running.values()) and libvirtd_reachable():
        return ['already running (virtlogd %d, libvirtd %d)' % (running['virtlogd'],
                                                                 running['libvirtd'])]
    if os.geteuid() != 0:
        raise HostError('libvirtd is not running and starting it needs root')
    ensure_user()
    ensure_dirs()
    for name, settings in (('qemu.conf', QEMU_CONF), ('libvirtd.conf', LIBVIRTD_CONF)):
        if write_conf(os.path.join(CONF_DIR, name), settings):
            done.append('wrote %s' % os.path.join(CONF_DIR, name))
            if running['libvirtd']:
                log('%s changed while libvirtd runs: restart it to apply' % name)
    for name, _pidfile in DAEMONS:
        if running[name]:
            continue
        result = _run([name, '-d'])
        if result.returncode != 0:
            raise HostError('%s -d failed: %s' % (name, result.stderr.strip()))
        done.append('started %s' % name)
        log('started %s' % name)
    wait_for_socket()
    return done


# --- can a guest run here? -----------------------------------------------

def kvm_usable():
    """/dev/kvm runs guests only with hardware virtualisation behind it.

    Some hosts expose a paravirtual /dev/kvm without vmx/svm: Linux guests
    crawl and stop on emulation failures there, so TCG (virt_type qemu) it is.
    """
    if not os.path.exists('/dev/kvm'):
        return False
    try:
        with open('/proc/cpuinfo') as f:
            flags = f.read()
    except OSError:
        return False
    return ' vmx' in flags or ' svm' in flags


def virt_type():
    """Nova's [libvirt] virt_type for this host ($NOVA_LIBVIRT_VIRT_TYPE overrides)."""
    return os.environ.get('NOVA_LIBVIRT_VIRT_TYPE') or ('kvm' if kvm_usable() else 'qemu')


def guest_unavailable_reason():
    """None when a QEMU guest can run here, else a sentence saying why not."""
    missing = missing_programs()
    if missing:
        return 'not installed: %s' % ' '.join(missing)
    if not libvirtd_reachable():
        return 'libvirtd does not answer on %s' % URI
    result = _run(['virsh', '-c', URI, 'domcapabilities', '--virttype', virt_type(),
                   '--arch', 'x86_64'])
    if result.returncode != 0:
        return 'libvirt cannot run domain type %s: %s' % (virt_type(), result.stderr.strip())
    return None


PROBE_XML = """<domain type='{virt_type}'>
  <name>{name}</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices><graphics type='vnc' listen='127.0.0.1' autoport='yes'/></devices>
</domain>
"""


def probe_guest(timeout=60):
    """Start a tiny transient domain (no disk: it idles in the BIOS) and destroy it.

    The cheap checks above can pass while QEMU still cannot start a guest
    (missing firmware, a broken emulator); this one cannot. None when it ran.
    """
    import tempfile
    import uuid
    name = 'nova-probe-%s' % uuid.uuid4().hex[:8]
    with tempfile.NamedTemporaryFile('w', suffix='.xml') as xml:
        xml.write(PROBE_XML.format(virt_type=virt_type(), name=name))
        xml.flush()
        result = _run(['virsh', '-c', URI, 'create', xml.name], timeout=timeout)
    if result.returncode != 0:
        return 'QEMU could not start a %s guest: %s' % (virt_type(), result.stderr.strip())
    try:
        state = _run(['virsh', '-c', URI, 'domstate', name]).stdout.strip()
        if state != 'running':
            return 'a probe guest went to state %r instead of running' % state
    finally:
        _run(['virsh', '-c', URI, 'destroy', name], timeout=timeout)
    return None


def ensure_guest_host():
    """Bring libvirtd up if we can, then say whether a guest can run (None = yes)."""
    try:
        ensure()
    except HostError as exc:
        return str(exc)
    except (OSError, subprocess.SubprocessError) as exc:
        return 'libvirtd bring-up failed: %s' % exc
    return guest_unavailable_reason()


def status():
    lines = []
    for name, pidfile in DAEMONS:
        pid = daemon_pid(name, pidfile)
        lines.append('%s: %s' % (name, 'running (pid %d)' % pid if pid else 'not running'))
    lines.append('libvirtd reachable: %s' % ('yes' if libvirtd_reachable() else 'no'))
    lines.append('virt_type: %s' % virt_type())
    reason = guest_unavailable_reason()
    lines.append('guests: %s' % ('can run' if reason is None else reason))
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('command', choices=['up', 'check', 'status'])
    parser.add_argument('--boot', action='store_true',
                        help='check: also start (and destroy) a tiny probe guest')
    args = parser.parse_args(argv)

    def log(msg):
        print('libvirt_host: %s' % msg, file=sys.stderr)

    if args.command == 'up':
        try:
            for line in ensure(log):
                print(line)
        except HostError as exc:
            raise SystemExit('libvirt_host: %s' % exc)
        reason = guest_unavailable_reason()
        print('guests: %s' % ('can run' if reason is None else reason))
        return 0 if reason is None else 1
    if args.command == 'check':
        reason = guest_unavailable_reason() or (probe_guest() if args.boot else None)
        print('can run guests (virt_type %s)' % virt_type() if reason is None else reason)
        return 0 if reason is None else 1
    print('\n'.join(status()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
