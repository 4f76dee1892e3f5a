"""Probe every method + path of upstream's compute API table against the cloud.

The table is the API contract (``shared/compute-api/endpoints.json`` beside
the checkout, or ``--contract``).  Each route is asked at microversion 2.1 and
at the cloud's maximum, with real ids where the probe can make or find them
(a server, a flavor, an image, the project, a hypervisor, a host, an
aggregate, a keypair, a server group) and unknown ids for DELETE, and with an
empty JSON body for POST and PUT, so nothing is changed.  A route counts as
served when one of the two answers is not the router's own "no such route"
(its 404 or 405 for a path nobody serves).  Prints the missing ones.
"""

import json
import os
import re
import uuid

from tools.tempest_lib import detect
from tools.tempest_lib import resources

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# shared/ sits beside the checkout (or beside the folder of its worktrees).
CONTRACTS = [os.path.join(os.path.dirname(base), 'shared', 'compute-api', 'endpoints.json')
             for base in (_REPO, os.path.dirname(_REPO))]
_PLACEHOLDER = re.compile(r'\{([^}]*)\}')
UNKNOWN = str(uuid.UUID(int=0x7e57))


def load_table(path=None):
    path = path or next((p for p in CONTRACTS if os.path.exists(p)), None)
    if path is None:
        raise SystemExit('tempest: no API contract at %s' % ' or '.join(CONTRACTS))
    with open(path) as f:
        endpoints = json.load(f)
    return sorted({(e['method'], e['path']) for e in endpoints})


class Fixtures(object):
    """Real resources the probe's paths point at; removed by ``cleanup``."""

    def __init__(self, cloud):
        self.cloud = cloud
        self.ids = {}
        self.server = None
        self.aggregate = None
        self.keypair = None
        self.group = None

    def make(self):
        cloud = self.cloud
        image_ids = resources.ensure_images(cloud)
        flavor_ids = resources.ensure_flavors(cloud)
        self.server = detect._Server(cloud, image_ids[0], flavor_ids[0], 120)
        self.server.boot()
        hypervisors = cloud.compute_call('GET', '/os-hypervisors', version='2.53')['hypervisors']
        host = cloud.compute_call('GET', '/os-services?binary=nova-compute')['services']
        self.aggregate = cloud.compute_call('POST', '/os-aggregates', body={
            'aggregate': {'name': 'tempest-route-probe'}})['aggregate']['id']
        self.keypair = 'tempest-route-probe'
        cloud.compute_call('POST', '/os-keypairs', body={'keypair': {'name': self.keypair}},
                           version='2.1', ok=(409,))
        self.group = cloud.compute_call('POST', '/os-server-groups', body={
            'server_group': {'name': 'tempest-route-probe', 'policies': ['affinity']}})[
            'server_group']['id']
        self.ids = {
            'server_id': self.server.id, 'instance_id': self.server.id,
            'flavor_id': flavor_ids[0], 'image_id': image_ids[0],
            'tenant_id': cloud.project_id, 'id': 'default',
            'hypervisor_id': hypervisors[0]['id'] if hypervisors else UNKNOWN,
            'hypervisor_hostname_pattern': hypervisors[0]['hypervisor_hostname']
            if hypervisors else 'probe',
            'host_name': host[0]['host'] if host else 'probe',
            'aggregate_id': str(self.aggregate), 'keypair_name': self.keypair,
            'server_group_id': self.group, 'api_version': 'v2.1',
            'key': 'probe', 'tag': 'probe', 'flavor_extra_spec_key': 'probe',
            'before_timestamp': '2020-01-01%2000:00:00',
        }

    def fill(self, method, path):
        def value(match):
            name = match.group(1)
            if method == 'DELETE' or name not in self.ids:
                return UNKNOWN if name.endswith('_id') or name == 'id' else 'probe'
            return self.ids[name]
        return _PLACEHOLDER.sub(value, path)

    def cleanup(self):
        cloud = self.cloud
        if self.server:
            self.server.delete()
        if self.aggregate:
            cloud.compute_call('DELETE', '/os-aggregates/%s' % self.aggregate, ok=(404,))
        if self.keypair:
            cloud.compute_call('DELETE', '/os-keypairs/%s' % self.keypair, ok=(404,))
        if self.group:
            cloud.compute_call('DELETE', '/os-server-groups/%s' % self.group, ok=(404,))


def _signature(status, text):
    try:
        body = json.loads(text)
    except ValueError:
        body = text
    return status, json.dumps(body, sort_keys=True)


def probe(cloud, table, say=print):
    root = cloud.compute.rsplit('/v2.1', 1)[0]
    top = cloud.call('GET', root + '/')
    versions = top.get('versions', []) if isinstance(top, dict) else []
    max_version = max((v.get('version') or '2.1' for v in versions),
                      key=lambda v: tuple(int(p) for p in v.split('.')), default='2.1')
    nobody = set()
    for method in ('GET', 'POST', 'PUT', 'DELETE'):
        for version in ('2.1', max_version):
            status, _h, text = cloud.raw(method, cloud.compute + '/no-such-route-probe',
                                         body={} if method in ('POST', 'PUT') else None,
                                         headers={'OpenStack-API-Version': 'compute ' + version})
            nobody.add(_signature(status, text))
    fixtures = Fixtures(cloud)
    fixtures.make()
    rows = []
    try:
        for method, path in table:
            url_path = fixtures.fill(method, path)
            base = root if path == '/' or path.startswith('/{api_version}') else cloud.compute
            if path == '/':
                url_path = '/'
            seen = []
            for version in ('2.1', max_version):
                status, _h, text = cloud.raw(
                    method, base + url_path, body={} if method in ('POST', 'PUT') else None,
                    headers={'OpenStack-API-Version': 'compute ' + version})
                seen.append((version, status, text))
            served = any(_signature(status, text) not in nobody and status not in (405,)
                         for _v, status, text in seen)
            rows.append((method, path, served, seen))
    finally:
        fixtures.cleanup()
    return rows, max_version


def discovery(cloud):
    """Version discovery as keystoneauth does it: ``GET /v2.1`` without a token is
    the version document itself (no redirect, no 401), and so is ``/versions/{id}``
    under the versioned API.  Returns [(what, ok, status)]."""
    checks = []
    status, _h, text = cloud.raw('GET', cloud.compute, token=False)
    checks.append(('GET /v2.1 without a token gives the version document', status == 200 and
                   '"version"' in text, status))
    status, _h, text = cloud.raw('GET', cloud.compute + '/versions/v2.1')
    checks.append(('GET /v2.1/versions/v2.1 gives the version document', status == 200 and
                   '"version"' in text, status))
    return checks


def main(cloud, say=print, contract=None):
    table = load_table(contract)
    rows, max_version = probe(cloud, table, say)
    missing = [row for row in rows if not row[2]]
    for method, path, _served, seen in missing:
        say('missing: %-6s %-60s %s' % (method, path, '  '.join(
            '%s->%s' % (version, status) for version, status, _t in seen)))
    # 501 is the documented answer of a proxy whose service is absent (Ironic), not a fault.
    errors = [row for row in rows
              if any(status >= 500 and status != 501 for _v, status, _t in row[3])]
    for method, path, _served, seen in errors:
        say('5xx:     %-6s %-60s %s' % (method, path, '  '.join(
            '%s->%s' % (version, status) for version, status, _t in seen)))
    failed = [check for check in discovery(cloud) if not check[1]]
    for what, _ok, status in failed:
        say('discovery: NOT %s (HTTP %s)' % (what, status))
    say('%d of upstream\'s %d method+path routes served (asked at 2.1 and %s), %d answer '
        '5xx, %d discovery differences' % (len(rows) - len(missing), len(rows), max_version,
                                           len(errors), len(failed)))
    return 1 if missing or errors or failed else 0

