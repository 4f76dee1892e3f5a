#!/usr/bin/env python3
"""Time of one select_destinations call at 10, 100 and 1,000 fake compute hosts.

Builds a throwaway deployment in a temporary directory: the real Placement
service on loopback (SQLite), SQLite API and cell databases, and N compute
hosts (service + ComputeNode records, providers with inventories in
Placement). Then calls the scheduler manager in-process (no RPC) and prints
per-call figures, with the share spent in Placement and the CPU time of
the scheduler's own thread (load on a shared machine stretches the wall
times, not that). Each claim is removed
again so every call sees the same free capacity. Prints figures only.

    python -m tools.bench.scheduler [--hosts 10,100,1000] [--calls 50]
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _configure(tmp, placement_url):
    from tests.fixtures import cloud
    api_db = 'sqlite:///%s' % (tmp / 'api.db')
    cell_db = 'sqlite:///%s' % (tmp / 'cell1.db')
    conf_path = cloud.nova_conf(str(tmp / 'nova.conf'), transport_url='rabbit://unused/',
                                api_db=api_db, cell_db=cell_db, placement_url=placement_url,
                                state_path=str(tmp / 'state'), host='bench')
    from nova import config
    import nova.conf
    config.parse_args(['nova-bench', '--config-file', conf_path], init_rpc=False)
    nova.conf.CONF.set_override('service_down_time', 86400)
    nova.conf.CONF.set_override('default_log_levels', ['placement=WARN', 'nova=WARN'])


def _setup_cells(tmp):
    from tests.fixtures import cloud
    return cloud.create_cells(tmp, 'rabbit://unused/', cell1_uuid=str(uuid.uuid4()))


def _add_provider(ctxt, client, node, host, attempts=3):
    """The node's provider, inventory and trait; a connection the loaded
    in-process Placement dropped is tried again (every step can be repeated)."""
    from nova import exception
    for attempt in range(attempts):
        try:
            return _write_provider(ctxt, client, node, host)
        except exception.PlacementAPIConnectFailure:
            if attempt == attempts - 1:
                raise
            time.sleep(1)


def _write_provider(ctxt, client, node, host):
    provider = client.ensure_resource_provider(ctxt, node.uuid, host)
    inventory = {rc: {'total': total, 'allocation_ratio': ratio, 'reserved': 0,
                      'min_unit': 1, 'max_unit': total, 'step_size': 1}
                 for rc, total, ratio in (('VCPU', node.vcpus, 4.0),
                                          ('MEMORY_MB', node.memory_mb, 1.0),
                                          ('DISK_GB', node.local_gb, 1.0))}
    generation = client.set_inventory(ctxt, node.uuid, inventory, provider['generation'])
    client.set_traits(ctxt, node.uuid, ['COMPUTE_NODE'], generation)


def _add_hosts(ctxt, cell, client, first, count):
    """Records in the cell DB one by one, providers in Placement side by side."""
    from concurrent import futures
    from nova import context, objects
    nodes = []
    with context.target_cell(ctxt, cell) as cctxt:
        for i in range(first, first + count):
            host = 'bench-host-%04d' % i
            objects.Service(cctxt, host=host, binary='nova-compute', topic='compute',
                            report_count=0, disabled=False).create()
            vcpus, ram, disk = 32, 65536 + 64 * i, 1000   # small spread for the weighers
            node = objects.ComputeNode(
                cctxt, uuid=str(uuid.uuid4()), host=host, hypervisor_hostname=host,
                vcpus=vcpus, memory_mb=ram, local_gb=disk, vcpus_used=0, memory_mb_used=0,
                local_gb_used=0, free_ram_mb=ram, free_disk_gb=disk, hypervisor_type='fake',
                hypervisor_version=1000, cpu_info='{}',
                supported_hv_specs=['["x86_64", "fake", "hvm"]'], stats={},
                cpu_allocation_ratio=4.0, ram_allocation_ratio=1.0, disk_allocation_ratio=1.0,
                running_vms=0, current_workload=0, disk_available_least=disk)
            node.create()
            nodes.append((node, host))
    with futures.ThreadPoolExecutor(8) as pool:
        for done in [pool.submit(_add_provider, ctxt, client, node, host)
                     for node, host in nodes]:
            done.result()


def _spec(instance_uuid, num_instances=1):
    from nova import context, objects
    flavor = objects.Flavor(id=1, flavorid='1', name='m1.tiny', vcpus=1, memory_mb=512,
                            root_gb=1, ephemeral_gb=0, swap=0, extra_specs={})
    image = objects.ImageMeta.from_dict({'id': str(uuid.uuid4()), 'properties': {}})
    return objects.RequestSpec.from_components(
        context.RequestContext('bench-user', 'bench-project'), instance_uuid, image, flavor,
        num_instances=num_instances)


class _TimedClient(object):
    """Wraps the report client to add up time spent waiting for Placement."""

    def __init__(self, client):
        self._client = client
        self.seconds = 0.0

    def __getattr__(self, name):
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
        return timed


def _measure(ctxt, client, calls, num_instances):
    from nova.scheduler import manager
    sched = manager.SchedulerManager()
    timed = _TimedClient(client)
    sched.driver.placement_client = timed
    # One warm-up call fills the HostState cache, as a running scheduler has.
    warm = [str(uuid.uuid4()) for _ in range(num_instances)]
    sched.select_destinations(ctxt, spec_obj=_spec(warm[0], num_instances),
                              instance_uuids=warm, return_objects=True,
                              return_alternates=True)
    for consumer in warm:
        client.delete_allocation_for_instance(ctxt, consumer)
    durations, placement, cpu = [], [], []
    for _ in range(calls):
        uuids = [str(uuid.uuid4()) for _ in range(num_instances)]
        timed.seconds = 0.0
        start = time.perf_counter()
        # Placement serves from other threads: this thread's CPU time is the
        # scheduler's own work (and its HTTP client's), whatever else the
        # machine is busy with.
        start_cpu = time.thread_time()
        sched.select_destinations(ctxt, spec_obj=_spec(uuids[0], num_instances),
                                  instance_uuids=uuids, return_objects=True,
                                  return_alternates=True)
        cpu.append(time.thread_time() - start_cpu)
        durations.append(time.perf_counter() - start)
        placement.append(timed.seconds)
        for consumer in uuids:
            client.delete_allocation_for_instance(ctxt, consumer)
    return durations, placement, cpu


def _ms(values, q=None):
    if q is None:
        return statistics.median(values) * 1000
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] * 1000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hosts', default='10,100,1000',
                        help='comma-separated host counts, ascending')
    parser.add_argument('--calls', type=int, default=50, help='calls per measurement')
    args = parser.parse_args(argv)
    sizes = sorted(int(n) for n in args.hosts.split(','))
    from tools import placement_server
    with tempfile.TemporaryDirectory(prefix='bench-scheduler-') as tmp_name:
        tmp = Path(tmp_name)
        server, placement_url = placement_server.serve_in_thread(str(tmp / 'placement'))
        try:
            _configure(tmp, placement_url)
            ctxt, cell = _setup_cells(tmp)
            from nova.scheduler.client import report
            client = report.SchedulerReportClient()
            print('select_destinations, in-process scheduler, real Placement (SQLite), '
                  'SQLite API and cell DBs, %d calls each, flavor 1 vCPU/512 MB/1 GB, '
                  'alternates on' % args.calls)
            print('%6s %10s %9s %9s %9s %14s %18s' % (
                'hosts', 'servers', 'p50 ms', 'p95 ms', 'mean ms', 'placement p50',
                'scheduler CPU p50'))
            present = 0
            for size in sizes:
                start = time.perf_counter()
                _add_hosts(ctxt, cell, client, present, size - present)
                present = size
                setup = time.perf_counter() - start
                for num_instances in (1, 10):
                    durations, placement, cpu = _measure(ctxt, client, args.calls,
                                                         num_instances)
                    print('%6d %10d %9.1f %9.1f %9.1f %11.1f ms %15.1f ms' % (
                        size, num_instances, _ms(durations), _ms(durations, 0.95),
                        statistics.mean(durations) * 1000, _ms(placement), _ms(cpu)))
                print('       (adding hosts up to %d took %.1f s)' % (size, setup))
        finally:
            server.shutdown()
    return 0


if __name__ == '__main__':
    sys.exit(main())
