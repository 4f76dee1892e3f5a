"""What the cloud under test really has, found by asking it, for tempest.conf.

Services come from the Keystone catalog; the microversion range from the
compute API's version document; compute nodes from os-hypervisors; and each
optional server operation (pause, rescue, resize, shelve, ...) from trying it
on a throw-away server and waiting for the state it should reach.  An
operation the API refuses, or that leaves the server in ERROR or never
reaches its state, is reported as missing, with the reason.
"""

import configparser
import json
import os
import time

from tools.tempest_lib import cloud as cloud_mod

# Upstream's default [filter_scheduler] enabled_filters, used when nova.conf
# leaves the option at its default.
DEFAULT_FILTERS = ('ComputeFilter', 'AvailabilityZoneFilter', 'ComputeCapabilitiesFilter',
                   'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter',
                   'ServerGroupAffinityFilter')
PROBE_SERVER = 'tempest-feature-probe'


class Features(object):
    """Findings: ``enabled`` {tempest option: bool}, ``why`` {option: reason}."""

    def __init__(self):
        self.services = set()
        self.enabled = {}
        self.why = {}
        self.min_microversion = None
        self.max_microversion = None
        self.compute_nodes = 0
        self.hypervisor_type = None
        self.filters = list(DEFAULT_FILTERS)
        self.nova_conf = {}

    def set(self, option, value, why=''):
        self.enabled[option] = bool(value)
        if why:
            self.why[option] = why


def detect(cloud, image_id, flavor_id, flavor_alt_id, state_dir=None, probe=True,
           say=print, timeout=120):
    found = Features()
    found.services = cloud.service_types()
    versions = cloud.call('GET', cloud.compute + '/')['version']
    found.min_microversion = versions.get('min_version') or '2.1'
    found.max_microversion = versions.get('version') or '2.1'
    hypervisors = cloud.compute_call('GET', '/os-hypervisors/detail')['hypervisors']
    up = [h for h in hypervisors if h.get('state', 'up') == 'up']
    found.compute_nodes = len(up)
    found.hypervisor_type = up[0].get('hypervisor_type') if up else None
    if state_dir:
        found.nova_conf = _read_nova_conf(os.path.join(state_dir, 'nova.conf'))
    filters = found.nova_conf.get(('filter_scheduler', 'enabled_filters'))
    if filters:
        found.filters = [f.strip() for f in filters.split(',') if f.strip()]
    if probe:
        _probe_operations(cloud, found, image_id, flavor_id, flavor_alt_id, say, timeout)
    return found


def _read_nova_conf(path):
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read(path)
    except configparser.Error:
        return {}
    return {(section, key): value for section in parser.sections()
            for key, value in parser.items(section)}


class _Server(object):
    """A throw-away server the operation probes act on."""

    def __init__(self, cloud, image_id, flavor_id, timeout):
        self.cloud = cloud
        self.image_id = image_id
        self.flavor_id = flavor_id
        self.timeout = timeout
        self.id = None

    def boot(self):
        body = {'server': {'name': PROBE_SERVER, 'imageRef': self.image_id,
                           'flavorRef': self.flavor_id, 'networks': 'none'}}
        self.id = self.cloud.compute_call('POST', '/servers', body=body,
                                          version='2.37')['server']['id']
        self.wait('ACTIVE')

    def show(self):
        return self.cloud.compute_call('GET', '/servers/%s' % self.id,
                                       version='2.47')['server']

    def wait(self, *statuses, task_none=True):
        def reached():
            server = self.show()
            if server['status'] in statuses and (
                    not task_none or server.get('OS-EXT-STS:task_state') is None):
                return server
            if server['status'] == 'ERROR':
                raise RuntimeError('ended in ERROR: %s' % (server.get('fault') or {}).get(
                    'message', 'no fault'))
            return None
        return cloud_mod.wait_for(reached, self.timeout, 0.3,
                                  what='status %s' % '/'.join(statuses))

    def action(self, body, version=None):
        return self.cloud.compute_call('POST', '/servers/%s/action' % self.id, body=body,
                                       version=version)

    def delete(self):
        if not self.id:
            return
        self.cloud.compute_call('DELETE', '/servers/%s' % self.id, ok=(404,))
        try:
            cloud_mod.wait_for(lambda: self.cloud.raw(
                'GET', '%s/servers/%s' % (self.cloud.compute, self.id))[0] == 404,
                self.timeout, 0.3, what='server deleted')
        except TimeoutError:
            pass
        self.id = None


def _probe_operations(cloud, found, image_id, flavor_id, flavor_alt_id, say, timeout):
    server = _Server(cloud, image_id, flavor_id, timeout)
    started = time.monotonic()
    try:
        server.boot()
    except (cloud_mod.HTTPError, RuntimeError, TimeoutError) as exc:
        raise SystemExit('tempest: the cloud cannot boot a server (%s); nothing to test' % exc)
    try:
        for option, probe in _PROBES:
            try:
                why = probe(cloud, server, found, flavor_alt_id)
            except (cloud_mod.HTTPError, RuntimeError, TimeoutError) as exc:
                found.set(option, False, _reason(exc))
                # A probe that failed may leave the server unusable: start over.
                server.delete()
                server.boot()
            else:
                if why is None or why is True:
                    found.set(option, True)
                else:
                    found.set(option, False, why)
    finally:
        server.delete()
    say('probed server operations in %.1fs' % (time.monotonic() - started))


def _reason(exc):
    """Why a probe failed, short: the API's own message when it gave one."""
    if isinstance(exc, cloud_mod.HTTPError):
        try:
            body = json.loads(exc.body)
            (fault,) = body.values()
            return 'HTTP %s: %s' % (exc.code, fault['message'])
        except (ValueError, TypeError, KeyError, AttributeError):
            return 'HTTP %s: %s' % (exc.code, exc.body[:150])
    return str(exc)[:200]


def _console_output(cloud, server, found, alt):
    server.action({'os-getConsoleOutput': {'length': 10}})


def _remote_console(protocol, kind):
    def probe(cloud, server, found, alt):
        status, _h, text = cloud.raw(
            'POST', '%s/servers/%s/remote-consoles' % (cloud.compute, server.id),
            body={'remote_console': {'protocol': protocol, 'type': kind}},
            headers={'OpenStack-API-Version': 'compute 2.8'})
        if status != 200:
            return _reason(cloud_mod.HTTPError('POST', 'remote-consoles', status, text))
        return None
    return probe


def _pause(cloud, server, found, alt):
    server.action({'pause': None})
    server.wait('PAUSED')
    server.action({'unpause': None})
    server.wait('ACTIVE')


def _suspend(cloud, server, found, alt):
    server.action({'suspend': None})
    server.wait('SUSPENDED')
    server.action({'resume': None})
    server.wait('ACTIVE')


def _rescue(cloud, server, found, alt):
    server.action({'rescue': {}})
    server.wait('RESCUE')
    server.action({'unrescue': None})
    server.wait('ACTIVE')


def _snapshot(cloud, server, found, alt):
    status, headers, text = cloud.raw(
        'POST', '%s/servers/%s/action' % (cloud.compute, server.id),
        body={'createImage': {'name': 'tempest-feature-probe-snapshot'}},
        headers={'OpenStack-API-Version': 'compute 2.45'})
    if status != 202:
        raise cloud_mod.HTTPError('POST', 'createImage', status, text)
    image_id = json.loads(text)['image_id']
    url = '%s/v2/images/%s' % (cloud.image, image_id)
    try:
        cloud_mod.wait_for(lambda: cloud.call('GET', url)['status'] == 'active',
                           server.timeout, what='snapshot image active')
        server.wait('ACTIVE')
    finally:
        cloud.call('DELETE', url, ok=(404,))


def _change_password(cloud, server, found, alt):
    server.action({'changePassword': {'adminPass': 'Probe-pass-1'}})
    server.wait('ACTIVE')


def _resize(cloud, server, found, alt):
    server.action({'resize': {'flavorRef': alt}})
    server.wait('VERIFY_RESIZE')
    server.action({'revertResize': None})
    server.wait('ACTIVE')


def _cold_migration(cloud, server, found, alt):
    if found.compute_nodes < 2:
        return 'one compute node'
    server.action({'migrate': None})
    server.wait('VERIFY_RESIZE')
    server.action({'confirmResize': None})
    server.wait('ACTIVE')


def _live_migration(cloud, server, found, alt):
    if found.compute_nodes < 2:
        return 'one compute node'
    before = server.show()['OS-EXT-SRV-ATTR:host']
    server.action({'os-migrateLive': {'host': None, 'block_migration': 'auto'}},
                  version='2.30')
    server.wait('ACTIVE')
    if server.show()['OS-EXT-SRV-ATTR:host'] == before:
        return 'the server stayed on %s' % before


def _shelve(cloud, server, found, alt):
    server.action({'shelve': None})
    server.wait('SHELVED', 'SHELVED_OFFLOADED')
    server.action({'unshelve': None})
    server.wait('ACTIVE')


def _interface_attach(cloud, server, found, alt):
    if 'network' not in found.services:
        return 'no network service in the catalog'
    cloud.compute_call('GET', '/servers/%s/os-interface' % server.id)


def _metadata_service(cloud, server, found, alt):
    listen = found.nova_conf.get(('DEFAULT', 'enabled_apis'), 'osapi_compute,metadata')
    if 'metadata' not in listen:
        return 'enabled_apis does not include metadata'


# Tempest [compute-feature-enabled] option -> probe (None or True: works;
# a string: why not).  Shelve last: it is the slowest to come back from.
_PROBES = (
    ('console_output', _console_output),
    ('vnc_console', _remote_console('vnc', 'novnc')),
    ('spice_console', _remote_console('spice', 'spice-html5')),
    ('serial_console', _remote_console('serial', 'serial')),
    ('pause', _pause),
    ('suspend', _suspend),
    ('rescue', _rescue),
    ('snapshot', _snapshot),
    ('change_password', _change_password),
    ('resize', _resize),
    ('cold_migration', _cold_migration),
    ('live_migration', _live_migration),
    ('interface_attach', _interface_attach),
    ('metadata_service', _metadata_service),
    ('shelve', _shelve),
)
PROBED = tuple(option for option, _probe in _PROBES)
