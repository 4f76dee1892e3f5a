#!/usr/bin/env python3
"""Real guests on the all-in-one's libvirt driver: boot latency and memory overhead.

Boots the project's test guest (image ``nova-test-guest``, tools/guest_image)
``--count`` times one after another, keeps them running, and prints per guest:
seconds from POST /servers to ACTIVE, seconds from POST to the guest's
``nova-test-guest: ready`` line in its console log (os-getConsoleOutput), and
the QEMU process's RSS, the guest's RAM (flavor), their difference (the RSS
counts only guest pages the guest has touched, so a small guest is below its
RAM) and QEMU's own memory (RSS outside the guest RAM mapping, from
/proc/<pid>/smaps). Then deletes them. Figures only, no assertions.

    python -m tools.bench.libvirt_guest [--state-dir .allinone] [--count 3]
        [--flavor 1] [--image ID]

Needs a cloud from ``tools/allinone up --virt libvirt``; with Keystone,
source its openrc first.
"""

import argparse
import os
import statistics
import time
import uuid

import psutil
import requests

from tools.bench import boot

READY = 'nova-test-guest: ready'
POLL = 0.2


class Client(object):
    def __init__(self, url, token, instances_path=None):
        self.url = url.rstrip('/')
        # Where the console log file is, for clouds without os-getConsoleOutput.
        self.instances_path = instances_path
        self.console_api = True
        self.session = requests.Session()
        self.session.headers.update({'X-Auth-Token': token,
                                     'Content-Type': 'application/json',
                                     'OpenStack-API-Version': 'compute 2.37'})

    def call(self, method, path, **kwargs):
        resp = self.session.request(method, self.url + path, timeout=60, **kwargs)
        resp.raise_for_status()
        return resp.json() if resp.content else None

    def console(self, server_id):
        if self.console_api:
            try:
                return self.call('POST', '/servers/%s/action' % server_id,
                                 json={'os-getConsoleOutput': {'length': 50}})['output'] or ''
            except requests.HTTPError as exc:
                if exc.response.status_code not in (404, 405, 501) or not self.instances_path:
                    raise
                self.call('GET', '/servers/%s' % server_id)  # 404 here: server gone
                print('note: no os-getConsoleOutput here; reading console.log files')
                self.console_api = False
        try:
            with open(os.path.join(self.instances_path, server_id, 'console.log'),
                      errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''


def qemu_process(instance_name):
    """The QEMU process running libvirt domain ``instance_name``."""
    wanted = 'guest=%s,' % instance_name
    for proc in psutil.process_iter(['name', 'cmdline']):
        cmdline = proc.info['cmdline'] or []
        if proc.info['name'] and proc.info['name'].startswith('qemu-system') and any(
                arg.startswith(wanted) or arg == 'guest=%s' % instance_name
                for arg in cmdline):
            return proc
    return None


def guest_ram_rss_mb(pid, ram_mb):
    """RSS of the guest RAM mapping in QEMU (the largest anonymous one, >= RAM)."""
    best = None
    size_kb = rss_kb = 0
    try:
        with open('/proc/%d/smaps' % pid) as f:
            for line in f:
                if line.startswith('Size:'):
                    size_kb = int(line.split()[1])
                elif line.startswith('Rss:'):
                    rss_kb = int(line.split()[1])
                    if size_kb >= ram_mb * 1024 and (best is None or size_kb > best[0]):
                        best = (size_kb, rss_kb)
    except OSError:
        return None
    return best[1] / 1024.0 if best else None


def boot_guest(client, name, image, flavor, timeout, results):
    """Boot one guest; its result dict goes into ``results`` at once (for the cleanup)."""
    started = time.monotonic()
    server = client.call('POST', '/servers', json={'server': {
        'name': name, 'imageRef': image, 'flavorRef': flavor, 'networks': 'none'}})['server']
    sid = server['id']
    result = {'id': sid}
    results.append(result)
    deadline = started + timeout
    while time.monotonic() < deadline:
        shown = client.call('GET', '/servers/%s' % sid)['server']
        if shown['status'] == 'ERROR':
            raise SystemExit('%s went to ERROR: %s' % (name, shown.get('fault')))
        if shown['status'] == 'ACTIVE':
            result['active'] = time.monotonic() - started
            result['instance_name'] = shown.get('OS-EXT-SRV-ATTR:instance_name')
            break
        time.sleep(POLL)
    while 'active' in result and time.monotonic() < deadline:
        if READY in client.console(sid):
            result['marker'] = time.monotonic() - started
            break
        time.sleep(POLL)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--state-dir', default=os.path.join(boot.REPO, '.allinone'))
    parser.add_argument('--count', type=int, default=3)
    parser.add_argument('--flavor', default='1')
    parser.add_argument('--image', help='default: the state dir\'s nova-test-guest image')
    parser.add_argument('--timeout', type=float, default=300)
    args = parser.parse_args(argv)

    url, _nova_conf, settings = boot.from_state_dir(args.state_dir)
    if settings.get('virt') != 'libvirt':
        print('note: %s runs the %s driver, not libvirt' % (args.state_dir,
                                                            settings.get('virt')))
    if settings.get('noauth') and not os.environ.get('OS_AUTH_URL'):
        token = 'admin:admin'
    else:
        token, _project = boot.keystone_token_and_project()
    image = args.image or settings.get('test_guest_image_id')
    if not image:
        raise SystemExit('no nova-test-guest image in the state dir; pass --image')
    client = Client(url, token, os.path.join(args.state_dir, 'nova', 'instances'))
    ram_mb = client.call('GET', '/flavors/%s' % args.flavor)['flavor']['ram']
    prefix = 'benchguest-%s' % uuid.uuid4().hex[:6]
    results = []
    try:
        for i in range(args.count):
            result = boot_guest(client, '%s-%d' % (prefix, i), image, args.flavor,
                                args.timeout, results)
            proc = qemu_process(result.get('instance_name') or '')
            if proc:
                result['rss_mb'] = proc.memory_info().rss / 2 ** 20
                result['ram_rss_mb'] = guest_ram_rss_mb(proc.pid, ram_mb)
    finally:
        for result in results:
            try:
                client.call('DELETE', '/servers/%s' % result['id'])
            except requests.HTTPError:
                pass

    print('\n%-22s %9s %9s %8s %8s %8s %12s' % (
        'guest', 'ACTIVE s', 'marker s', 'RSS MiB', 'RAM MiB', 'RSS-RAM', 'QEMU own MiB'))
    for i, r in enumerate(results):
        rss, ram_rss = r.get('rss_mb'), r.get('ram_rss_mb')
        print('%-22s %9s %9s %8s %8d %8s %12s' % (
            '%s-%d' % (prefix, i), _fmt(r.get('active')), _fmt(r.get('marker')), _fmt(rss),
            ram_mb, _fmt(rss - ram_mb if rss is not None else None),
            _fmt(rss - ram_rss if rss is not None and ram_rss is not None else None)))
    print('(RSS-RAM: QEMU RSS minus the flavor RAM; negative while the guest has not '
          'touched all its RAM. QEMU own: RSS outside the guest RAM mapping.)')
    actives = [r['active'] for r in results if 'active' in r]
    markers = [r['marker'] for r in results if 'marker' in r]
    if actives:
        print('\nmedian POST->ACTIVE %.1f s, POST->console marker %s s (%d guests, '
              'flavor %s, %d MiB RAM)' % (statistics.median(actives),
                                          _fmt(statistics.median(markers) if markers else None),
                                          len(results), args.flavor, ram_mb))


def _fmt(value):
    return '-' if value is None else '%.1f' % value


if __name__ == '__main__':
    main()
