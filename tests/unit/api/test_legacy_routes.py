"""Deprecated and removed compute API routes answer as upstream does today.

Removed resources: 410 to everyone at every microversion, upstream's generic
fault body.  /extensions, os-hosts (404 from 2.43), the usage audit log and
the os-tenant-networks proxy: their status codes and edge cases.
"""

import json
import pathlib
import urllib.parse

import pytest

from tests.unit.api.conftest import Client
from tests.unit.api import host_rpc
from tests.unit.api import seeded
from tests.unit.api import test_sample_shapes_legacy as legacy

ENDPOINTS = pathlib.Path('/work/shared/compute-api/endpoints.json')

# (method, path, body) of every removed operation; placeholders are any id.
REMOVED = [
    ('GET', '/os-agents', None), ('POST', '/os-agents', {'agent': {}}),
    ('PUT', '/os-agents/1', {'para': {}}), ('DELETE', '/os-agents/1', None),
    ('GET', '/os-cells', None), ('POST', '/os-cells', {'cell': {'name': 'x'}}),
    ('GET', '/os-cells/capacities', None), ('GET', '/os-cells/detail', None),
    ('GET', '/os-cells/info', None), ('POST', '/os-cells/sync_instances', {}),
    ('GET', '/os-cells/c1', None), ('PUT', '/os-cells/c1', {'cell': {}}),
    ('DELETE', '/os-cells/c1', None), ('GET', '/os-cells/c1/capacities', None),
    ('POST', '/os-certificates', None), ('GET', '/os-certificates/root', None),
    ('GET', '/os-cloudpipe', None), ('POST', '/os-cloudpipe', {'cloudpipe': {}}),
    ('PUT', '/os-cloudpipe/configure-project', {'configure_project': {}}),
    ('GET', '/os-fixed-ips/192.168.1.1', None),
    ('POST', '/os-fixed-ips/192.168.1.1/action', {'reserve': None}),
    ('POST', '/os-fixed-ips/192.168.1.1/action', {'unreserve': None}),
    ('GET', '/os-floating-ip-dns', None),
    ('PUT', '/os-floating-ip-dns/example.org', {'domain_entry': {}}),
    ('DELETE', '/os-floating-ip-dns/example.org', None),
    ('GET', '/os-floating-ip-dns/example.org/entries/192.168.1.1', None),
    ('PUT', '/os-floating-ip-dns/example.org/entries/www', {'dns_entry': {}}),
    ('DELETE', '/os-floating-ip-dns/example.org/entries/www', None),
    ('GET', '/os-floating-ips-bulk', None),
    ('POST', '/os-floating-ips-bulk', {'floating_ips_bulk_create': {}}),
    ('PUT', '/os-floating-ips-bulk/delete', {'ip_range': '10.0.0.0/24'}),
    ('GET', '/os-floating-ips-bulk/host1', None),
    ('GET', '/os-fping', None), ('GET', '/os-fping/x', None),
    ('POST', '/os-networks', {'network': {'label': 'x'}}),
    ('POST', '/os-networks/add', {'id': 'x'}), ('DELETE', '/os-networks/n1', None),
    ('POST', '/os-networks/n1/action', {'disassociate': None}),
    ('POST', '/os-networks/n1/action', {'disassociate_host': None}),
    ('POST', '/os-networks/n1/action', {'disassociate_project': None}),
    ('POST', '/os-networks/n1/action', {'associate_host': 'host1'}),
    ('GET', '/os-security-group-default-rules', None),
    ('POST', '/os-security-group-default-rules', {'security_group_default_rule': {}}),
    ('GET', '/os-security-group-default-rules/1', None),
    ('DELETE', '/os-security-group-default-rules/1', None),
    ('POST', '/os-tenant-networks', {'network': {'label': 'x'}}),
    ('DELETE', '/os-tenant-networks/n1', None),
    ('GET', '/servers/{servers}/os-virtual-interfaces', None),
]


@pytest.fixture
def cloud(paste_app, cell1, seeded_ids):
    legacy.add_services(cell1)
    legacy.map_host(cell1)
    return Client(paste_app), seeded_ids


def _as(client, persona, method, path, body=None, version=None):
    token, headers = seeded.headers_for(persona)
    return client.request(method, path, body=body, version=version, token=token,
                          headers=headers)


def _fault(res, code):
    assert res.status_int == code, (res.status_int, res.body)
    (fault,) = res.json_body_or_none.values()
    assert fault['code'] == code
    return res.json_body_or_none


@pytest.mark.parametrize('method,path,body', REMOVED,
                         ids=['%s %s %s' % (m, p, next(iter(b or {}), '')) for m, p, b in REMOVED])
def test_removed_operations_are_gone_for_everyone(cloud, method, path, body):
    client, ids = cloud
    path = path.format_map(ids)
    for persona, version in (('admin', '2.1'), ('reader', '2.35'), ('other_member', 'latest')):
        body_json = _fault(_as(client, persona, method, path, body, version), 410)
        assert 'computeFault' in body_json  # upstream has no fault name for 410


def test_every_upstream_gone_operation_is_covered():
    """Each endpoint the API reference lists with a 410 answers 410 here (a few of them
    only for their removed methods: os-networks and os-tenant-networks still list)."""
    documented = {(e['method'], e['path']) for e in json.loads(ENDPOINTS.read_text())
                  if 410 in e['errors'] and '/servers/{server_id}/action' not in e['path']
                  and '/consoles' not in e['path']}
    ours = {(m, p) for m, p, _b in REMOVED}

    def shape(path):
        return tuple('{}' if part.startswith('{') or part[:1].isdigit() or '.' in part
                     or part in ('x', 'c1', 'n1', 'www', 'host1', 'root', 'configure-project',
                                 'delete', '{servers}')
                     else part for part in path.strip('/').split('/'))
    missing = {(m, p) for m, p in documented
               if (m, shape(p)) not in {(om, shape(op)) for om, op in ours}}
    assert missing == set()


def test_unknown_action_on_a_removed_resource(cloud):
    client, _ids = cloud
    res = _as(client, 'admin', 'POST', '/os-networks/n1/action', {'bogus': None})
    _fault(res, 404)


def test_networks_list_stays_a_proxy_until_2_35(cloud):
    client, _ids = cloud
    for path in ('/os-networks', '/os-tenant-networks'):
        res = _as(client, 'member', 'GET', path, version='2.35')
        assert res.status_int == 200 and res.json_body_or_none == {'networks': []}
        _fault(_as(client, 'member', 'GET', path, version='2.36'), 404)
    _fault(_as(client, 'member', 'GET', '/os-tenant-networks/n1'), 404)


# --- /extensions ------------------------------------------------------------------------


def test_extensions_for_every_user(cloud):
    client, _ids = cloud
    listed = _as(client, 'reader', 'GET', '/extensions').json_body_or_none['extensions']
    assert len(listed) == 99 and 'OS-EXT-VIF-NET' not in {e['alias'] for e in listed}
    one = _as(client, 'other_member', 'GET', '/extensions/os-hosts', version='latest')
    assert one.json_body_or_none['extension']['name'] == 'Hosts'
    _fault(_as(client, 'admin', 'GET', '/extensions/OS-EXT-VIF-NET'), 404)
    assert client.get('/v2/extensions/OS-EXT-VIF-NET').status_int == 200
    _fault(_as(client, 'admin', 'GET', '/extensions/no-such'), 404)


# --- /os-hosts --------------------------------------------------------------------------


def test_hosts_are_gone_from_2_43(cloud):
    client, _ids = cloud
    for method, path in (('GET', '/os-hosts'), ('GET', '/os-hosts/host1'),
                         ('GET', '/os-hosts/host1/reboot')):
        _fault(_as(client, 'admin', method, path, version='2.43'), 404)
        assert _as(client, 'admin', method, path, version='2.42').status_int != 404
    _fault(_as(client, 'admin', 'PUT', '/os-hosts/host1', {'status': 'enable'},
               version='2.43'), 404)


def test_hosts_list_and_zone_filter(cloud):
    client, _ids = cloud
    hosts = _as(client, 'admin', 'GET', '/os-hosts').json_body_or_none['hosts']
    assert sorted((h['host_name'], h['service'], h['zone']) for h in hosts) == [
        ('ctl1', 'conductor', 'internal'), ('ctl1', 'scheduler', 'internal'),
        ('host1', 'compute', 'nova'), ('host2', 'compute', 'nova')]
    hosts = _as(client, 'admin', 'GET', '/os-hosts?zone=internal').json_body_or_none['hosts']
    assert {h['service'] for h in hosts} == {'conductor', 'scheduler'}
    for persona in ('member', 'reader', 'other_member'):
        _fault(_as(client, persona, 'GET', '/os-hosts'), 403)


def test_host_resources(cloud):
    client, ids = cloud
    rows = [r['resource'] for r in
            _as(client, 'admin', 'GET', '/os-hosts/host1').json_body_or_none['host']]
    by_project = {r['project']: (r['cpu'], r['memory_mb'], r['disk_gb']) for r in rows}
    assert by_project['(total)'] == (4, 8192, 100)
    assert by_project['(used_now)'] == (0, 512, 0)
    servers = [p for p in by_project if not p.startswith('(')]
    # the seeded servers live on host1, one per project
    assert sorted(servers) == sorted({seeded.OWNER_PROJECT, seeded.OTHER_PROJECT})
    used_max = by_project['(used_max)']
    assert used_max == tuple(map(sum, zip(*(by_project[p] for p in servers))))
    _fault(_as(client, 'admin', 'GET', '/os-hosts/nowhere'), 404)


def test_host_update_and_power_through_the_driver(cloud):
    client, _ids = cloud
    with host_rpc.serving():
        res = _as(client, 'admin', 'PUT', '/os-hosts/host1',
                  {'status': 'Disable', 'maintenance_mode': 'enable'})
        assert res.json_body_or_none == {'host': 'host1', 'status': 'disabled',
                                         'maintenance_mode': 'on_maintenance'}
        res = _as(client, 'admin', 'GET', '/os-hosts/host1/startup')
        assert res.json_body_or_none == {'host': 'host1', 'power_action': 'startup'}
    with host_rpc.serving(host_rpc.bare_driver()):
        for method, path, body in (('PUT', '/os-hosts/host1', {'status': 'enable'}),
                                   ('PUT', '/os-hosts/host1', {'maintenance_mode': 'disable'}),
                                   ('GET', '/os-hosts/host1/reboot', None),
                                   ('GET', '/os-hosts/host1/shutdown', None)):
            _fault(_as(client, 'admin', method, path, body), 501)


def test_host_update_refusals(cloud):
    client, _ids = cloud
    for body in ({}, {'status': 'on'}, {'status': 'enable', 'bogus': 1}):
        _fault(_as(client, 'admin', 'PUT', '/os-hosts/host1', body), 400)
    _fault(_as(client, 'admin', 'PUT', '/os-hosts/nowhere', {'status': 'enable'}), 404)
    _fault(_as(client, 'member', 'PUT', '/os-hosts/host1', {'status': 'enable'}), 403)
    _fault(_as(client, 'member', 'GET', '/os-hosts/host1/reboot'), 403)


def test_host_request_to_a_silent_compute_is_a_bad_request(cloud):
    """No compute endpoint answers: the call times out, as for a compute that is down."""
    client, _ids = cloud
    _fault(_as(client, 'admin', 'GET', '/os-hosts/host1/reboot'), 400)


# --- /os-instance_usage_audit_log --------------------------------------------------------


def test_audit_log_counts(cloud, cell1):
    client, _ids = cloud
    legacy.audit_host(cell1, 'host1', True, 3, 1)
    legacy.audit_host(cell1, 'host2', False, 2, 0)
    log = _as(client, 'admin', 'GET', '/os-instance_usage_audit_log').json_body_or_none[
        'instance_usage_audit_logs']
    assert (log['num_hosts'], log['num_hosts_done'], log['num_hosts_running'],
            log['num_hosts_not_run']) == (2, 1, 1, 0)
    assert (log['total_instances'], log['total_errors']) == (5, 1)
    assert log['overall_status'] == '1 of 2 hosts done. 1 errors.'
    assert log['log']['host2']['state'] == 'RUNNING'


def test_audit_log_of_an_earlier_period_and_no_audit(cloud):
    client, _ids = cloud
    path = '/os-instance_usage_audit_log/' + urllib.parse.quote('2012-07-05 10:00:00')
    log = _as(client, 'admin', 'GET', path).json_body_or_none['instance_usage_audit_log']
    assert (log['period_beginning'], log['period_ending']) == (
        '2012-06-01 00:00:00', '2012-07-01 00:00:00')
    assert log['hosts_not_run'] == ['host1', 'host2'] and log['log'] == {}
    assert log['overall_status'] == '0 of 2 hosts done. 0 errors.'
    with_fraction = path.replace('00%3A00', '00%3A00.5')
    assert _as(client, 'admin', 'GET', with_fraction).status_int == 200


def test_audit_log_refusals(cloud):
    client, _ids = cloud
    _fault(_as(client, 'admin', 'GET', '/os-instance_usage_audit_log/yesterday'), 400)
    for path in ('/os-instance_usage_audit_log',
                 '/os-instance_usage_audit_log/2012-07-05%2010:00:00'):
        _fault(_as(client, 'member', 'GET', path), 403)
