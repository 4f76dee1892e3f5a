#!/usr/bin/env python3
"""A simulated fleet in this process: boot rate in min_count batches, list, delete.

Starts Glance (noauth) and an in-process cloud (the functional tier's
``running_cloud``: API paste app, conductor, scheduler, real Placement, a
private RabbitMQ vhost, SQLite cells) whose one nova-compute runs the fake
driver with ``--nodes`` nodes (``nova.virt.fake.set_nodes``: each node a
compute node, a hypervisor and a resource provider). Then boots ``--servers``
servers through the API in batches of ``--batch`` (``min_count``), waits for
each batch to be ACTIVE, times ``GET /servers/detail?limit=100`` with the
fleet in place, and deletes everything. Prints figures only, never asserts.

    python -m tools.bench.fleet [--nodes 100] [--servers 500] [--batch 50]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


# A fleet is bigger than the default quota of one project.
_NO_QUOTA = '\n[quota]\ninstances = -1\ncores = -1\nram = -1\n'


def _wait(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit('gave up waiting after %d s' % timeout)


def _count(admin, path, key):
    return len(admin.get(path).json_body_or_none[key])


def _providers_with_inventory(placement_url):
    import requests
    resp = requests.get(placement_url + '/resource_providers?resources=VCPU:1', timeout=30,
                        headers={'X-Auth-Token': 'admin',
                                 'OpenStack-API-Version': 'placement 1.39'})
    return len(resp.json()['resource_providers']) if resp.status_code == 200 else 0


def _action_events(admin, server_id):
    """The events (with tracebacks) of the server's actions: why it failed."""
    path = '/servers/%s/os-instance-actions' % server_id
    found = []
    for action in admin.get(path, version='2.51').json_body_or_none['instanceActions']:
        detail = admin.get('%s/%s' % (path, action['request_id']), version='2.51')
        found.append(detail.json_body_or_none['instanceAction'].get('events'))
    return found


def run(env, args, cloud_started):
    admin = env['admin']
    print('cloud up with %d nodes (their records and providers made at nova-compute '
          'start) in %.1f s' % (args.nodes, time.perf_counter() - cloud_started))
    started = time.perf_counter()
    _wait(lambda: _count(admin, '/os-hypervisors', 'hypervisors') >= args.nodes, 600)
    _wait(lambda: _providers_with_inventory(env['placement']) >= args.nodes, 600)
    print('%d hypervisors (one nova-compute) listed, with inventory in Placement, after %.1f s'
          % (args.nodes, time.perf_counter() - started))
    booted, batch_rates = 0, []
    started = time.perf_counter()
    while booted < args.servers:
        count = min(args.batch, args.servers - booted)
        t0 = time.perf_counter()
        resp = admin.post('/servers', {'server': {
            'name': 'fleet-%d' % booted, 'imageRef': env['image'], 'flavorRef': '1',
            'min_count': count, 'max_count': count}})
        if resp.status_int != 202:
            raise SystemExit('boot failed: %s %s' % (resp.status, resp.body[:300]))
        name = 'fleet-%d' % booted

        def active(name=name, count=count):
            servers = admin.get('/servers/detail?name=^%s' % name
                                ).json_body_or_none['servers']
            for server in servers:
                if server['status'] == 'ERROR':
                    raise SystemExit('server %s of %s went to ERROR: %s %s' % (
                        server['id'], name, server.get('fault'),
                        _action_events(admin, server['id'])))
            return len(servers) == count and all(s['status'] == 'ACTIVE' for s in servers)

        _wait(active, 600)
        booted += count
        batch_rates.append(count / (time.perf_counter() - t0))
    elapsed = time.perf_counter() - started
    print('booted %d servers in batches of %d: %.1f servers/s to ACTIVE '
          '(batch p50 %.1f/s)' % (booted, args.batch, booted / elapsed,
                                  statistics.median(batch_rates)))
    nodes_used = {s['OS-EXT-SRV-ATTR:hypervisor_hostname'] for s in admin.get(
        '/servers/detail').json_body_or_none['servers']}
    print('servers spread over %d of %d nodes' % (len(nodes_used), args.nodes))
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        resp = admin.get('/servers/detail?limit=100', version='2.100')
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_int == 200
    print('GET /servers/detail?limit=100 with %d servers: p50 %.1f ms'
          % (booted, statistics.median(times)))
    ids = [s['id'] for s in admin.get('/servers').json_body_or_none['servers']]
    started = time.perf_counter()
    for server_id in ids:
        admin.delete('/servers/%s' % server_id)
    _wait(lambda: _count(admin, '/servers', 'servers') == 0, 900)
    print('deleted %d servers: %.1f servers/s' % (len(ids),
                                                 len(ids) / (time.perf_counter() - started)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--nodes', type=int, default=100)
    parser.add_argument('--servers', type=int, default=500)
    parser.add_argument('--batch', type=int, default=50)
    parser.add_argument('--repeat', type=int, default=10, help='timed list requests')
    args = parser.parse_args(argv)
    from nova.virt import fake
    from tests.fixtures import cloud
    from tests.fixtures import glance as glance_fixture
    from tools.allinone_lib import install
    fake.set_nodes(['fleet-node-%04d' % i for i in range(args.nodes)])
    with tempfile.TemporaryDirectory(prefix='bench-fleet-') as tmp_name:
        tmp = Path(tmp_name)
        install.ensure_services_venv()
        try:
            cloud_started = time.perf_counter()
            with glance_fixture.running_glance(tmp / 'glance-state') as glance_url, \
                    cloud.running_cloud(tmp, glance_url=glance_url, hosts=['fleet-compute'],
                                        extra=_NO_QUOTA) as env:
                run(env, args, cloud_started)
        finally:
            fake.restore_nodes()
    return 0


if __name__ == '__main__':
    sys.exit(main())
