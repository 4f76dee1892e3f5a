#!/usr/bin/env python3
"""Attach and detach times of Cinder volumes on a running all-in-one, as a
client sees them (``tools/allinone up --volumes ceph``).

Boots one server from ``--image`` (the test guest by default), creates a
volume and attaches and detaches it ``--rounds`` times through the compute
API, timing each from the POST/DELETE to the volume's ``in-use``/``available``
in Cinder (the guest has the disk, or has let go of it, by then). Then, with
``--boot-from-volume``, boots servers from new volumes made from the image
(``block_device_mapping_v2``: image -> volume, boot index 0) and times
POST -> ACTIVE, if the cloud supports it. Prints figures, never asserts.

    python -m tools.bench.volumes [--state-dir .allinone] [--rounds 5]
        [--boot-from-volume 2]
"""

import argparse
import json
import os
import time

import requests

from tools.allinone_lib import layout
from tools.allinone_lib import resources

POLL = 0.1
TIMEOUT = 600


def pct(values, p):
    if not values:
        return float('nan')
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


class Cloud(object):
    def __init__(self, state):
        from tools.allinone_lib import keystone
        admin = keystone.Client(state.url('keystone'), state.settings['password'])
        project = admin.find('projects', name='admin', domain_id='default')
        self.compute = state.url('nova-api') + '/v2.1'
        self.volume = '%s/v3/%s' % (state.url('cinder'), project['id'])
        self.session = requests.Session()
        self.session.headers.update({'X-Auth-Token': resources.admin_token(state),
                                     'Content-Type': 'application/json'})

    def call(self, method, url, body=None, expect=(200, 201, 202, 204)):
        headers = ({'OpenStack-API-Version': 'compute 2.79'}
                   if url.startswith(self.compute) else {})
        resp = self.session.request(method, url, timeout=120, headers=headers,
                                    data=json.dumps(body) if body is not None else None)
        if resp.status_code not in expect:
            raise SystemExit('%s %s: %s %s' % (method, url, resp.status_code, resp.text[:400]))
        return resp.json() if resp.content else None

    def wait(self, what, fetch, done, failed=()):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            value = fetch()
            if value in failed:
                raise SystemExit('%s: %s' % (what, value))
            if value == done:
                return
            time.sleep(POLL)
        raise SystemExit('%s: not %s within %ss' % (what, done, TIMEOUT))

    def volume_status(self, volume_id):
        return self.call('GET', '%s/volumes/%s' % (self.volume, volume_id))['volume']['status']

    def server_status(self, server_id):
        resp = self.session.get('%s/servers/%s' % (self.compute, server_id), timeout=60,
                                headers={'OpenStack-API-Version': 'compute 2.79'})
        return resp.json()['server']['status'] if resp.status_code == 200 else 'DELETED'

    def boot(self, name, image, flavor, bdm=None):
        body = {'server': {'name': name, 'flavorRef': flavor, 'networks': 'none'}}
        if bdm:
            body['server']['block_device_mapping_v2'] = bdm
        else:
            body['server']['imageRef'] = image
        started = time.monotonic()
        server = self.call('POST', self.compute + '/servers', body)['server']
        self.wait('server %s' % name, lambda: self.server_status(server['id']), 'ACTIVE',
                  failed=('ERROR',))
        return server['id'], time.monotonic() - started

    def delete_server(self, server_id):
        self.call('DELETE', '%s/servers/%s' % (self.compute, server_id))
        self.wait('delete', lambda: self.server_status(server_id), 'DELETED')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--state-dir', default=os.environ.get('NOVA_ALLINONE_STATE_DIR',
                                                              layout.DEFAULT_STATE_DIR))
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--image', default=None, help='image id (default: nova-test-guest)')
    parser.add_argument('--flavor', default='1')
    parser.add_argument('--boot-from-volume', type=int, default=0, metavar='N')
    args = parser.parse_args(argv)
    state = layout.State(args.state_dir)
    if state.settings.get('volumes') != 'ceph':
        raise SystemExit('%s runs no Cinder (tools/allinone up --volumes ceph)' % state.path)
    image = args.image or state.settings.get('test_guest_image_id') or \
        state.settings['image_id']
    cloud = Cloud(state)
    server_id, boot_time = cloud.boot('bench-volumes', image, args.flavor)
    print('server booted from its image in %.2fs' % boot_time)
    # a detach needs the guest's kernel to acknowledge the unplug: let it boot
    started = time.monotonic()
    while time.monotonic() - started < 180 and 'nova-test-guest: up' not in cloud.call(
            'POST', '%s/servers/%s/action' % (cloud.compute, server_id),
            {'os-getConsoleOutput': {}})['output']:
        time.sleep(1)
    attach, detach = [], []
    volume = None
    try:
        volume = cloud.call('POST', cloud.volume + '/volumes',
                            {'volume': {'size': 1, 'name': 'bench-volume'}})['volume']
        started = time.monotonic()
        cloud.wait('volume', lambda: cloud.volume_status(volume['id']), 'available',
                   failed=('error',))
        print('volume created in %.2fs' % (time.monotonic() - started))
        for _ in range(args.rounds):
            started = time.monotonic()
            cloud.call('POST', '%s/servers/%s/os-volume_attachments' % (
                cloud.compute, server_id), {'volumeAttachment': {'volumeId': volume['id']}})
            cloud.wait('attach', lambda: cloud.volume_status(volume['id']), 'in-use',
                       failed=('error', 'available'))
            attach.append(time.monotonic() - started)
            started = time.monotonic()
            cloud.call('DELETE', '%s/servers/%s/os-volume_attachments/%s' % (
                cloud.compute, server_id, volume['id']))
            cloud.wait('detach', lambda: cloud.volume_status(volume['id']), 'available',
                       failed=('error',))
            detach.append(time.monotonic() - started)
    finally:
        cloud.delete_server(server_id)
        if volume is not None:
            cloud.call('DELETE', '%s/volumes/%s' % (cloud.volume, volume['id']),
                       expect=(202, 400, 404))
    print('attach (POST -> in-use): p50 %.2fs  p95 %.2fs  over %d rounds'
          % (pct(attach, 50), pct(attach, 95), len(attach)))
    print('detach (DELETE -> available): p50 %.2fs  p95 %.2fs  over %d rounds'
          % (pct(detach, 50), pct(detach, 95), len(detach)))
    bfv = []
    for index in range(args.boot_from_volume):
        bdm = [{'boot_index': 0, 'uuid': image, 'source_type': 'image',
                'destination_type': 'volume', 'volume_size': 1,
                'delete_on_termination': True}]
        server_id, seconds = cloud.boot('bench-bfv-%d' % index, image, args.flavor, bdm)
        bfv.append(seconds)
        cloud.delete_server(server_id)
    if bfv:
        print('boot from a new volume (POST -> ACTIVE): p50 %.2fs  p95 %.2fs  over %d'
              % (pct(bfv, 50), pct(bfv, 95), len(bfv)))


if __name__ == '__main__':
    main()
