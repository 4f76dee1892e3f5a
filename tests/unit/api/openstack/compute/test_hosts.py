"""``/os-hosts`` (up to 2.42): list, zone filter, resources, host requests to the driver."""

from tests.unit.api import host_rpc
from tests.unit.api.legacy_cloud import _as
from tests.unit.api.legacy_cloud import _fault
from tests.unit.api.legacy_cloud import cloud  # noqa: F401
from tests.unit.api import seeded


def test_hosts_are_gone_from_2_43(cloud):  # noqa: F811
    client, _ids = cloud
    for method, path in (('GET', '/os-hosts'), ('GET', '/os-hosts/host1'),
                         ('GET', '/os-hosts/host1/reboot')):
        _fault(_as(client, 'admin', method, path, version='2.43'), 404)
        assert _as(client, 'admin', method, path, version='2.42').status_int != 404
    _fault(_as(client, 'admin', 'PUT', '/os-hosts/host1', {'status': 'enable'},
               version='2.43'), 404)


def test_hosts_list_and_zone_filter(cloud):  # noqa: F811
    client, _ids = cloud
    hosts = _as(client, 'admin', 'GET', '/os-hosts').json_body_or_none['hosts']
    assert sorted((h['host_name'], h['service'], h['zone']) for h in hosts) == [
        ('ctl1', 'conductor', 'internal'), ('ctl1', 'scheduler', 'internal'),
        ('host1', 'compute', 'nova'), ('host2', 'compute', 'nova')]
    hosts = _as(client, 'admin', 'GET', '/os-hosts?zone=internal').json_body_or_none['hosts']
    assert {h['service'] for h in hosts} == {'conductor', 'scheduler'}
    for persona in ('member', 'reader', 'other_member'):
        _fault(_as(client, persona, 'GET', '/os-hosts'), 403)


def test_host_resources(cloud):  # noqa: F811
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


def test_host_update_and_power_through_the_driver(cloud):  # noqa: F811
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


def test_host_update_refusals(cloud):  # noqa: F811
    client, _ids = cloud
    for body in ({}, {'status': 'on'}, {'status': 'enable', 'bogus': 1}):
        _fault(_as(client, 'admin', 'PUT', '/os-hosts/host1', body), 400)
    _fault(_as(client, 'admin', 'PUT', '/os-hosts/nowhere', {'status': 'enable'}), 404)
    _fault(_as(client, 'member', 'PUT', '/os-hosts/host1', {'status': 'enable'}), 403)
    _fault(_as(client, 'member', 'GET', '/os-hosts/host1/reboot'), 403)


def test_host_request_to_a_silent_compute_is_a_bad_request(cloud):  # noqa: F811
    """No compute endpoint answers: the call times out, as for a compute that is down."""
    client, _ids = cloud
    _fault(_as(client, 'admin', 'GET', '/os-hosts/host1/reboot'), 400)
