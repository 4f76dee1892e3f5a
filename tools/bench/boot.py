#!/usr/bin/env python3
"""Boot, list and delete throughput of a running cloud, as a client sees it.

Runs against any compute endpoint (the all-in-one by default, reading its
state directory for the URL, token and nova.conf). Prints figures and never
asserts: servers/s to ACTIVE (sequential, concurrent, with many servers
already on the host), p50/p95 of POST /servers and POST->ACTIVE, p50/p95 of
GET /servers/detail at several server counts, delete rate, and RSS per daemon.

    python -m tools.bench.boot [--state-dir .allinone] [--sequential 50]
        [--concurrent 200 --clients 8] [--preload 500] [--detail-at 1,100,1000]
        [--network <network uuid>]

``--network`` gives every server a port on that Neutron network (the figures
then include creating, binding and deleting the port); ``--network none``
boots without any (needed where a project sees several networks); without
the option no ``networks`` are sent, as before. Neutron's own port quota of the project
must allow the counts asked (``openstack quota set --ports -1 <project>``).

Quotas of the benchmark project are lifted (through the objects layer, with the
cloud's nova.conf) so large counts are possible; they are restored afterwards.
"""

import argparse
import concurrent.futures
import functools
import json
import os
import sys
import threading
import time
import uuid

import psutil
import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POLL = 0.01
MICROVERSION = '2.1'


def pct(values, p):
    if not values:
        return float('nan')
    values = sorted(values)
    index = min(len(values) - 1, max(0, int(round(p / 100.0 * (len(values) - 1)))))
    return values[index]


class Cloud(object):
    """A compute endpoint plus what the benchmark needs to drive it."""

    def __init__(self, url, token, image, flavor, network=None):
        self.url = url.rstrip('/')
        self.image = image
        self.flavor = flavor
        self.network = network
        self._local = threading.local()
        # 'none'/'auto' exist from 2.37 on.
        version = '2.37' if network in ('none', 'auto') else MICROVERSION
        self.headers = {'X-Auth-Token': token, 'Content-Type': 'application/json',
                        'OpenStack-API-Version': 'compute %s' % version}

    @property
    def session(self):
        if not hasattr(self._local, 'session'):
            self._local.session = requests.Session()
            self._local.session.headers.update(self.headers)
        return self._local.session

    def post_server(self, name, count=1):
        body = {'server': {'name': name, 'imageRef': self.image, 'flavorRef': self.flavor}}
        if self.network in ('none', 'auto'):
            body['server']['networks'] = self.network
        elif self.network:
            body['server']['networks'] = [{'uuid': self.network}]
        if count > 1:
            body['server'].update(min_count=count, max_count=count)
        started = time.monotonic()
        resp = self.session.post(self.url + '/servers', data=json.dumps(body), timeout=60)
        elapsed = time.monotonic() - started
        if resp.status_code != 202:
            raise RuntimeError('POST /servers: %s %s' % (resp.status_code, resp.text[:300]))
        return resp.json()['server']['id'], elapsed

    def status(self, server_id):
        resp = self.session.get(self.url + '/servers/%s' % server_id, timeout=60)
        if resp.status_code == 404:
            return 'GONE'
        resp.raise_for_status()
        return resp.json()['server']['status']

    def wait_status(self, server_id, wanted, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status(server_id)
            if status == wanted:
                return
            if status == 'ERROR' and wanted != 'ERROR':
                raise RuntimeError('server %s went to ERROR' % server_id)
            time.sleep(POLL)
        raise RuntimeError('server %s not %s within %ss' % (server_id, wanted, timeout))

    def detail(self, query=''):
        started = time.monotonic()
        resp = self.session.get(self.url + '/servers/detail' + query, timeout=120)
        elapsed = time.monotonic() - started
        resp.raise_for_status()
        return resp.json()['servers'], elapsed

    def delete(self, server_id):
        resp = self.session.delete(self.url + '/servers/%s' % server_id, timeout=60)
        if resp.status_code not in (204, 404):
            raise RuntimeError('DELETE: %s %s' % (resp.status_code, resp.text[:300]))

    def all_ids(self, prefix):
        ids, marker = [], None
        while True:
            query = '?name=%s&limit=1000' % prefix + ('&marker=%s' % marker if marker else '')
            resp = self.session.get(self.url + '/servers' + query, timeout=120)
            resp.raise_for_status()
            page = resp.json()['servers']
            ids.extend(s['id'] for s in page)
            if len(page) < 1000:
                return ids
            marker = page[-1]['id']


def boot_one(cloud, name):
    server_id, post = cloud.post_server(name)
    started = time.monotonic() - post
    cloud.wait_status(server_id, 'ACTIVE')
    return server_id, post, time.monotonic() - started


def run_sequential(cloud, count, prefix):
    posts, actives, ids = [], [], []
    began = time.monotonic()
    for i in range(count):
        server_id, post, active = boot_one(cloud, '%s-%d' % (prefix, i))
        posts.append(post)
        actives.append(active)
        ids.append(server_id)
    return count / (time.monotonic() - began), posts, actives, ids


def run_concurrent(cloud, count, clients, prefix):
    posts, actives, ids = [], [], []
    lock = threading.Lock()
    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        for server_id, post, active in pool.map(
                lambda i: boot_one(cloud, '%s-%d' % (prefix, i)), range(count)):
            with lock:
                posts.append(post)
                actives.append(active)
                ids.append(server_id)
    return count / (time.monotonic() - began), posts, actives, ids


def preload(cloud, total, prefix, batch=50):
    """Bring the cloud to ``total`` servers with multi-create, waiting for ACTIVE."""
    made = 0
    while made < total:
        n = min(batch, total - made)
        cloud.post_server('%s-%d' % (prefix, made), count=n)
        made += n
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        servers, _ = cloud.detail('?name=%s&limit=1000' % prefix)
        active = [s for s in servers if s['status'] == 'ACTIVE']
        if len(active) >= min(total, 1000) and len(cloud.all_ids(prefix)) >= total:
            return
        if any(s['status'] == 'ERROR' for s in servers):
            raise RuntimeError('a preloaded server went to ERROR')
        time.sleep(0.5)
    raise RuntimeError('preload did not finish')


def delete_all(cloud, ids, clients):
    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(cloud.delete, ids))
    for server_id in ids:
        cloud.wait_status(server_id, 'GONE', timeout=300)
    return len(ids) / (time.monotonic() - began) if ids else float('nan')


def daemon_rss():
    """RSS (MiB) of each running nova daemon, by console-script name."""
    rss = {}
    for proc in psutil.process_iter(['cmdline', 'memory_info']):
        cmdline = proc.info['cmdline'] or []
        for part in cmdline[:2]:
            name = os.path.basename(part)
            if name.startswith('nova-') and name != 'nova-manage':
                rss[name] = rss.get(name, 0) + proc.info['memory_info'].rss / 2**20
                break
    return rss


@functools.lru_cache(maxsize=None)
def _admin_context(nova_conf):
    """An admin context on the cloud's databases (configuration parsed once)."""
    sys.path.insert(0, REPO)
    from nova import config, context, objects
    config.parse_args(['bench', '--config-file', nova_conf], init_rpc=False)
    objects.register_all()
    return context.get_admin_context()


def lift_quota(nova_conf, project_id):
    """No instance/core/RAM limits for ``project_id`` (quota sets are not in the API yet)."""
    from nova import objects
    ctxt = _admin_context(nova_conf)
    for resource in ('instances', 'cores', 'ram'):
        try:
            objects.Quotas.create_limit(ctxt, project_id, resource, -1)
        except Exception:
            objects.Quotas.update_limit(ctxt, project_id, resource, -1)


def reset_quota(nova_conf, project_id):
    """Back to the default limits for ``project_id``."""
    from nova import objects
    objects.Quotas.destroy_all_by_project(_admin_context(nova_conf), project_id)


def from_state_dir(state_dir):
    """URL, token, nova.conf and project of the all-in-one in ``state_dir``."""
    settings_path = os.path.join(state_dir, 'allinone.json')
    settings = {}
    if os.path.exists(settings_path):
        with open(settings_path) as f:
            settings = json.load(f)
    port = settings.get('ports', {}).get('nova-api', 8774)
    return ('http://127.0.0.1:%d/v2.1' % port, os.path.join(state_dir, 'nova.conf'),
            settings)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--state-dir', default=os.path.join(REPO, '.allinone'))
    parser.add_argument('--url', help='compute endpoint (default: from the state dir)')
    parser.add_argument('--token', help='X-Auth-Token (default: noauth2 bench:<project>, '
                        'or a Keystone token from OS_* variables)')
    parser.add_argument('--image', required=False)
    parser.add_argument('--flavor', default='1')
    parser.add_argument('--sequential', type=int, default=50)
    parser.add_argument('--concurrent', type=int, default=200)
    parser.add_argument('--clients', type=int, default=8)
    parser.add_argument('--preload', type=int, default=500)
    parser.add_argument('--detail-at', default='1,100,1000')
    parser.add_argument('--detail-samples', type=int, default=20)
    parser.add_argument('--network', help='a Neutron network uuid (one port per server), '
                        'or none/auto (microversion 2.37)')
    args = parser.parse_args(argv)

    url, nova_conf, settings = from_state_dir(args.state_dir)
    url = args.url or url
    project = 'bench-%s' % uuid.uuid4().hex[:8]
    if args.token:
        token = args.token
        project = token_project(args.token) or project
    elif settings.get('noauth', True) and not os.environ.get('OS_AUTH_URL'):
        token = 'bench:%s' % project
    else:
        token, project = keystone_token_and_project()
    image = args.image or settings.get('image_id')
    if not image:
        raise SystemExit('no image id in the state dir; pass --image')
    cloud = Cloud(url, token, image, args.flavor, network=args.network)
    lift_quota(nova_conf, project)
    prefix = 'bench%s' % uuid.uuid4().hex[:6]
    results = []
    try:
        rate, posts, actives, ids = run_sequential(cloud, args.sequential, prefix + 's')
        results.append(('sequential boot (%d)' % args.sequential, rate, posts, actives))
        delete_rate = delete_all(cloud, ids, args.clients)
        rate, posts, actives, ids = run_concurrent(cloud, args.concurrent, args.clients,
                                                   prefix + 'c')
        results.append(('%d clients boot (%d)' % (args.clients, args.concurrent), rate,
                        posts, actives))
        delete_all(cloud, ids, args.clients)

        detail = []
        counts = sorted(int(c) for c in args.detail_at.split(',') if c)
        existing = 0
        loaded_rate = None
        for count in counts:
            if count > existing:
                preload(cloud, count - existing, prefix + 'p%d' % count)
                existing = count
            times = [cloud.detail()[1] for _ in range(args.detail_samples)]
            detail.append((count, times))
            if loaded_rate is None and count >= args.preload:
                loaded_rate, lposts, lactives, lids = run_sequential(
                    cloud, min(args.sequential, 50), prefix + 'l')
                results.append(('boot with %d on host' % count, loaded_rate, lposts,
                                lactives))
                delete_all(cloud, lids, args.clients)
        all_ids = cloud.all_ids(prefix)
        final_delete_rate = delete_all(cloud, all_ids, args.clients)
    finally:
        reset_quota(nova_conf, project)

    print('\n%-28s %10s %12s %12s %14s %14s' % ('phase', 'servers/s', 'POST p50 ms',
                                                'POST p95 ms', 'ACTIVE p50 ms',
                                                'ACTIVE p95 ms'))
    for name, rate, posts, actives in results:
        print('%-28s %10.2f %12.1f %12.1f %14.1f %14.1f' % (
            name, rate, pct(posts, 50) * 1000, pct(posts, 95) * 1000,
            pct(actives, 50) * 1000, pct(actives, 95) * 1000))
    print('\n%-28s %12s %12s' % ('GET /servers/detail', 'p50 ms', 'p95 ms'))
    for count, times in detail:
        print('%-28s %12.1f %12.1f' % ('at %d servers' % count, pct(times, 50) * 1000,
                                       pct(times, 95) * 1000))
    print('\ndelete rate: %.2f servers/s (sequential set), %.2f servers/s (%d servers)'
          % (delete_rate, final_delete_rate, len(all_ids)))
    rss = daemon_rss()
    print('\nRSS per daemon (MiB): ' + ', '.join('%s %.1f' % kv for kv in sorted(rss.items())))
    print('all nova daemons: %.1f MiB' % sum(rss.values()))
    print('(median/percentiles over the phase; microversion %s; poll %.0f ms; %s)'
          % (cloud.headers['OpenStack-API-Version'].split()[-1], POLL * 1000,
             'networks %s' % args.network if args.network in ('none', 'auto') else
             'a port per server on network %s' % args.network if args.network
             else 'no networks sent'))


def _keystone_session():
    from keystoneauth1 import loading, session
    loader = loading.get_plugin_loader('password')
    auth = loader.load_from_options(
        auth_url=os.environ['OS_AUTH_URL'], username=os.environ.get('OS_USERNAME'),
        password=os.environ.get('OS_PASSWORD'),
        project_name=os.environ.get('OS_PROJECT_NAME'),
        user_domain_name=os.environ.get('OS_USER_DOMAIN_NAME', 'Default'),
        project_domain_name=os.environ.get('OS_PROJECT_DOMAIN_NAME', 'Default'))
    return session.Session(auth=auth)


def keystone_token_and_project():
    """A token from the OS_* variables (source the all-in-one's openrc first)."""
    if not os.environ.get('OS_AUTH_URL'):
        raise SystemExit('the cloud uses Keystone: source its openrc or pass --token')
    sess = _keystone_session()
    return sess.get_token(), sess.get_project_id()


def token_project(token):
    return token.split(':', 1)[1] if ':' in token else None


if __name__ == '__main__':
    main()
