#!/usr/bin/env python3
"""Faults during a wave of boots, against a running all-in-one (fake driver).

For each row of the table: a fresh project boots a wave of servers (one
multi-create request, or several clients each posting single servers), and
1 to 1.5 s into the wave one fault strikes (see ``injectors``). Once the
fault is over the servers get until ``--settle`` seconds after the wave
began to reach ACTIVE or ERROR; then every server is deleted with one DELETE
(a second one only for those still there a minute later), and Placement is
read for allocations of the project that outlived their servers.

    python -m tools.bench.faults [--state-dir /work/state/x] [--servers 40]
        [--clients 4] [--rows conductor-one,conductor,scheduler,compute,
        nova-api,rabbitmq,database] [--settle 180]

Prints the table and, last, ``stuck N, orphan allocations N, undeletable N,
5xx N`` summed over the rows. A figure-printing tool: it asserts nothing.
"""

import argparse
import concurrent.futures
import dataclasses
import json
import os
import random
import threading
import time
import uuid

import requests
import urllib3

from tools.allinone_lib import layout
from tools.allinone_lib import procs
from tools.bench import injectors

REPO = layout.REPO
MICROVERSION = '2.1'
DONE = ('ACTIVE', 'ERROR')
NO_ANSWER = 'no answer'


@dataclasses.dataclass
class Row(object):
    """One fault and the way the wave is sent."""
    key: str
    label: str
    fault: object
    one_request: bool = False


def rows(outage=20.0, db_outage=15.0, restart_after=5.0):
    kill = injectors.kill_and_restart
    return [
        Row('conductor-one', 'conductor, one request', kill('nova-conductor', restart_after),
            one_request=True),
        Row('conductor', 'conductor, %s', kill('nova-conductor', restart_after)),
        Row('scheduler', 'scheduler', kill('nova-scheduler', restart_after)),
        Row('compute', 'compute', kill('nova-compute', restart_after)),
        Row('nova-api', 'nova-api', kill('nova-api', restart_after)),
        Row('rabbitmq', 'RabbitMQ ~%d s' % outage, injectors.cut_broker(outage)),
        Row('database', 'database %d s' % db_outage,
            injectors.kill_database_connections(db_outage)),
    ]


@dataclasses.dataclass
class Result(object):
    label: str
    accepted: int = 0
    unanswered: int = 0
    active: int = 0
    error: int = 0
    error_without_fault: int = 0
    stuck: int = 0
    stuck_from_5xx: int = 0
    listed_twice: int = 0
    missing_allocations: int = 0
    orphan_allocations: int = 0
    second_delete: int = 0
    undeletable: int = 0
    errors_5xx: int = 0
    log_kib: float = 0.0
    dead_daemons: str = ''
    notes: list = dataclasses.field(default_factory=list)


class Client(object):
    """The compute and Placement APIs of the cloud, as one project's admin."""

    def __init__(self, state, project):
        self.state = state
        self.project = project
        self.compute = state.url('nova-api') + '/v2.1'
        self.placement = state.url('placement')
        self.image = state.settings['image_id']
        self._local = threading.local()
        self._lock = threading.Lock()
        self.responses_5xx = []

    def _session(self):
        if not hasattr(self._local, 'session'):
            session = requests.Session()
            session.headers.update({'X-Auth-Token': 'admin:%s' % self.project,
                                    'Content-Type': 'application/json',
                                    'OpenStack-API-Version': 'compute %s' % MICROVERSION})
            self._local.session = session
        return self._local.session

    def request(self, method, path, body=None, timeout=90, **kwargs):
        resp = self._session().request(method, self.compute + path, timeout=timeout,
                                       data=json.dumps(body) if body is not None else None,
                                       **kwargs)
        if resp.status_code >= 500:
            with self._lock:
                self.responses_5xx.append('%s %s: %d %s' % (method, path, resp.status_code,
                                                            resp.text[:200]))
        return resp

    def placement_get(self, path, version='1.12'):
        resp = requests.get(self.placement + path, timeout=30, headers={
            'X-Auth-Token': 'admin', 'OpenStack-API-Version': 'placement %s' % version})
        resp.raise_for_status()
        return resp.json()

    # --- compute ------------------------------------------------------------------

    def lift_quota(self):
        body = {'quota_set': {'instances': -1, 'cores': -1, 'ram': -1}}
        resp = self.request('PUT', '/os-quota-sets/%s' % self.project, body)
        if resp.status_code != 200:
            raise RuntimeError('cannot lift the quota: %d %s' % (resp.status_code,
                                                               resp.text[:300]))

    def post_servers(self, name, count=1, retry_for=60.0):
        """The ids created, or the HTTP status (or 'no answer') of a failed POST.

        While nova-api does not listen the POST is tried again, as a client
        with retries would; a POST whose connection broke gets no second try
        (the server may exist).
        """
        body = {'server': {'name': name, 'imageRef': self.image, 'flavorRef': '1'}}
        if count > 1:
            body['server'].update(min_count=count, max_count=count,
                                  return_reservation_id=False)
        deadline = time.monotonic() + retry_for
        while True:
            try:
                resp = self.request('POST', '/servers', body)
                break
            except requests.ConnectionError as exc:
                refused = isinstance(getattr(exc.args[0], 'reason', None),
                                     urllib3.exceptions.NewConnectionError)
                if not refused or time.monotonic() > deadline:
                    return NO_ANSWER
                time.sleep(0.5)
            except requests.RequestException:
                return NO_ANSWER
        if resp.status_code != 202:
            return resp.status_code
        if count == 1:
            return [resp.json()['server']['id']]
        return None  # a multi-create answers one server: the rest come from listings

    def servers(self):
        """Every server the project lists (duplicates kept)."""
        found, marker = [], None
        while True:
            query = '?limit=1000' + ('&marker=%s' % marker if marker else '')
            resp = self.request('GET', '/servers/detail' + query)
            resp.raise_for_status()
            page = resp.json()['servers']
            found.extend(page)
            if len(page) < 1000:
                return found
            marker = page[-1]['id']

    def show(self, server_id):
        resp = self.request('GET', '/servers/%s' % server_id)
        if resp.status_code == 404:
            return None
        resp.raise_for_status()
        return resp.json()['server']

    def delete(self, server_id):
        try:
            return self.request('DELETE', '/servers/%s' % server_id).status_code
        except requests.RequestException:
            return NO_ANSWER

    # --- placement -------------------------------------------------------------------

    def consumers(self):
        """{consumer uuid: resources} of the project's allocations in Placement."""
        found = {}
        for rp in self.placement_get('/resource_providers')['resource_providers']:
            allocations = self.placement_get('/resource_providers/%s/allocations'
                                             % rp['uuid'])['allocations']
            for consumer in allocations:
                owner = self.placement_get('/allocations/%s' % consumer)
                if owner.get('project_id') == self.project:
                    found[consumer] = owner['allocations']
        return found


def send_wave(client, servers, clients, one_request, prefix):
    """POST the wave; (ids answered, servers accepted, POSTs unanswered, failed statuses)."""
    if one_request:
        result = client.post_servers(prefix, count=servers)
        if result is None:
            return [], servers, 0, []
        return [], 0, servers if result == NO_ANSWER else 0, \
            [] if result == NO_ANSWER else [result]

    def one_client(index):
        mine, failed = [], []
        for n in range(index, servers, clients):
            result = client.post_servers('%s-%d' % (prefix, n))
            if isinstance(result, list):
                mine.extend(result)
            else:
                failed.append(result)
        return mine, failed

    accepted, failures = [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        for mine, failed in pool.map(one_client, range(clients)):
            accepted.extend(mine)
            failures.extend(failed)
    unanswered = sum(1 for f in failures if f == NO_ANSWER)
    return accepted, len(accepted), unanswered, [f for f in failures if f != NO_ANSWER]


def _log_bytes(state):
    total = 0
    for name in os.listdir(state.log_dir):
        try:
            total += os.path.getsize(os.path.join(state.log_dir, name))
        except OSError:
            pass
    return total


def _wait_settled(client, deadline, say):
    """Poll the listing until nothing is in BUILD or ``deadline`` passes."""
    failures = 0
    while True:
        try:
            listed = client.servers()
        except requests.RequestException as exc:
            if not failures:
                say('  listing failed (retrying quietly): %s' % exc)
            failures += 1
            listed = None
        if listed is not None and all(s['status'] in DONE for s in listed):
            return listed
        if time.monotonic() >= deadline:
            return listed or []
        time.sleep(2)


def _gone(client, server_id):
    if client.show(server_id) is not None:
        return False
    return all(s['id'] != server_id for s in client.servers())


def _delete_everything(client, ids, result, say, wait=60):
    """One DELETE each; a second for what is left a minute later; count the rest."""
    remaining = set(ids)
    for attempt in (1, 2):
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            codes = dict(zip(remaining, pool.map(client.delete, sorted(remaining))))
        odd = {i: c for i, c in codes.items() if c not in (204, 404)}
        if odd:
            say('DELETE attempt %d answered %s' % (attempt, sorted(set(odd.values()),
                                                                   key=str)))
        deadline = time.monotonic() + wait
        while remaining and time.monotonic() < deadline:
            try:
                remaining = {i for i in remaining if not _gone(client, i)}
            except requests.RequestException:
                pass
            if remaining:
                time.sleep(1)
        if not remaining:
            return
        if attempt == 1:
            result.second_delete = len(remaining)
            say('%d servers still there after one DELETE each' % len(remaining))
    result.undeletable = len(remaining)
    for server_id in sorted(remaining):
        server = client.show(server_id)
        result.notes.append('undeletable %s: %s' % (
            server_id, 'listed, but GET answers 404' if server is None else
            '%s/%s' % (server.get('status'), server.get('OS-EXT-STS:task_state'))))


def run_row(state, row, servers, clients, settle, rng, say):
    project = 'faults%s' % uuid.uuid4().hex[:10]
    client = Client(state, project)
    label = row.label % ('%d clients' % clients) if '%s' in row.label else row.label
    result = Result(label)
    client.lift_quota()
    consumers_before = set(client.consumers())
    logs_before = _log_bytes(state)
    prefix = 'wave%s' % uuid.uuid4().hex[:6]
    delay = rng.uniform(1.0, 1.5)
    fault_error = []

    def strike():
        time.sleep(delay)
        try:
            row.fault(state, log=lambda msg: say('  fault: %s' % msg))
        except Exception as exc:
            fault_error.append(exc)
            say('  fault failed: %s' % exc)

    say('%s: %d servers%s, fault after %.2fs' % (
        label, servers, ' in one request' if row.one_request else ' from %d clients' % clients,
        delay))
    began = time.monotonic()
    fault_thread = threading.Thread(target=strike, daemon=True)
    fault_thread.start()
    accepted, result.accepted, unanswered, failed = send_wave(client, servers, clients,
                                                           row.one_request, prefix)
    fault_thread.join()
    wave_5xx = len(client.responses_5xx)
    result.unanswered = unanswered
    say('  wave: %d accepted, %d unanswered, failed POSTs: %s (%.1fs)' % (
        result.accepted, unanswered, failed or 'none', time.monotonic() - began))

    listed = _wait_settled(client, began + settle, say)
    by_id = {}
    for server in listed:
        if server['id'] in by_id:
            result.listed_twice += 1
        by_id[server['id']] = server
    known = set(by_id) | set(accepted)
    for server_id in known:
        server = by_id.get(server_id) or client.show(server_id)
        status = server['status'] if server else 'GONE'
        if status == 'ACTIVE':
            result.active += 1
        elif status == 'ERROR':
            result.error += 1
            detail = client.show(server_id)
            if not detail or not detail.get('fault'):
                result.error_without_fault += 1
        elif status != 'GONE':
            result.stuck += 1
            if (server_id not in accepted and not row.one_request) or \
                    (row.one_request and failed):
                result.stuck_from_5xx += 1
    # A running server must hold its allocation; a failed build on a host
    # gives its claim back (as upstream does), so ERROR servers are not counted.
    with_host = {s['id'] for s in by_id.values()
                 if s.get('OS-EXT-SRV-ATTR:host') and s.get('status') == 'ACTIVE'}
    consumers = set(client.consumers()) - consumers_before
    result.missing_allocations = len(with_host - consumers)
    unowned = consumers - set(known)
    if unowned:
        result.notes.append('%d allocations of servers the API does not show' % len(unowned))

    _delete_everything(client, known, result, say)
    deadline = time.monotonic() + 30
    while True:
        left = set(client.consumers()) - consumers_before
        if not left or time.monotonic() > deadline:
            break
        time.sleep(1)
    result.orphan_allocations = len(left)
    result.errors_5xx = len(client.responses_5xx)
    if result.errors_5xx > wave_5xx:
        result.notes.append('%d 5xx after the wave' % (result.errors_5xx - wave_5xx))
    result.notes.extend(client.responses_5xx[:3])
    result.log_kib = (_log_bytes(state) - logs_before) / 1024.0
    result.dead_daemons = ','.join(n for n in injectors.NOVA_DAEMONS
                                   if not procs.running_pid(state, n))
    if fault_error:
        result.notes.append('fault not applied: %s' % fault_error[0])
    return result


COLUMNS = (('fault', 'label', 24), ('accepted', 'accepted', 8),
           ('no answer', 'unanswered', 9), ('ACTIVE', 'active', 6),
           ('ERROR', 'error', 5), ('no fault', 'error_without_fault', 8),
           ('stuck', 'stuck', 8), ('dup', 'listed_twice', 3),
           ('no alloc', 'missing_allocations', 8), ('orphan', 'orphan_allocations', 6),
           ('2nd DEL', 'second_delete', 7), ('undeletable', 'undeletable', 11),
           ('5xx', 'errors_5xx', 4), ('log KiB', 'log_kib', 8))


def print_table(results):
    print()
    print(' | '.join(title.ljust(width) for title, _attr, width in COLUMNS))
    print('-+-'.join('-' * width for _title, _attr, width in COLUMNS))
    for result in results:
        cells = []
        for _title, attr, width in COLUMNS:
            value = getattr(result, attr)
            if attr == 'stuck' and result.stuck_from_5xx:
                value = '%d (%d)' % (value, result.stuck_from_5xx)
            elif isinstance(value, float):
                value = '%.0f' % value
            cells.append(str(value).ljust(width))
        print(' | '.join(cells))
    notes = [(r.label, n) for r in results for n in r.notes]
    notes += [(r.label, 'daemons not running afterwards: %s' % r.dead_daemons)
              for r in results if r.dead_daemons]
    if notes:
        print()
        for label, note in notes:
            print('%s: %s' % (label, note))
    print()
    print('(accepted: servers whose POST answered 202; no answer: POSTs whose connection '
          'broke; stuck (from 5xx POSTs): not ACTIVE or '
          'ERROR at the end; no fault: ERROR without a fault; dup: uuids listed twice; '
          'no alloc: ACTIVE servers without an allocation; orphan: allocations left '
          'after deleting everything; 2nd DEL: servers that needed a second DELETE)')
    print('stuck %d, orphan allocations %d, undeletable %d, 5xx %d' % (
        sum(r.stuck for r in results), sum(r.orphan_allocations for r in results),
        sum(r.undeletable for r in results), sum(r.errors_5xx for r in results)))


def build_timeout(state):
    """``[DEFAULT] instance_build_timeout`` of the cloud's nova.conf (0: none)."""
    import configparser
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(state.nova_conf)
    return parser.getint('DEFAULT', 'instance_build_timeout', fallback=0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--state-dir', default=os.environ.get('NOVA_ALLINONE_STATE_DIR',
                                                              layout.DEFAULT_STATE_DIR))
    parser.add_argument('--servers', type=int, default=40)
    parser.add_argument('--clients', type=int, default=4)
    parser.add_argument('--rows', default=','.join(r.key for r in rows()),
                        help='comma-separated keys of the rows to run')
    parser.add_argument('--settle', type=float, default=180.0,
                        help='seconds after the wave began for servers to settle')
    parser.add_argument('--outage', type=float, default=20.0, help='broker outage (s)')
    parser.add_argument('--db-outage', type=float, default=15.0,
                        help='seconds of killed database connections')
    parser.add_argument('--restart-after', type=float, default=5.0,
                        help='seconds between kill -9 and the restart')
    parser.add_argument('--seed', type=int, default=None)
    args = parser.parse_args(argv)

    state = layout.State(args.state_dir)
    if not state.exists():
        raise SystemExit('no all-in-one in %s (tools/allinone --state-dir %s up --virt fake)'
                         % (state.path, state.path))
    if state.settings.get('virt') != 'fake':
        raise SystemExit('the cloud in %s does not run the fake driver' % state.path)
    wanted = [k for k in args.rows.split(',') if k]
    table = {r.key: r for r in rows(args.outage, args.db_outage, args.restart_after)}
    unknown = set(wanted) - set(table)
    if unknown:
        raise SystemExit('unknown rows: %s (known: %s)' % (', '.join(sorted(unknown)),
                                                           ', '.join(table)))
    rng = random.Random(args.seed)
    timeout = build_timeout(state)

    def say(msg):
        print('faults: %s' % msg, flush=True)

    say('cloud %s, instance_build_timeout %s, settle %.0fs'
        % (state.path, timeout or 'off', args.settle))
    if not timeout or timeout > args.settle:
        say('note: builds whose messages a fault lost can only end through '
            'instance_build_timeout; set it below --settle in %s' % state.nova_conf)
    results = []
    for key in wanted:
        result = run_row(state, table[key], args.servers, args.clients, args.settle, rng, say)
        results.append(result)
        say('  %d ACTIVE, %d ERROR, %d stuck, %d orphan allocations, %d undeletable, %d 5xx'
            % (result.active, result.error, result.stuck, result.orphan_allocations,
               result.undeletable, result.errors_5xx))
    print_table(results)


if __name__ == '__main__':
    main()
