"""Removed resources answer 410 to everyone at every microversion, with upstream's
generic fault body."""

import json
import pathlib

import pytest

from tests.unit.api.legacy_cloud import _as
from tests.unit.api.legacy_cloud import _fault
from tests.unit.api.legacy_cloud import cloud  # noqa: F401

# The API contract in shared/ beside the checkout (as CI lays it out), else
# where the developers' machines keep it.
ENDPOINTS = next((path for path in (
    pathlib.Path(__file__).resolve().parents[5].parent / 'shared' / 'compute-api' /
    'endpoints.json', pathlib.Path('/work/shared/compute-api/endpoints.json'))
    if path.exists()), pathlib.Path('/work/shared/compute-api/endpoints.json'))

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


@pytest.mark.parametrize('method,path,body', REMOVED,
                         ids=['%s %s %s' % (m, p, next(iter(b or {}), '')) for m, p, b in REMOVED])
def test_removed_operations_are_gone_for_everyone(cloud, method, path, body):  # noqa: F811
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


def test_unknown_action_on_a_removed_resource(cloud):  # noqa: F811
    client, _ids = cloud
    res = _as(client, 'admin', 'POST', '/os-networks/n1/action', {'bogus': None})
    _fault(res, 404)
