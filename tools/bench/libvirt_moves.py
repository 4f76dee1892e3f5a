#!/usr/bin/env python3
"""Every move of one libvirt guest across the nodes of a multi-node all-in-one,
with the openstack CLI, timed, and checked after each step.

Needs a running ``tools/allinone up --computes 3 --virt libvirt`` (with
Keystone: osc-placement needs its catalog). A ``nova-test-guest`` server is
resized (confirmed, then another resize reverted), cold-migrated, live-migrated
twice, shelved and offloaded, unshelved on another node (2.91), rebuilt with
another image, rescued and unrescued, and evacuated after its node's
nova-compute is stopped. Each move is timed from the CLI request to the state a
user waits for. After each step ``server show``, ``server migration list``,
osc-placement's ``resource provider usage show`` of every node and ``virsh
list`` on every node must agree; the console log must keep growing and, across
the live migrations, the guest's uptime must not start again.

    python -m tools.bench.libvirt_moves --state-dir /path/to/allinone-state

Prints one line per step (seconds, agree or what disagreed) and exits 1 when
anything disagreed. Never asserts on time.
"""

import argparse
import pathlib
import re
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.e2e import user_flows  # noqa: E402
from tools.allinone_lib import layout  # noqa: E402
from tools.allinone_lib import nodes  # noqa: E402
from tools.allinone_lib import procs  # noqa: E402

NAME = 'walker'
IMAGE = 'nova-test-guest'
IMAGE2 = 'nova-test-guest-2'
READY = 'nova-test-guest: ready'
BOOT = 'Linux version'  # the kernel's first line: one per boot
UPTIME = re.compile(r'nova-test-guest: uptime ([0-9.]+)')
# (name, vcpus, MiB, GiB): the walk's flavors; a resize never shrinks a disk.
FLAVORS = (('walk.1', 1, 256, 1), ('walk.2', 1, 256, 2), ('walk.3', 1, 384, 3))
RESOURCES = ('VCPU', 'MEMORY_MB', 'DISK_GB')


class Cloud(object):
    def __init__(self, state_dir):
        self.state_dir = state_dir
        self.state = layout.State(state_dir)
        self.hosts = nodes.host_names(self.state)
        self.problems = []
        self._providers = None

    def osc(self, *args):
        return user_flows.osc(self.state_dir, *args, timeout=600)

    def plain(self, *args):
        return user_flows.osc_plain(self.state_dir, *args, timeout=600)

    # --- what each place says ------------------------------------------------------

    def show(self):
        return self.osc('--os-compute-api-version 2.96', 'server show', NAME)

    def migrations(self):
        return self.osc('--os-compute-api-version 2.80', 'server migration list',
                        '--server', NAME, '--sort-column', 'Id')

    def usages(self):
        if self._providers is None:
            self._providers = {p['name']: p['uuid']
                               for p in self.osc('resource provider list')}
        found = {}
        for host in self.hosts:
            rows = self.osc('resource provider usage show', self._providers[host])
            found[host] = tuple(r['usage'] for r in sorted(
                (r for r in rows if r['resource_class'] in RESOURCES),
                key=lambda r: RESOURCES.index(r['resource_class'])))
        return found

    def virsh(self, domain):
        """{host: state of ``domain`` in that node's libvirtd} (nodes without it absent)."""
        found = {}
        for host in self.hosts:
            out = subprocess.run(
                ['virsh', '-c', nodes.libvirt_uri(self.state, host), 'domstate', domain],
                capture_output=True, text=True, timeout=60)
            if out.returncode == 0:
                found[host] = out.stdout.strip()
        return found

    def console(self):
        return self.plain('console log show', NAME)

    def wait(self, status, timeout=900):
        deadline = time.monotonic() + timeout
        shown = None
        while time.monotonic() < deadline:
            shown = self.show()
            if shown['status'] == status and not shown.get('OS-EXT-STS:task_state'):
                return shown
            if shown['status'] == 'ERROR':
                break
            time.sleep(1)
        raise RuntimeError('%s never reached %s: %s %s' % (
            NAME, status, shown.get('status'), shown.get('fault')))

    def wait_console(self, timeout=600):
        """The console log once the guest's last boot reached its ready line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            log = self.console()
            if log.rfind(READY) > log.rfind(BOOT):
                return log
            time.sleep(2)
        raise RuntimeError('the guest never printed its ready line after its last boot')

    # --- agreement -----------------------------------------------------------------

    def check(self, step, shown, domains, usage, migration=None):
        """``domains``: {host: virsh state}; ``usage``: {host: flavor name}."""
        flavors = {f[0]: f[1:] for f in FLAVORS}
        want_usage = {h: (0, 0, 0) for h in self.hosts}
        for host, flavor in usage.items():
            want_usage[host] = tuple(flavors[flavor])
        seen = self.virsh(shown['OS-EXT-SRV-ATTR:instance_name'])
        got_usage = self.usages()
        bad = []
        if seen != domains:
            bad.append('virsh %s, expected %s' % (seen, domains))
        if got_usage != want_usage:
            bad.append('placement %s, expected %s' % (got_usage, want_usage))
        if migration is not None:
            newest = self.migrations()[-1]
            got = (newest['Type'] if 'Type' in newest else newest['Migration Type'],
                   newest['Status'], newest['Source Compute'], newest['Dest Compute'])
            if got != migration:
                bad.append('migration %s, expected %s' % (got, migration))
        self.problems.extend('%s: %s' % (step, b) for b in bad)
        return bad


def _uptimes(log):
    return [float(v) for v in UPTIME.findall(log)]


def walk(cloud, report):
    hosts = cloud.hosts
    for name, vcpus, ram, disk in FLAVORS:
        if not [f for f in cloud.osc('flavor list --all') if f['Name'] == name]:
            cloud.plain('flavor create --vcpus %d --ram %d --disk %d %s' % (
                vcpus, ram, disk, name))
    if not [i for i in cloud.osc('image list') if i['Name'] == IMAGE2]:
        path = subprocess.run(
            [sys.executable, '-c', 'from tools.guest_image import build; '
             'print(build.ensure_image(log=lambda m: None))'],
            capture_output=True, text=True, check=True, cwd=str(REPO)).stdout.strip()
        cloud.plain('image create --disk-format qcow2 --container-format bare --public',
                    '--file', path, IMAGE2)

    def step(label, command, status, expect_domains, expect_usage, migration=None,
             wait_ready=None):
        started = time.monotonic()
        if command:
            cloud.plain(command)
        shown = cloud.wait(status)
        took = time.monotonic() - started
        if wait_ready:
            cloud.wait_console()
        domains = expect_domains(shown) if callable(expect_domains) else expect_domains
        usage = expect_usage(shown) if callable(expect_usage) else expect_usage
        bad = cloud.check(label, shown, domains, usage, migration)
        report(label, took, shown, bad)
        return shown

    started = time.monotonic()
    cloud.plain('--os-compute-api-version 2.74 server create --flavor walk.1 --image',
                IMAGE, '--nic none --host', hosts[0], NAME)
    shown = cloud.wait('ACTIVE')
    report('boot', time.monotonic() - started, shown, [])
    cloud.wait_console()
    a = shown['OS-EXT-SRV-ATTR:host']
    host = lambda s: s['OS-EXT-SRV-ATTR:host']  # noqa: E731

    # Resize, then confirm.
    shown = step('resize (to VERIFY_RESIZE)', 'server resize --flavor walk.2 ' + NAME,
                 'VERIFY_RESIZE', lambda s: {a: 'shut off', host(s): 'running'},
                 lambda s: {a: 'walk.1', host(s): 'walk.2'},
                 migration=None, wait_ready=True)
    b = host(shown)
    step('resize confirm', 'server resize confirm ' + NAME, 'ACTIVE',
         {b: 'running'}, {b: 'walk.2'}, migration=('resize', 'confirmed', a, b))

    # Resize again, then revert.
    shown = step('resize (again)', 'server resize --flavor walk.3 ' + NAME, 'VERIFY_RESIZE',
                 lambda s: {b: 'shut off', host(s): 'running'},
                 lambda s: {b: 'walk.2', host(s): 'walk.3'}, wait_ready=True)
    c = host(shown)
    step('resize revert', 'server resize revert ' + NAME, 'ACTIVE',
         {b: 'running'}, {b: 'walk.2'}, migration=('resize', 'reverted', b, c),
         wait_ready=True)

    # Cold migration (scheduler's pick), confirmed.
    shown = step('cold migrate', 'server migrate ' + NAME, 'VERIFY_RESIZE',
                 lambda s: {b: 'shut off', host(s): 'running'},
                 lambda s: {b: 'walk.2', host(s): 'walk.2'}, wait_ready=True)
    d = host(shown)
    step('cold migrate confirm', 'server resize confirm ' + NAME, 'ACTIVE',
         {d: 'running'}, {d: 'walk.2'}, migration=('migration', 'confirmed', b, d))

    # Live migration twice: the console log goes on, the uptime keeps counting.
    deadline = time.monotonic() + 120
    log = cloud.console()
    while not _uptimes(log) and time.monotonic() < deadline:
        time.sleep(3)  # the guest's first uptime line comes once it is up
        log = cloud.console()
    readies, lines = log.count(READY), len(log.splitlines())
    uptime = (_uptimes(log) or [0.0])[-1]
    source = d
    for n in (1, 2):
        target = next(h for h in hosts if h != source)
        shown = step('live migrate #%d' % n,
                     '--os-compute-api-version 2.30 server migrate --live-migration '
                     '--host %s --wait %s' % (target, NAME), 'ACTIVE',
                     {target: 'running'}, {target: 'walk.2'},
                     migration=('live-migration', 'completed', source, target))
        # The uptime line comes every 30 s: wait for the next one.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            log = cloud.console()
            if (_uptimes(log) or [0.0])[-1] > uptime:
                break
            time.sleep(3)
        now = (_uptimes(log) or [0.0])[-1]
        if log.count(READY) != readies or len(log.splitlines()) <= lines or now <= uptime:
            cloud.problems.append('live migrate #%d: console %d ready lines (was %d), %d '
                                  'lines (was %d), uptime %.0f (was %.0f)' % (
                                      n, log.count(READY), readies,
                                      len(log.splitlines()), lines, now, uptime))
        report('  console after live #%d' % n, 0.0, shown,
               ['uptime %.0f -> %.0f s, %d -> %d lines, %d ready lines' % (
                   uptime, now, lines, len(log.splitlines()), log.count(READY))])
        lines, uptime, source = len(log.splitlines()), now, target

    # Shelve (offloaded at once: shelved_offload_time 0), unshelve on another node.
    e = source
    step('shelve + offload', 'server shelve ' + NAME, 'SHELVED_OFFLOADED', {}, {})
    f = next(h for h in hosts if h != e)
    step('unshelve (2.91 --host)', '--os-compute-api-version 2.91 server unshelve --host '
         '%s %s' % (f, NAME), 'ACTIVE', {f: 'running'}, {f: 'walk.2'}, wait_ready=True)

    # Rebuild with another image, rescue and unrescue.
    step('rebuild (another image)', 'server rebuild --image %s %s' % (IMAGE2, NAME),
         'ACTIVE', {f: 'running'}, {f: 'walk.2'}, wait_ready=True)
    step('rescue', 'server rescue ' + NAME, 'RESCUE', {f: 'running'}, {f: 'walk.2'},
         wait_ready=True)
    step('unrescue', 'server unrescue ' + NAME, 'ACTIVE', {f: 'running'}, {f: 'walk.2'},
         wait_ready=True)

    # Evacuate: the node's nova-compute stops and is forced down.
    procs.stop(cloud.state, nodes.proc_name(f, 'nova-compute'))
    cloud.plain('--os-compute-api-version 2.11 compute service set --down', f,
                'nova-compute')
    try:
        shown = step('evacuate', '--os-compute-api-version 2.68 server evacuate ' + NAME,
                     'ACTIVE', lambda s: {f: 'running', host(s): 'running'},
                     lambda s: {f: 'walk.2', host(s): 'walk.2'},
                     migration=None)
        g = host(shown)
    finally:
        from tools.allinone_lib import nova as nova_install
        nodes.start_compute(cloud.state, f, nova_install.python_bin('nova-compute'))
        cloud.plain('--os-compute-api-version 2.11 compute service set --up', f,
                    'nova-compute')
    # Back, the node removes the evacuated guest and frees its old allocation.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        shown = cloud.show()
        if cloud.virsh(shown['OS-EXT-SRV-ATTR:instance_name']) == {g: 'running'} and \
                cloud.usages()[f] == (0, 0, 0):
            break
        time.sleep(3)
    step('evacuated node back', None, 'ACTIVE', {g: 'running'}, {g: 'walk.2'},
         migration=('evacuation', 'completed', f, g))
    cloud.plain('server delete --wait', NAME)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--state-dir', required=True)
    args = parser.parse_args()
    cloud = Cloud(args.state_dir)
    figures = []

    def report(label, took, shown, bad):
        figures.append((label, took))
        print('%-28s %7.1f s  %-10s %-9s %s' % (
            label, took, shown.get('OS-EXT-SRV-ATTR:host') or '-', shown['status'],
            '; '.join(bad) if bad else 'agree'), flush=True)

    print('%-28s %9s  %-10s %-9s %s' % ('step', 'time', 'host', 'status', 'check'))
    try:
        walk(cloud, report)
    finally:
        if cloud.problems:
            print('\nDISAGREED:\n  ' + '\n  '.join(cloud.problems))
    return 1 if cloud.problems else 0


if __name__ == '__main__':
    sys.exit(main())
