#!/usr/bin/env python3
"""Time of each move of a server with the fake driver: resize, confirm, revert,
cold migration and evacuation, across N fake compute services.

Builds a throwaway cloud the way the functional tier does: every nova service
in this process (conductor, scheduler, N nova-computes with the fake driver,
the API's paste app) over a private RabbitMQ vhost, the real Placement on
loopback, the real Glance (its own process) and SQLite cells. Each move is
timed from the API request to the state a user waits for (VERIFY_RESIZE,
ACTIVE, SHUTOFF), polling the API; the figures include RPC, Placement and the
database. Prints figures only, never asserts.

    python -m tools.bench.moves [--computes 10] [--rounds 10]
"""

import argparse
import contextlib
import pathlib
import statistics
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

POLL = 0.02
ADMIN = {'X-OpenStack-Nova-API-Version': '2.95'}


@contextlib.contextmanager
def bench_glance(tmp):
    from tests.fixtures import glance
    from tools.allinone_lib import install
    install.ensure_services_venv()
    with glance.running_glance(tmp / 'glance-state') as url:
        yield url


class Mover(object):
    def __init__(self, env):
        self.env = env
        self.admin = env['admin']
        self.times = {}

    def status(self, server_id):
        resp = self.admin.get('/servers/%s' % server_id)
        return resp.json_body_or_none['server'] if resp.status_int == 200 else None

    def wait(self, server_id, status, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.status(server_id)
            if server and server['status'] == status and server.get(
                    'OS-EXT-STS:task_state') is None:
                return server
            if server and server['status'] == 'ERROR':
                raise RuntimeError('server %s went to ERROR' % server_id)
            time.sleep(POLL)
        raise RuntimeError('server %s never reached %s' % (server_id, status))

    def timed(self, name, server_id, body, status, code=(200, 202, 204)):
        started = time.monotonic()
        resp = self.admin.post('/servers/%s/action' % server_id, body, headers=ADMIN)
        if resp.status_int not in code:
            raise RuntimeError('%s: %s %s' % (name, resp.status_int, resp.body))
        self.wait(server_id, status)
        self.times.setdefault(name, []).append(time.monotonic() - started)

    def boot(self, name, host=None):
        server = {'name': name, 'imageRef': self.env['image'], 'flavorRef': '1',
                  'networks': 'none'}
        if host:
            server['host'] = host
        started = time.monotonic()
        resp = self.admin.post('/servers', {'server': server}, headers=ADMIN)
        server_id = resp.json_body_or_none['server']['id']
        self.wait(server_id, 'ACTIVE')
        self.times.setdefault('boot', []).append(time.monotonic() - started)
        return server_id

    def delete(self, server_id):
        self.admin.delete('/servers/%s' % server_id)
        deadline = time.monotonic() + 60
        while self.admin.get('/servers/%s' % server_id).status_int != 404:
            if time.monotonic() > deadline:
                break
            time.sleep(POLL)


def _service_id(admin, host):
    resp = admin.get('/os-services?host=%s&binary=nova-compute' % host, headers=ADMIN)
    return resp.json_body_or_none['services'][0]['id']


def _evacuation_round(mover, env, tmp, hosts, index):
    """Boot on one host, stop its nova-compute and force it down, evacuate, bring it
    back (which frees the source's allocation)."""
    from tests.fixtures import cloud
    host = hosts[index % len(hosts)]
    server_id = mover.boot('bench-evacuee-%d' % index, host=host)
    svc = next(s for s in env['services'] if getattr(s, 'host', None) == host and
               s.binary == 'nova-compute')
    svc.stop()
    env['services'].remove(svc)
    service_id = _service_id(mover.admin, host)
    mover.admin.put('/os-services/%s' % service_id, {'forced_down': True}, headers=ADMIN)
    try:
        mover.timed('evacuate (2.95, to SHUTOFF)', server_id, {'evacuate': {}}, 'SHUTOFF',
                    code=(200,))
    finally:
        cloud.start_compute(env, host, hosts.index(host))
        mover.admin.put('/os-services/%s' % service_id, {'forced_down': False},
                        headers=ADMIN)
    mover.delete(server_id)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--computes', type=int, default=10)
    parser.add_argument('--rounds', type=int, default=10)
    args = parser.parse_args()
    from tests.fixtures import cloud
    flavors = (cloud.TINY, ('m1.small', 2, 1024, 2), ('m1.medium', 2, 2048, 2))
    hosts = tuple('bench-move-%d' % i for i in range(1, args.computes + 1))
    with tempfile.TemporaryDirectory(prefix='nova-bench-moves-') as tmpdir:
        tmp = pathlib.Path(tmpdir)
        with bench_glance(tmp) as glance_url, cloud.running_cloud(
                tmp, glance_url=glance_url, hosts=hosts, flavors=flavors,
                extra='\n[DEFAULT]\ndefault_log_levels = nova=WARN,placement=WARN,'
                      'oslo.messaging=WARN,amqp=WARN\n') as env:
            env['tmp'] = tmp
            mover = Mover(env)
            for index in range(args.rounds):
                server_id = mover.boot('bench-move-%d' % index)
                mover.timed('resize', server_id, {'resize': {'flavorRef': '2'}},
                            'VERIFY_RESIZE')
                mover.timed('confirmResize', server_id, {'confirmResize': None}, 'ACTIVE')
                mover.timed('resize (again)', server_id, {'resize': {'flavorRef': '3'}},
                            'VERIFY_RESIZE')
                mover.timed('revertResize', server_id, {'revertResize': None}, 'ACTIVE')
                mover.timed('migrate (cold)', server_id, {'migrate': None}, 'VERIFY_RESIZE')
                mover.timed('confirmResize (migration)', server_id, {'confirmResize': None},
                            'ACTIVE')
                mover.delete(server_id)
                _evacuation_round(mover, env, tmp, hosts, index)
    print('Moves of one server with the fake driver, %d nova-computes in one process, '
          '%d rounds (seconds from the request to the state a user waits for):'
          % (args.computes, args.rounds))
    print('%-28s %8s %8s %8s %8s' % ('move', 'mean', 'p50', 'max', 'n'))
    for name, values in mover.times.items():
        print('%-28s %8.3f %8.3f %8.3f %8d' % (name, statistics.mean(values),
                                             statistics.median(values), max(values),
                                             len(values)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
