"""The foundation, as an operator runs it: nova-manage builds the databases on
MariaDB, nova-conductor, nova-scheduler and nova-compute run as processes over
the real RabbitMQ, the compute host reports to the real Placement service and
is mapped by discover_hosts; a killed compute goes down and comes back as the
same node."""

import os
import re
import subprocess
import sys

import psutil
import pytest
import requests
import sqlalchemy as sa

from tests.e2e import processes
from tests.fixtures import cloud
from tests.fixtures import databases
from tests.fixtures import rabbit

HOST = 'e2e-compute-1'
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MYSQL_PORT = 3306


@pytest.fixture(scope='module')
def placement(tmp_path_factory):
    state = tmp_path_factory.mktemp('placement')
    port = processes.free_port()
    log = open(state / 'stdout.log', 'wb')
    proc = subprocess.Popen([sys.executable, '-m', 'tools.placement_server', '--state-dir',
                             str(state), '--port', str(port)], cwd=REPO, stdout=log,
                            stderr=subprocess.STDOUT)
    url = 'http://127.0.0.1:%d' % port

    def answering():
        try:
            return requests.get(url, timeout=2).status_code == 200
        except requests.ConnectionError:
            return False
    try:
        processes.wait_for(answering, timeout=90, what='placement answering')
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _placement_get(url, path):
    resp = requests.get(url + path, headers={'X-Auth-Token': 'admin',
                                             'OpenStack-API-Version': 'placement 1.39'},
                        timeout=10)
    resp.raise_for_status()
    return resp.json()


@pytest.fixture(scope='module')
def deployment(tmp_path_factory, placement):
    tmp = tmp_path_factory.mktemp('deploy')
    databases.skip_unless_available('mysql')
    with rabbit.temporary_vhost() as transport_url, \
            databases.temporary_database('mysql') as api_db, \
            databases.temporary_database('mysql') as cell_db:
        common = dict(transport_url=transport_url, api_db=api_db, cell_db=cell_db,
                      placement_url=placement)
        controller_conf = cloud.nova_conf(str(tmp / 'nova.conf'), state_path=str(tmp / 'ctl'),
                                          **common)
        # The compute gets the same database URLs a careless operator might
        # leave in its nova.conf: it must still never connect to them.
        compute_conf = cloud.nova_conf(str(tmp / 'nova-compute.conf'),
                                       state_path=str(tmp / 'compute-state'), host=HOST,
                                       **common)
        started = []
        try:
            yield {'tmp': tmp, 'conf': controller_conf, 'compute_conf': compute_conf,
                   'api_db': api_db, 'cell_db': cell_db, 'placement': placement,
                   'transport_url': transport_url, 'daemons': {}, 'started': started}
        finally:
            # Whatever a failed test left running must not outlive the module.
            for daemon in started:
                if daemon.alive():
                    daemon.kill()
            databases.drop_database_of(_cell0_url({'cell_db': cell_db}))


def _cell0_url(deployment):
    """Where map_cell0 puts cell0 by default: the cell DB's name plus _cell0."""
    url = sa.engine.make_url(deployment['cell_db'])
    return url.set(database=url.database + '_cell0').render_as_string(hide_password=False)


def _daemon(deployment, name, conf=None, tag=None):
    log = deployment['tmp'] / ('%s.log' % (tag or name))
    daemon = processes.Daemon(name, conf or deployment['conf'], str(log))
    deployment['started'].append(daemon)
    return daemon


def _services(deployment):
    engine = sa.create_engine(deployment['cell_db'], poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            'SELECT `binary`, host, report_count, last_seen_up, updated_at, created_at, '
            'forced_down FROM services WHERE deleted = 0')).mappings().all()
    engine.dispose()
    return {(r['binary'], r['host']): dict(r) for r in rows}


def _nodes(deployment):
    engine = sa.create_engine(deployment['cell_db'], poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            'SELECT id, uuid, host, hypervisor_hostname FROM compute_nodes WHERE deleted = 0'
        )).mappings().all()
    engine.dispose()
    return [dict(r) for r in rows]


def _is_up(row, down_time=4):
    from oslo_utils import timeutils
    last = row['last_seen_up'] or row['updated_at'] or row['created_at']
    return abs(timeutils.delta_seconds(last, timeutils.utcnow())) <= down_time


def test_01_nova_manage_builds_the_databases(deployment):
    conf = deployment['conf']
    processes.run('nova-manage', 'api_db', 'sync', conf=conf)
    # As the install guide says: the operator creates the cell0 database, then
    # maps it, creates cell1 and syncs both (simple_cell_setup would also try
    # to map hosts, and exits 1 while no compute has reported yet).
    databases.create_database_of(_cell0_url(deployment))
    processes.run('nova-manage', 'cell_v2', 'map_cell0', conf=conf)
    processes.run('nova-manage', 'cell_v2', 'create_cell', '--name', 'cell1', conf=conf)
    processes.run('nova-manage', 'db', 'sync', conf=conf)
    listing = processes.run('nova-manage', 'cell_v2', 'list_cells', conf=conf).stdout
    assert re.search(r'\|\s*cell0\s*\|\s*00000000-0000-0000-0000-000000000000', listing)
    assert re.search(r'\|\s*cell1\s*\|', listing)
    assert 'guest:****@' in listing  # passwords masked without --verbose
    version = processes.run('nova-manage', 'db', 'version', conf=conf).stdout.strip()
    assert version == processes.run('nova-manage', 'db', 'version', conf=conf).stdout.strip()
    assert version


def test_02_daemons_start_and_report(deployment):
    daemons = deployment['daemons']
    for name in ('nova-conductor', 'nova-scheduler'):
        daemons[name] = _daemon(deployment, name).start()
    daemons['nova-compute'] = _daemon(deployment, 'nova-compute',
                                      conf=deployment['compute_conf']).start()
    services = processes.wait_for(
        lambda: len(_services(deployment)) == 3 and _services(deployment),
        timeout=90, what='three service records')
    assert {b for b, _h in services} == {'nova-conductor', 'nova-scheduler', 'nova-compute'}
    nodes = processes.wait_for(lambda: _nodes(deployment), timeout=60, what='compute node')
    assert [(n['host'], n['hypervisor_hostname']) for n in nodes] == [(HOST, HOST)]
    node_uuid = nodes[0]['uuid']
    id_file = deployment['tmp'] / 'compute-state' / 'compute_id'
    assert id_file.read_text().strip() == node_uuid
    deployment['node_uuid'] = node_uuid

    def provider_with_inventory():
        providers = _placement_get(deployment['placement'],
                                   '/resource_providers')['resource_providers']
        if not providers:
            return None
        inv = _placement_get(deployment['placement'],
                             '/resource_providers/%s/inventories' % node_uuid)['inventories']
        return providers if len(inv) == 3 else None
    providers = processes.wait_for(provider_with_inventory, timeout=60,
                                   what='provider with inventory')
    assert [(p['uuid'], p['name']) for p in providers] == [(node_uuid, HOST)]
    inventories = _placement_get(deployment['placement'],
                                 '/resource_providers/%s/inventories' % node_uuid)['inventories']
    assert sorted(inventories) == ['DISK_GB', 'MEMORY_MB', 'VCPU']
    assert inventories['VCPU']['allocation_ratio'] == 4.0
    assert inventories['MEMORY_MB']['reserved'] == 1024
    # Heartbeats advance.
    first = _services(deployment)[('nova-compute', HOST)]['report_count']
    processes.wait_for(lambda: _services(deployment)[('nova-compute', HOST)]['report_count']
                       > first + 1, timeout=30, what='compute heartbeats')


def test_03_compute_never_connects_to_the_database(deployment):
    compute = deployment['daemons']['nova-compute']
    conductor = deployment['daemons']['nova-conductor']
    compute_ports = {c.raddr.port for c in psutil.Process(compute.pid).net_connections('tcp')
                     if c.raddr}
    conductor_ports = {c.raddr.port for c in
                       psutil.Process(conductor.pid).net_connections('tcp') if c.raddr}
    assert MYSQL_PORT in conductor_ports  # the check can see DB connections...
    assert MYSQL_PORT not in compute_ports  # ...and the compute has none
    assert 5672 in compute_ports


def test_04_discover_hosts_maps_the_compute(deployment):
    out = processes.run('nova-manage', 'cell_v2', 'discover_hosts', '--verbose',
                        conf=deployment['conf']).stdout
    assert HOST in out
    hosts = processes.run('nova-manage', 'cell_v2', 'list_hosts',
                          conf=deployment['conf']).stdout
    assert re.search(r'\|\s*cell1\s*\|\s*[0-9a-f-]{36}\s*\|\s*%s\s*\|' % HOST, hosts)
    again = processes.run('nova-manage', 'cell_v2', 'discover_hosts', '--verbose',
                          conf=deployment['conf']).stdout
    assert 'creating' not in again.lower() or HOST not in again


def test_05_killed_compute_goes_down_and_returns_as_the_same_node(deployment):
    daemons = deployment['daemons']
    daemons['nova-compute'].kill()  # SIGKILL: no goodbye
    processes.wait_for(lambda: not _is_up(_services(deployment)[('nova-compute', HOST)]),
                       timeout=30, what='compute service down')
    assert _is_up(_services(deployment)[('nova-conductor',
                                          _services_host(deployment, 'nova-conductor'))])
    daemons['nova-compute'] = _daemon(deployment, 'nova-compute',
                                      conf=deployment['compute_conf'], tag='compute-2').start()
    processes.wait_for(lambda: _is_up(_services(deployment)[('nova-compute', HOST)]),
                       timeout=60, what='compute service back up')
    nodes = _nodes(deployment)
    assert [n['uuid'] for n in nodes] == [deployment['node_uuid']]
    providers = _placement_get(deployment['placement'],
                               '/resource_providers')['resource_providers']
    assert [p['uuid'] for p in providers] == [deployment['node_uuid']]


def _services_host(deployment, binary):
    return next(h for b, h in _services(deployment) if b == binary)


def test_06_sigterm_stops_every_daemon_cleanly(deployment):
    for name, daemon in deployment['daemons'].items():
        assert daemon.alive(), name
        assert daemon.stop(timeout=30) == 0, daemon.log()[-2000:]
        log = daemon.log()
        assert 'Caught SIGTERM' in log
        assert 'Traceback' not in log, log[-3000:]


def test_07_unreachable_broker_is_retried_quietly(deployment):
    conf = deployment['tmp'] / 'nova-badmq.conf'
    text = open(deployment['conf']).read().replace(deployment['transport_url'],
                                                   'rabbit://guest:guest@127.0.0.1:1/')
    conf.write_text(text)
    daemon = _daemon(deployment, 'nova-scheduler', conf=str(conf), tag='scheduler-badmq')
    daemon.start()
    processes.wait_for(lambda: daemon.log().count('Connection failed') >= 2, timeout=60,
                       what='two retry messages')
    assert daemon.alive()
    assert daemon.stop(timeout=30) == 0
    log = daemon.log()
    assert 'Traceback' not in log, log[-3000:]
    assert re.search(r'Connection refused \(retrying in [\d.]+ seconds\)', log)


def test_08_manage_errors_are_one_clear_line(deployment, tmp_path):
    bad = tmp_path / 'bad.conf'
    bad.write_text('[api_database]\nconnection = mysql+pymysql://root@127.0.0.1:1/nope\n'
                   'max_retries = 0\n[database]\nconnection = mysql+pymysql://root@127.0.0.1:1/nope\n'
                   'max_retries = 0\n')
    result = processes.run('nova-manage', 'api_db', 'sync', conf=str(bad), check=False)
    assert result.returncode != 0
    assert 'Traceback' not in result.stderr + result.stdout
    assert len((result.stderr + result.stdout).strip().splitlines()) == 1
    unknown = processes.run('nova-manage', 'cell_v2', 'delete_cell', '--cell_uuid',
                            '99999999-9999-9999-9999-999999999999',
                            conf=deployment['conf'], check=False)
    assert unknown.returncode != 0
    assert 'Traceback' not in unknown.stderr + unknown.stdout
    assert len((unknown.stderr + unknown.stdout).strip().splitlines()) == 1
