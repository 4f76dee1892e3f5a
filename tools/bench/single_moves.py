#!/usr/bin/env python3
"""Time of each single-server move: rebuild, rescue, unrescue, shelve (kept on its
host), shelve offload, unshelve (back on its host or scheduled anew).

Two ways to run it, printing figures only (never asserting):

``--fake`` builds a throwaway cloud the way the functional tier does: every
nova service in this process (conductor, scheduler, N nova-computes with the
fake driver, the API's paste app) over a private RabbitMQ vhost, the real
Placement on loopback, the real Glance (its own process) and SQLite cells.

``--state-dir DIR`` drives a running all-in-one (e.g. ``tools/allinone up
--virt libvirt --noauth``) through its API with noauth2 tokens, using its
``nova-test-guest`` image (a real QEMU guest with the libvirt driver).

Each move is timed from the API request to the state a user waits for
(ACTIVE, RESCUE, SHELVED, SHELVED_OFFLOADED), polling the API.

    python -m tools.bench.single_moves --fake [--computes 2] [--rounds 5]
    python -m tools.bench.single_moves --state-dir /path/to/allinone [--rounds 1]
"""

import argparse
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

POLL = 0.05
VERSION = '2.91'
MOVES = ('rebuild', 'rescue', 'unrescue', 'shelve', 'shelveOffload', 'unshelve',
         'shelve+offload', 'unshelve-offloaded')


class HttpClient(object):
    """The compute API of a running cloud over HTTP (noauth2 token)."""

    def __init__(self, url, token):
        import requests
        self.url = url.rstrip('/')
        self.session = requests.Session()
        self.session.headers.update({'X-Auth-Token': token,
                                     'Content-Type': 'application/json'})

    def call(self, method, path, body=None):
        resp = self.session.request(method, self.url + path, timeout=120,
                                    data=json.dumps(body) if body is not None else None,
                                    headers={'OpenStack-API-Version': 'compute ' + VERSION})
        return resp.status_code, (resp.json() if resp.content else None)


class AppClient(object):
    """The compute API's paste app in this process (tests.unit.api.conftest.Client)."""

    def __init__(self, client):
        self.client = client

    def call(self, method, path, body=None):
        resp = self.client.request(method, path, body=body, version=VERSION)
        return resp.status_int, resp.json_body_or_none


class Mover(object):
    def __init__(self, client, image, flavor, timeout):
        self.client = client
        self.image = image
        self.flavor = flavor
        self.timeout = timeout
        self.times = {name: [] for name in MOVES}

    def status(self, server_id):
        code, body = self.client.call('GET', '/servers/%s' % server_id)
        if code != 200:
            raise RuntimeError('GET server %s: %s' % (server_id, code))
        server = body['server']
        return server['status'], server.get('OS-EXT-STS:task_state')

    def wait(self, server_id, wanted):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            status, task = self.status(server_id)
            if status == wanted and task is None:
                return
            if status == 'ERROR':
                raise RuntimeError('server %s went to ERROR' % server_id)
            time.sleep(POLL)
        raise RuntimeError('server %s not %s within %ss' % (server_id, wanted,
                                                          self.timeout))

    def boot(self, name):
        code, body = self.client.call('POST', '/servers', {'server': {
            'name': name, 'imageRef': self.image, 'flavorRef': self.flavor,
            'networks': 'none'}})
        if code != 202:
            raise RuntimeError('POST /servers: %s %s' % (code, body))
        server_id = body['server']['id']
        self.wait(server_id, 'ACTIVE')
        return server_id

    def timed(self, name, server_id, body, wanted):
        started = time.monotonic()
        code, answer = self.client.call('POST', '/servers/%s/action' % server_id, body)
        if code not in (200, 202):
            raise RuntimeError('%s: %s %s' % (name, code, answer))
        self.wait(server_id, wanted)
        self.times[name].append(time.monotonic() - started)

    def round(self, index, offload_at_once):
        server_id = self.boot('bench-moves-%d' % index)
        try:
            self.timed('rebuild', server_id, {'rebuild': {'imageRef': self.image}}, 'ACTIVE')
            self.timed('rescue', server_id, {'rescue': None}, 'RESCUE')
            self.timed('unrescue', server_id, {'unrescue': None}, 'ACTIVE')
            if offload_at_once:
                self.timed('shelve+offload', server_id, {'shelve': None},
                           'SHELVED_OFFLOADED')
            else:
                self.timed('shelve', server_id, {'shelve': None}, 'SHELVED')
                self.timed('unshelve', server_id, {'unshelve': None}, 'ACTIVE')
                self.timed('shelve', server_id, {'shelve': None}, 'SHELVED')
                self.timed('shelveOffload', server_id, {'shelveOffload': None},
                           'SHELVED_OFFLOADED')
            self.timed('unshelve-offloaded', server_id, {'unshelve': None}, 'ACTIVE')
        finally:
            self.client.call('DELETE', '/servers/%s' % server_id)

    def report(self, title):
        print(title)
        for name in MOVES:
            values = self.times[name]
            if not values:
                continue
            print('  %-20s n=%-3d mean %6.2fs  median %6.2fs  max %6.2fs' % (
                name, len(values), statistics.mean(values), statistics.median(values),
                max(values)))


def run_fake(args):
    from tests.fixtures import cloud
    from tests.unit.api.conftest import Client
    from tools.bench import moves
    hosts = tuple('bench-moves-%d' % i for i in range(args.computes))
    with tempfile.TemporaryDirectory(prefix='bench-single-moves-') as tmp:
        tmp = pathlib.Path(tmp)
        with moves.bench_glance(tmp) as glance_url:
            for offload_time in (-1, 0):
                extra = '\n[DEFAULT]\nshelved_offload_time = %d\n' % offload_time
                with cloud.running_cloud(tmp / ('cloud%d' % offload_time),
                                         glance_url=glance_url, hosts=hosts,
                                         extra=extra) as env:
                    mover = Mover(AppClient(Client(env['app'], token='admin:admin')),
                                  env['image'], '1', args.timeout)
                    for index in range(args.rounds):
                        mover.round(index, offload_at_once=offload_time == 0)
                    mover.report('fake driver, %d computes, shelved_offload_time = %d, '
                                 '%d rounds:' % (args.computes, offload_time, args.rounds))


def run_state_dir(args):
    with open(os.path.join(args.state_dir, 'allinone.json')) as f:
        settings = json.load(f)
    port = settings.get('ports', {}).get('nova-api', 8774)
    client = HttpClient('http://127.0.0.1:%d/v2.1' % port, args.token)
    code, body = client.call('GET', '/images?name=%s' % args.image_name)
    images = (body or {}).get('images') or []
    if not images:
        raise SystemExit('no image named %s in this cloud' % args.image_name)
    mover = Mover(client, images[0]['id'], args.flavor, args.timeout)
    for index in range(args.rounds):
        mover.round(index, offload_at_once=True)
    mover.report('all-in-one at %s (its driver, image %s), %d rounds:' % (
        args.state_dir, args.image_name, args.rounds))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--fake', action='store_true', help='a throwaway fake-driver cloud')
    parser.add_argument('--state-dir', help='a running all-in-one (noauth2) instead')
    parser.add_argument('--computes', type=int, default=2)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--timeout', type=float, default=600)
    parser.add_argument('--token', default='admin:admin')
    parser.add_argument('--flavor', default='1')
    parser.add_argument('--image-name', default='nova-test-guest')
    args = parser.parse_args(argv)
    if args.state_dir:
        run_state_dir(args)
    else:
        run_fake(args)


if __name__ == '__main__':
    main()
