#!/usr/bin/env python3
"""Compute API latency and SQL statements per request for the busiest read routes.

Builds the paste app (noauth2) in-process over throwaway databases (MariaDB
at 127.0.0.1:3306 as root, or SQLite files), migrated with the project's own
migrations; seeds N servers in one project (metadata, tags, network info
cache, a fault on every tenth, instance mappings), flavors with extra specs
and compute hosts; then sends each GET many times and prints p50/p95 ms and
the SQL statements one request runs. Prints figures only, never asserts.
The MariaDB databases are uniquely named and dropped afterwards.

    python -m tools.bench.api [--servers 100,1000] [--repeat 30] [--db mysql|sqlite]
                              [--routes 'GET /servers/detail,...'] [--profile N]

``--profile N`` also runs each route under cProfile and prints its N costliest
functions (own time), to show where a request's time goes.
"""

import argparse
import base64
import contextlib
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PROJECT = 'bench-project'
TOKEN = 'admin:%s' % PROJECT
VERSION = '2.100'
HOSTS = 5
FLAVORS = 10
CELL1_UUID = '11111111-2222-4333-8444-555555555555'


def _pct(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


class StatementCounter(object):
    """Counts statements every SQLAlchemy engine runs, and engines created."""

    def __init__(self):
        self.statements = 0
        self.engines = 0

    def install(self):
        import sqlalchemy as sa
        from sqlalchemy import event
        event.listen(sa.engine.Engine, 'before_cursor_execute', self._statement)
        self._original_create = sa.create_engine
        counter = self

        def counting_create_engine(*args, **kwargs):
            counter.engines += 1
            return counter._original_create(*args, **kwargs)
        # oslo.db calls sqlalchemy.create_engine through the module attribute.
        sa.create_engine = counting_create_engine

    def _statement(self, *args, **kwargs):
        self.statements += 1


@contextlib.contextmanager
def _databases(backend, workdir):
    """(api URL, cell1 URL) of two fresh databases, dropped on the way out."""
    if backend == 'sqlite':
        yield ('sqlite:///%s/api.sqlite' % workdir, 'sqlite:///%s/cell1.sqlite' % workdir)
        return
    from tests.fixtures import databases
    reason = databases.server_unavailable_reason('mysql')
    if reason:
        raise SystemExit(reason)
    prefix = databases.unique_name('nova_bench')
    names = [prefix + '_api', prefix + '_cell1']
    for name in names:
        databases._create_database('mysql', name)
    try:
        yield tuple(databases._SERVER_URLS['mysql'].format(name=name) for name in names)
    finally:
        from nova.db.api import engine as api_engine
        from nova.db.main import engine as main_engine
        for manager in (api_engine.context_manager, main_engine.main_context_manager):
            factory = manager._factory
            if getattr(factory, '_started', False):
                factory.dispose_pool()
        main_engine.reset_cell_context_managers()
        for name in names:
            databases._drop_database('mysql', name)


def _configure(api_url, cell_url):
    from nova import config
    from nova import rpc
    from tools.bench import common
    config.silence_library_warnings()
    conf = common.configure_databases(api_url, cell_url)
    conf.set_override('auth_strategy', 'noauth2', group='api')
    conf.set_override('service_down_time', 10 ** 6)
    conf.set_override('transport_url', 'fake:/')   # reads never cast; the API needs a client
    rpc.init(conf)
    return conf


def _seed_cloud(ctxt, cell_url):
    """The cell mapping, flavors with extra specs, compute services and nodes."""
    from nova import context as nova_context
    from nova import objects
    cell = objects.CellMapping(context=ctxt, uuid=CELL1_UUID, name='cell1',
                               transport_url='none:///', database_connection=cell_url)
    cell.create()
    flavors = []
    for index in range(FLAVORS):
        flavor = objects.Flavor(ctxt, name='bench.%d' % index, flavorid=str(index + 1),
                                memory_mb=512 * (index + 1), vcpus=index + 1,
                                root_gb=index + 1, ephemeral_gb=0, swap=0,
                                extra_specs={'hw:cpu_policy': 'shared',
                                             'bench:index': str(index)})
        flavor.create()
        flavors.append(flavor)
    with nova_context.target_cell(ctxt, cell) as cctxt:
        for index in range(HOSTS):
            host = 'bench-host-%d' % index
            objects.Service(cctxt, host=host, binary='nova-compute', topic='compute',
                            report_count=1, disabled=False).create()
            objects.ComputeNode(
                cctxt, uuid=str(uuid.uuid4()), host=host, hypervisor_hostname=host,
                vcpus=64, memory_mb=262144, local_gb=2000, vcpus_used=0, memory_mb_used=0,
                local_gb_used=0, free_ram_mb=262144, free_disk_gb=2000,
                hypervisor_type='fake', hypervisor_version=1000, cpu_info='{}',
                host_ip='192.0.2.%d' % (index + 1),
                supported_hv_specs=[], stats={}, cpu_allocation_ratio=4.0,
                ram_allocation_ratio=1.0, disk_allocation_ratio=1.0, running_vms=0,
                current_workload=0, disk_available_least=2000).create()
    return cell, flavors


def _network_info(index):
    address = '10.%d.%d.%d' % (index // 65536, (index // 256) % 256, index % 256 + 1)
    return [{
        'id': str(uuid.UUID(int=index + 1)), 'address': 'fa:16:3e:%02x:%02x:%02x' % (
            (index >> 16) & 255, (index >> 8) & 255, index & 255),
        'type': 'ovs', 'devname': 'tap%d' % index, 'active': True,
        'network': {'id': 'bench-net', 'label': 'private', 'bridge': 'br-int',
                    'subnets': [{'cidr': '10.0.0.0/8', 'version': 4,
                                 'ips': [{'address': address, 'type': 'fixed', 'version': 4,
                                          'floating_ips': []}]}]}}]


def _seed_servers(ctxt, cell, flavors, first, count):
    """``count`` servers in PROJECT, each mapped, tagged, with metadata and a cache."""
    from oslo_utils import timeutils
    from nova import context as nova_context
    from nova import objects
    launched = timeutils.utcnow().replace(microsecond=0)
    user_data = base64.b64encode(b'#cloud-config\n').decode()
    uuids = []
    with nova_context.target_cell(ctxt, cell) as cctxt:
        for index in range(first, first + count):
            flavor = flavors[index % len(flavors)]
            errored = index % 10 == 9
            inst = objects.Instance(
                cctxt, project_id=PROJECT, user_id='bench-user',
                host='bench-host-%d' % (index % HOSTS), node='bench-host-%d' % (index % HOSTS),
                vm_state='error' if errored else 'active', power_state=1,
                display_name='server-%05d' % index, hostname='server-%05d' % index,
                image_ref='70a599e0-31e7-49b7-b260-868f441e862b',
                instance_type_id=flavor.id, memory_mb=flavor.memory_mb, vcpus=flavor.vcpus,
                root_gb=flavor.root_gb, ephemeral_gb=0, launch_index=0,
                availability_zone='nova', user_data=user_data, launched_at=launched,
                key_name=None, config_drive='', reservation_id='r-bench%04d' % index,
                metadata={'role': 'web', 'index': str(index)},
                system_metadata={'image_min_ram': '0', 'image_disk_format': 'qcow2',
                                 'image_hw_rng_model': 'virtio'},
                tags=objects.TagList(objects=[objects.Tag(tag='bench'),
                                              objects.Tag(tag='tier-%d' % (index % 3))]),
                info_cache=objects.InstanceInfoCache(network_info=_network_info(index)))
            inst.flavor, inst.old_flavor, inst.new_flavor = flavor, None, None
            inst.keypairs = objects.KeyPairList(objects=[])
            inst.create()
            if errored:
                objects.InstanceFault(cctxt, instance_uuid=inst.uuid, code=500,
                                      message='NoValidHost', details='bench fault',
                                      host=inst.host).create()
            objects.InstanceMapping(context=ctxt, instance_uuid=inst.uuid,
                                    cell_mapping=cell, project_id=PROJECT,
                                    user_id='bench-user').create()
            uuids.append(inst.uuid)
    return uuids


def _routes(server_uuid, servers):
    start = time.strftime('%Y-%m-%dT00:00:00', time.gmtime(time.time() - 86400))
    end = time.strftime('%Y-%m-%dT00:00:00', time.gmtime(time.time() + 86400))
    return [
        ('GET /servers', '/servers'),
        ('GET /servers/detail', '/servers/detail'),
        ('GET /servers/detail?limit=50', '/servers/detail?limit=50'),
        ('GET /servers/{id}', '/servers/%s' % server_uuid),
        ('GET /flavors/detail', '/flavors/detail'),
        ('GET /os-hypervisors/detail', '/os-hypervisors/detail'),
        ('GET /os-simple-tenant-usage', '/os-simple-tenant-usage?start=%s&end=%s'
         % (start, end)),
        ('GET /limits', '/limits'),
    ]


def _expected_count(path, servers):
    if path.startswith('/servers/detail?limit='):
        return min(servers, int(path.rsplit('=', 1)[1]))
    if path in ('/servers', '/servers/detail'):
        return servers
    return None


def _measure(app, counter, path, repeat, servers, cpu=None):
    """Wall-clock ms per request (and this process's CPU ms, into ``cpu``)."""
    import webob
    times, statements = [], []
    for attempt in range(repeat + 1):
        req = webob.Request.blank('/v2.1' + path, method='GET')
        req.headers['X-Auth-Token'] = TOKEN
        req.headers['OpenStack-API-Version'] = 'compute %s' % VERSION
        before = counter.statements
        cpu_start = time.process_time()
        start = time.perf_counter()
        res = req.get_response(app)
        elapsed = time.perf_counter() - start
        cpu_elapsed = time.process_time() - cpu_start
        if res.status_int != 200:
            raise SystemExit('GET %s -> %s %s' % (path, res.status, res.body[:300]))
        if attempt == 0:
            expected = _expected_count(path, servers)
            if expected is not None and len(json.loads(res.body)['servers']) != expected:
                raise SystemExit('GET %s listed %d servers, not %d' % (
                    path, len(json.loads(res.body)['servers']), expected))
            continue  # the first request warms caches, as a running API has them
        times.append(elapsed * 1000)
        if cpu is not None:
            cpu.append(cpu_elapsed * 1000)
        statements.append(counter.statements - before)
    return times, statements


def _profile(app, counter, path, repeat, servers, top):
    import cProfile
    import io
    import pstats
    profiler = cProfile.Profile()
    profiler.enable()
    _measure(app, counter, path, repeat, servers)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats('tottime').print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    print('\n'.join('    ' + line for line in lines[-top - 2:]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--servers', default='100,1000',
                        help='comma-separated server counts, ascending')
    parser.add_argument('--repeat', type=int, default=30, help='requests per route')
    parser.add_argument('--db', choices=('mysql', 'sqlite'), default='mysql')
    parser.add_argument('--routes', default='',
                        help='comma-separated route labels to run (default: all)')
    parser.add_argument('--profile', type=int, default=0, metavar='N',
                        help='print the N costliest functions of each route (cProfile)')
    args = parser.parse_args(argv)
    sizes = sorted(int(n) for n in args.servers.split(','))
    wanted = {r.strip() for r in args.routes.split(',') if r.strip()}
    counter = StatementCounter()
    counter.install()
    workdir = tempfile.mkdtemp(prefix='bench-api-')
    try:
        with _databases(args.db, workdir) as (api_url, cell_url):
            _configure(api_url, cell_url)
            from nova import context as nova_context
            from nova.wsgi import osapi_compute
            ctxt = nova_context.get_admin_context()
            cell, flavors = _seed_cloud(ctxt, cell_url)
            app = osapi_compute.init_application(configure=False)
            seeded, uuids = 0, []
            print('%s, microversion %s, %d requests per route (after one warm-up)'
                  % (args.db, VERSION, args.repeat))
            # CPU ms is this process's own time: on a loaded machine (other
            # processes, the DB server) it moves far less than wall-clock time.
            print('%-32s %7s %9s %9s %11s %8s %8s' % ('route', 'servers', 'p50 ms', 'p95 ms',
                                                      'CPU p50 ms', 'SQL/req', 'engines'))
            for size in sizes:
                started = time.perf_counter()
                uuids += _seed_servers(ctxt, cell, flavors, seeded, size - seeded)
                seeded = size
                print('# seeded %d servers in %.1f s' % (size, time.perf_counter() - started))
                for label, path in _routes(uuids[len(uuids) // 2], size):
                    if wanted and label not in wanted:
                        continue
                    engines_before = counter.engines
                    cpu = []
                    times, statements = _measure(app, counter, path, args.repeat, size, cpu)
                    print('%-32s %7d %9.1f %9.1f %11.1f %8d %8d' % (
                        label, size, _pct(times, 0.5), _pct(times, 0.95), _pct(cpu, 0.5),
                        statistics.median(statements), counter.engines - engines_before))
                    if args.profile:
                        _profile(app, counter, path, max(3, args.repeat // 3), size,
                                 args.profile)
                sys.stdout.flush()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    main()
