#!/usr/bin/env python3
"""Concurrent clients against a running all-in-one: does every service hold up?

Each of N clients (threads, each with its own keep-alive connections, as the
openstack CLI and SDK keep theirs) loops for the given time: as admin it
creates a project and a user with the member role in it; as that user it
gets a token, lists images (Glance) and flavors, boots a server
(``m1.tiny``, ``cirros-fake``, no network), waits for ACTIVE, deletes it and
waits until it is gone; as admin it reads the resource providers (Placement)
and deletes the user and the project. Every answer's status code is counted
per service; a connection that fails or is closed under a request counts as
``dropped``. Prints the counts, never asserts; exits 1 when any service
answered 5xx or dropped a connection.

    tools/allinone up
    python3 -m tools.bench.cloud_load [--state-dir .allinone] [--clients 8] [--minutes 5]

Standard library only. Needs a cloud with Keystone (not ``--noauth``).
"""

import argparse
import collections
import http.client
import json
import os
import select
import sys
import threading
import time
import urllib.parse
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICES = ('keystone', 'nova', 'glance', 'placement')
COMPUTE_VERSION = '2.37'  # "networks": "none"
PLACEMENT_VERSION = 'placement 1.39'


class Dropped(Exception):
    """The connection failed or closed under a request."""


class Unexpected(RuntimeError):
    """An answer with another status code than the call expects."""


class Counts(object):
    def __init__(self):
        self._lock = threading.Lock()
        self.codes = {name: collections.Counter() for name in SERVICES}
        self.errors = collections.Counter()
        self.servers = 0
        self.loops = 0

    def add(self, service, code):
        with self._lock:
            self.codes[service][code] += 1

    def error(self, text):
        with self._lock:
            self.errors[text[:120]] += 1


def _closed_by_server(conn):
    """True when the server closed this idle connection (readable at EOF)."""
    sock = conn.sock
    if sock is None:
        return False
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


class Client(object):
    """Keep-alive HTTP/1.1 connections, one per service, counted."""

    def __init__(self, urls, counts):
        self.urls = urls
        self.counts = counts
        self.conns = {}
        self.token = None

    def _conn(self, service):
        conn = self.conns.get(service)
        if conn is not None and _closed_by_server(conn):
            # An idle keep-alive connection the server has since closed, as
            # any HTTP client's pool sees before reusing one: not a drop.
            conn.close()
            conn = None
        if conn is None:
            url = urllib.parse.urlsplit(self.urls[service])
            conn = self.conns[service] = http.client.HTTPConnection(
                url.hostname, url.port, timeout=120)
        return conn

    def request(self, service, method, path, body=None, token=None, headers=None):
        base = urllib.parse.urlsplit(self.urls[service]).path.rstrip('/')
        hdrs = {'Accept': 'application/json', 'User-Agent': 'nova-bench-cloud-load'}
        if body is not None:
            hdrs['Content-Type'] = 'application/json'
        token = token or self.token
        if token:
            hdrs['X-Auth-Token'] = token
        hdrs.update(headers or {})
        conn = self._conn(service)
        try:
            conn.request(method, base + path, json.dumps(body) if body is not None else None,
                         hdrs)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            self.conns.pop(service, None)
            self.counts.add(service, 'dropped')
            raise Dropped('%s %s %s: %r' % (service, method, path, exc))
        self.counts.add(service, resp.status)
        if resp.getheader('Connection', '').lower() == 'close':
            conn.close()
            self.conns.pop(service, None)
        text = data.decode('utf-8', 'replace')
        return resp.status, resp, (json.loads(text) if text.strip().startswith(('{', '['))
                                   else text)

    def expect(self, codes, service, method, path, body=None, **kwargs):
        status, resp, data = self.request(service, method, path, body, **kwargs)
        if status not in codes:
            raise Unexpected('%s %s %s: %s %s' % (service, method, path, status,
                                                    str(data)[:200]))
        return resp, data

    def close(self):
        for conn in self.conns.values():
            conn.close()


def password_token(client, user, password, project_id=None, project_name=None):
    scope = ({'project': {'id': project_id}} if project_id else
             {'project': {'name': project_name, 'domain': {'id': 'default'}}})
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': user, 'domain': {'id': 'default'}, 'password': password}}},
        'scope': scope}}
    resp, _ = client.expect((201,), 'keystone', 'POST', '/v3/auth/tokens', body, token='-')
    return resp.getheader('X-Subject-Token')


def wait_server(client, server_id, token, gone=False, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _resp, data = client.request('nova', 'GET', '/servers/%s' % server_id,
                                             token=token, headers=NOVA_HEADERS)
        if gone and status == 404:
            return 'gone'
        if status == 200 and not gone:
            state = data['server']['status']
            if state in ('ACTIVE', 'ERROR'):
                return state
        time.sleep(0.5)
    raise RuntimeError('server %s not %s within %ss' % (server_id, 'gone' if gone else
                                                        'ACTIVE', timeout))


NOVA_HEADERS = {'OpenStack-API-Version': 'compute %s' % COMPUTE_VERSION}


def one_loop(client, admin_token, password, role_id, flavor_id, image_id, counts):
    name = 'bench-%s' % uuid.uuid4().hex[:12]
    _, data = client.expect((201,), 'keystone', 'POST', '/v3/projects',
                            {'project': {'name': name, 'domain_id': 'default'}},
                            token=admin_token)
    project_id = data['project']['id']
    user_id = None
    try:
        _, data = client.expect((201,), 'keystone', 'POST', '/v3/users',
                                {'user': {'name': name, 'domain_id': 'default',
                                          'password': password,
                                          'default_project_id': project_id}},
                                token=admin_token)
        user_id = data['user']['id']
        client.expect((204,), 'keystone', 'PUT', '/v3/projects/%s/users/%s/roles/%s'
                      % (project_id, user_id, role_id), token=admin_token)
        token = password_token(client, name, password, project_id=project_id)
        client.expect((200,), 'glance', 'GET', '/v2/images?limit=5', token=token)
        client.expect((200,), 'nova', 'GET', '/flavors', token=token, headers=NOVA_HEADERS)
        _, data = client.expect((202,), 'nova', 'POST', '/servers', {'server': {
            'name': name, 'flavorRef': flavor_id, 'imageRef': image_id,
            'networks': 'none'}}, token=token, headers=NOVA_HEADERS)
        server_id = data['server']['id']
        state = wait_server(client, server_id, token)
        if state != 'ACTIVE':
            counts.error('server went to %s' % state)
        client.expect((204,), 'nova', 'DELETE', '/servers/%s' % server_id, token=token,
                      headers=NOVA_HEADERS)
        wait_server(client, server_id, token, gone=True)
        with counts._lock:
            counts.servers += 1
        client.expect((200,), 'placement', 'GET', '/resource_providers', token=admin_token,
                      headers={'OpenStack-API-Version': PLACEMENT_VERSION})
    finally:
        if user_id:
            client.request('keystone', 'DELETE', '/v3/users/%s' % user_id, token=admin_token)
        client.request('keystone', 'DELETE', '/v3/projects/%s' % project_id,
                       token=admin_token)


def worker(urls, settings, deadline, counts, setup):
    client = Client(urls, counts)
    try:
        admin_token = password_token(client, 'admin', settings['password'],
                                     project_name='admin')
        while time.monotonic() < deadline:
            try:
                one_loop(client, admin_token, settings['password'], setup['role_id'],
                         setup['flavor_id'], setup['image_id'], counts)
                with counts._lock:
                    counts.loops += 1
            except (Dropped, RuntimeError, KeyError, ValueError) as exc:
                counts.error('%s: %s' % (type(exc).__name__, exc))
                time.sleep(0.5)
    except Exception as exc:  # a client that cannot even start is a result too
        counts.error('client stopped: %r' % exc)
    finally:
        client.close()


def discover(urls, settings, counts):
    client = Client(urls, counts)
    token = password_token(client, 'admin', settings['password'], project_name='admin')
    _, roles = client.expect((200,), 'keystone', 'GET', '/v3/roles?name=member', token=token)
    _, flavors = client.expect((200,), 'nova', 'GET', '/flavors', token=token,
                               headers=NOVA_HEADERS)
    _, images = client.expect((200,), 'glance', 'GET', '/v2/images?name=cirros-fake',
                              token=token)
    client.close()
    return {'role_id': roles['roles'][0]['id'],
            'flavor_id': next(f['id'] for f in flavors['flavors'] if f['name'] == 'm1.tiny'),
            'image_id': images['images'][0]['id']}


def report(counts, elapsed, clients):
    print('cloud_load: %d clients for %.0fs: %d loops, %d servers booted and deleted'
          % (clients, elapsed, counts.loops, counts.servers))
    bad = 0
    for service in SERVICES:
        codes = counts.codes[service]
        numeric = sorted(c for c in codes if c != 'dropped')
        text = ', '.join('%s: %d' % (c, codes[c]) for c in numeric)
        server_errors = sum(codes[c] for c in numeric if c >= 500)
        bad += server_errors + codes['dropped']
        print('  %-10s %s; 5xx: %d; dropped: %d' % (service, text or '-', server_errors,
                                                    codes['dropped']))
    if counts.errors:
        print('  client-side errors:')
        for text, n in counts.errors.most_common(10):
            print('    %4d  %s' % (n, text))
    print('cloud_load: %s' % ('no 5xx, no dropped connection' if not bad else
                              '%d answers were 5xx or dropped' % bad))
    return 1 if bad else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--state-dir', default=os.path.join(REPO, '.allinone'))
    parser.add_argument('--clients', type=int, default=8)
    parser.add_argument('--minutes', type=float, default=5)
    args = parser.parse_args(argv)
    with open(os.path.join(args.state_dir, 'allinone.json')) as f:
        settings = json.load(f)
    if settings.get('noauth'):
        parser.error('the cloud runs without Keystone (--noauth); this needs Keystone')
    ports = settings['ports']
    urls = {'keystone': 'http://127.0.0.1:%d' % ports['keystone'],
            'nova': 'http://127.0.0.1:%d/v2.1' % ports['nova-api'],
            'glance': 'http://127.0.0.1:%d' % ports['glance'],
            'placement': 'http://127.0.0.1:%d' % ports['placement']}
    counts = Counts()
    setup = discover(urls, settings, counts)
    start = time.monotonic()
    deadline = start + args.minutes * 60
    threads = [threading.Thread(target=worker, args=(urls, settings, deadline, counts, setup),
                                name='client-%d' % i) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return report(counts, time.monotonic() - start, args.clients)


if __name__ == '__main__':
    sys.exit(main())
