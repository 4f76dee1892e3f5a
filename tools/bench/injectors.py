"""Faults to inflict on a running all-in-one, each confined to that one cloud.

Used by ``tools/bench/faults.py`` and the fault suite. Each fault is a
callable taking the all-in-one's ``layout.State`` that blocks for the length
of the fault and leaves the cloud as it found it:

- ``kill_and_restart(name)``: ``kill -9`` one of its daemons and start it again
  a few seconds later, the way ``tools/allinone up`` starts it;
- ``cut_broker``: clear the permissions of the cloud's own RabbitMQ vhost and
  close that vhost's connections, restore them afterwards;
- ``kill_database_connections``: kill, over and over, every connection to the
  cloud's own MariaDB databases.

The machine's shared servers are never restarted or reconfigured: only the
cloud's vhost, its connections and its databases' connections are touched.
"""

import os
import signal
import subprocess
import time

from tools.allinone_lib import nova
from tools.allinone_lib import procs

NOVA_DAEMONS = ('nova-conductor', 'nova-scheduler', 'nova-compute', 'nova-api')


def _rabbitmqctl(*args, check=True):
    return subprocess.run(['rabbitmqctl', '-q'] + list(args), capture_output=True, text=True,
                          timeout=120, check=check)


def kill_and_restart(name, restart_after=5.0):
    """``kill -9`` the daemon ``name``; start it again ``restart_after`` seconds later."""
    def fault(state, log=print):
        pid = procs.running_pid(state, name)
        if pid is None:
            raise RuntimeError('%s is not running' % name)
        os.kill(pid, signal.SIGKILL)
        log('killed %s (pid %d) with SIGKILL' % (name, pid))
        deadline = time.monotonic() + 10
        while procs.running_pid(state, name) and time.monotonic() < deadline:
            procs._reap(pid)
            time.sleep(0.05)
        time.sleep(restart_after)
        started = nova.start_daemons(state, [name])
        log('restarted %s (pid %s)' % (name, started[name][1]))
    fault.label = name
    return fault


def vhost_connections(state):
    """Names of the connections open on the cloud's vhost."""
    listed = _rabbitmqctl('list_connections', 'vhost', 'name').stdout.splitlines()
    vhost = state.settings['vhost']
    return [line.split('\t', 1)[1] for line in listed
            if '\t' in line and line.split('\t', 1)[0] == vhost]


def cut_broker(seconds=20.0):
    """Make the cloud's vhost unusable for ``seconds``: no permission, no connection."""
    def fault(state, log=print):
        vhost = state.settings['vhost']
        _rabbitmqctl('clear_permissions', '-p', vhost, 'guest')
        # Only this vhost: close_all_connections without --vhost would close
        # every connection on the machine's broker.
        result = _rabbitmqctl('close_all_connections', '--vhost', vhost, '--limit', '10000',
                              'fault injection')
        began = time.monotonic()
        log('vhost %s: permissions cleared, %s' % (vhost, result.stdout.strip() or
                                                  'connections closed'))
        try:
            while time.monotonic() - began < seconds:
                time.sleep(0.5)
        finally:
            _rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*')
            log('vhost %s: permissions restored after %.1fs' % (vhost,
                                                               time.monotonic() - began))
    fault.label = 'RabbitMQ ~%d s' % seconds
    return fault


def cloud_databases(state):
    """Names of the cloud's own MariaDB databases (nova's three and Placement's)."""
    return [state.settings['db_prefix'] + suffix for suffix in nova.DB_SUFFIXES]


def kill_database_connections(seconds=15.0, interval=0.2):
    """For ``seconds``, kill every connection to the cloud's databases every ``interval``."""
    def fault(state, log=print):
        if state.settings.get('db_backend') != 'mysql':
            raise RuntimeError('the cloud runs on SQLite: no database connections to kill')
        import pymysql
        names = cloud_databases(state)
        admin = pymysql.connect(host='127.0.0.1', port=3306, user='root', autocommit=True)
        killed = 0
        began = time.monotonic()
        try:
            with admin.cursor() as cur:
                while time.monotonic() - began < seconds:
                    cur.execute('SELECT ID FROM information_schema.PROCESSLIST '
                                'WHERE DB IN (%s) AND ID <> CONNECTION_ID()'
                                % ', '.join(['%s'] * len(names)), names)
                    for (conn_id,) in cur.fetchall():
                        try:
                            cur.execute('KILL CONNECTION %d' % conn_id)
                            killed += 1
                        except pymysql.err.OperationalError:
                            pass  # it went by itself meanwhile
                    time.sleep(interval)
        finally:
            admin.close()
        log('killed %d connections to %s over %.1fs'
            % (killed, ', '.join(names), time.monotonic() - began))
    fault.label = 'database %d s' % seconds
    return fault
