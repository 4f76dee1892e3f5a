#!/usr/bin/env python3
"""Start-up time and memory of the nova daemons, measured on this machine.

Brings up a throwaway deployment (MariaDB databases, a private RabbitMQ vhost,
the real Placement service), then starts nova-conductor, nova-scheduler and
nova-compute one at a time from their console scripts and prints, for each:
the seconds from exec to its service record existing (ready to work), and
its RSS once settled. Prints figures only; asserts nothing.

    python -m tools.bench.daemons [--repeat 3] [--db mysql|sqlite]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from tests.e2e import processes
from tests.fixtures import cloud, databases, rabbit

REPO = Path(__file__).resolve().parents[2]
DAEMONS = ('nova-conductor', 'nova-scheduler', 'nova-compute')


def _start_placement(state):
    port = processes.free_port()
    proc = subprocess.Popen([sys.executable, '-m', 'tools.placement_server', '--state-dir',
                             str(state), '--port', str(port)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import requests
    url = 'http://127.0.0.1:%d' % port

    def up():
        try:
            return requests.get(url, timeout=1).ok
        except requests.ConnectionError:
            return False
    processes.wait_for(up, timeout=90, what='placement')
    return proc, url


def _tree_rss(pid):
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc] + proc.children(recursive=True))


def measure(tmp, conf, repeat):
    """Start the three daemons in order (compute needs conductor), ``repeat`` times."""
    startups = {b: [] for b in DAEMONS}
    rss = {b: [] for b in DAEMONS}
    for attempt in range(repeat):
        running = []
        try:
            for binary in DAEMONS:
                daemon = processes.Daemon(binary, conf,
                                          str(tmp / ('%s-%d.log' % (binary, attempt))))
                began = time.monotonic()
                daemon.start()
                running.append(daemon)
                try:
                    processes.wait_for(lambda: 'is consuming RPC topic' in daemon.log(),
                                       timeout=120, interval=0.02, what='%s ready' % binary)
                except AssertionError:
                    print(daemon.log()[-3000:], file=sys.stderr)
                    raise
                startups[binary].append(time.monotonic() - began)
            time.sleep(5)  # let periodic tasks and connection pools settle
            for daemon in running:
                rss[daemon.name].append(_tree_rss(daemon.pid) / 2**20)
        finally:
            for daemon in reversed(running):
                daemon.stop()
    return {b: (statistics.median(startups[b]), statistics.median(rss[b])) for b in DAEMONS}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--db', choices=['mysql', 'sqlite'], default='mysql')
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        placement, url = _start_placement(tmp / 'placement')
        try:
            with rabbit.temporary_vhost() as transport_url, \
                    databases.temporary_database(args.db, tmp) as api_db, \
                    databases.temporary_database(args.db, tmp) as cell_db:
                conf = cloud.nova_conf(str(tmp / 'nova.conf'), transport_url=transport_url,
                                       api_db=api_db, cell_db=cell_db, placement_url=url,
                                       state_path=str(tmp / 'state'), host='bench-host')
                processes.run('nova-manage', 'api_db', 'sync', conf=conf)
                processes.run('nova-manage', 'cell_v2', 'create_cell', '--name', 'cell1',
                              conf=conf)
                processes.run('nova-manage', 'db', 'sync', '--local_cell', conf=conf)
                results = measure(tmp, conf, args.repeat)
        finally:
            placement.terminate()
            placement.wait()
    print('daemon            start-up (s, exec to consuming RPC)   RSS (MiB, settled)')
    total = 0.0
    for binary in DAEMONS:
        startup, rss = results[binary]
        total += rss
        print('%-17s %8.2f %39.1f' % (binary, startup, rss))
    print('%-17s %8s %39.1f' % ('all three', '', total))
    print('(median of %d starts each; db=%s; python %s)' % (
        args.repeat, args.db, sys.version.split()[0]))


if __name__ == '__main__':
    main()
