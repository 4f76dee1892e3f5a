#!/usr/bin/env python3
"""Metadata API latency and config drive build time, on throwaway SQLite databases.

Prints figures and never asserts: p50/p95 of GET meta_data.json found by the
signed X-Instance-ID (cache off and on), by the caller's fixed IP (cache off,
whose first request scans every instance's network info), and the time to write a config
drive (ISO 9660 and vfat).

    python -m tools.bench.metadata [--instances 1000] [--requests 200]
"""

import argparse
import base64
import hashlib
import hmac
import os
import shutil
import statistics
import sys
import tempfile
import time

import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, REPO)

SECRET = 'bench-secret'


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def _setup(workdir, count):
    from nova import context as nova_context
    from nova import objects
    from tools.bench import common
    conf = common.configure_databases('sqlite:///%s/api.sqlite' % workdir,
                                      'sqlite:///%s/cell1.sqlite' % workdir)
    ctxt = nova_context.get_admin_context()
    cell = objects.CellMapping(context=ctxt, uuid='11111111-2222-4333-8444-555555555555',
                               name='cell1', transport_url='none:///',
                               database_connection='sqlite:///%s/cell1.sqlite' % workdir)
    cell.create()
    flavor = objects.Flavor(ctxt, name='m1.tiny', flavorid='1', memory_mb=512, vcpus=1,
                            root_gb=1, ephemeral_gb=0, swap=0)
    flavor.create()
    instances = []
    user_data = base64.b64encode(b'#cloud-config\n' + b'x' * 2000).decode()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        for index in range(count):
            inst = objects.Instance(
                cctxt, project_id='p1', user_id='u1', host='h', node='n',
                vm_state='active', display_name='vm%d' % index, hostname='vm%d' % index,
                memory_mb=512, vcpus=1, launch_index=0, user_data=user_data,
                metadata={'k': 'v'}, system_metadata={})
            inst.flavor, inst.old_flavor, inst.new_flavor = flavor, None, None
            inst.keypairs = objects.KeyPairList(objects=[])
            inst.create()
            address = '10.%d.%d.%d' % (index // 65536, (index // 256) % 256, index % 256)
            inst.info_cache.network_info = [{
                'id': 'vif%d' % index, 'address': 'fa:16:3e:00:00:01', 'type': 'ovs',
                'network': {'id': 'net', 'subnets': [{
                    'cidr': '10.0.0.0/8', 'ips': [{'address': address}]}]}}]
            inst.info_cache.save()
            objects.InstanceMapping(context=ctxt, instance_uuid=inst.uuid, cell_mapping=cell,
                                    project_id='p1').create()
            instances.append((inst, address))
    return conf, instances


def _timed(session, url, count, headers_for):
    times = []
    for index in range(count):
        headers = headers_for(index)
        start = time.perf_counter()
        res = session.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        if res.status_code != 200:
            raise SystemExit('GET %s -> %s %s' % (url, res.status_code, res.text[:200]))
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--instances', type=int, default=1000)
    parser.add_argument('--requests', type=int, default=200)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='bench-metadata-')
    try:
        started = time.perf_counter()
        conf, instances = _setup(workdir, args.instances)
        print('setup: %d instances in %.1f s' % (len(instances),
                                                 time.perf_counter() - started))
        from nova.api import server
        from nova.virt import configdrive
        from nova.wsgi import metadata
        api = server.APIServer('metadata', metadata.init_application(configure=False),
                               '127.0.0.1', 0, threads=4).start()
        url = 'http://127.0.0.1:%d/openstack/latest/meta_data.json' % api.port
        session = requests.Session()

        def signed(index):
            inst = instances[index % len(instances)][0]
            sig = hmac.new(SECRET.encode(), inst.uuid.encode(), hashlib.sha256).hexdigest()
            return {'X-Instance-ID': inst.uuid, 'X-Tenant-ID': 'p1',
                    'X-Instance-ID-Signature': sig}

        conf.set_override('service_metadata_proxy', True, group='neutron')
        conf.set_override('metadata_proxy_shared_secret', SECRET, group='neutron')
        for ttl, label in ((0, 'cache off'), (15, 'cache on')):
            conf.set_override('metadata_cache_expiration', ttl, group='api')
            if ttl:
                _timed(session, url, min(args.requests, len(instances)), signed)  # warm
            times = _timed(session, url, args.requests, signed)
            print('by X-Instance-ID, %s: p50 %.1f ms, p95 %.1f ms' % (
                label, pct(times, 50), pct(times, 95)))
        conf.set_override('service_metadata_proxy', False, group='neutron')
        conf.set_override('metadata_cache_expiration', 0, group='api')
        conf.set_override('enable_proxy_headers_parsing', True, group='oslo_middleware')
        first = _timed(session, url, 1, lambda index: {'X-Forwarded-For': instances[0][1]})
        times = _timed(session, url, args.requests, lambda index: {
            'X-Forwarded-For': instances[(index * 37) % len(instances)][1]})
        print('by fixed IP among %d instances, cache off: first (scan) %.0f ms, '
              'then p50 %.1f ms, p95 %.1f ms' % (len(instances), first[0], pct(times, 50),
                                                 pct(times, 95)))
        api.stop()

        inst = instances[0][0]
        for fmt in ('iso9660', 'vfat'):
            conf.set_override('config_drive_format', fmt)
            times = []
            for _ in range(10):
                start = time.perf_counter()
                configdrive.make_config_drive(inst, os.path.join(workdir, 'disk.config'))
                times.append((time.perf_counter() - start) * 1000)
            print('config drive %s: median %.0f ms, %d bytes' % (
                fmt, statistics.median(times),
                os.path.getsize(os.path.join(workdir, 'disk.config'))))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    main()
