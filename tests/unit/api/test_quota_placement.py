"""``[quota] count_usage_from_placement``: servers from instance mappings, cores/RAM
from Placement's ``GET /usages`` (answered here by a stub keystoneauth adapter)."""

import json
from urllib import parse

import pytest

import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects
from nova import quota
from nova.scheduler.client import report

CONF = nova.conf.CONF


class _Response(object):
    def __init__(self, status_code, body):
        self.status_code = status_code
        self.text = json.dumps(body)
        self._body = body

    def json(self):
        return self._body


class _PlacementStub(object):
    """Answers ``GET /usages`` from ``{(project, user or None): usages by consumer type}``."""

    def __init__(self):
        self.usages = {}
        self.calls = []
        self.status = 200

    def request(self, url, method, headers=None, **kwargs):
        self.calls.append((method, url, headers['OpenStack-API-Version']))
        path, _, query = url.partition('?')
        assert method == 'GET' and path == '/usages', url
        params = dict(parse.parse_qsl(query))
        if self.status != 200:
            return _Response(self.status, {'errors': [{'detail': 'broken'}]})
        key = (params['project_id'], params.get('user_id'))
        return _Response(200, {'usages': self.usages.get(key, {})})


@pytest.fixture
def placement(monkeypatch):
    stub = _PlacementStub()
    client = report.SchedulerReportClient(adapter=stub)
    monkeypatch.setattr(quota, '_placement', lambda: client)
    return stub


@pytest.fixture
def from_placement():
    CONF.set_override('count_usage_from_placement', True, group='quota')
    yield
    CONF.clear_override('count_usage_from_placement', group='quota')


def _uuid(index):
    return 'a0000000-0000-0000-0000-%012d' % index


def _map(ctxt, index, project_id, user_id, queued=False):
    objects.InstanceMapping(ctxt, instance_uuid=_uuid(index), project_id=project_id,
                            user_id=user_id, cell_mapping=None,
                            queued_for_delete=queued).create()


def _in_cell(cell, index, project_id, user_id, vcpus=2, memory_mb=512):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        objects.Instance(context=cctxt, uuid=_uuid(index), project_id=project_id,
                         user_id=user_id, vcpus=vcpus, memory_mb=memory_mb,
                         vm_state='active').create()


class _Flavor(object):
    vcpus = 2
    memory_mb = 512


def test_default_counts_the_cells_and_never_asks_placement(cell1, placement):
    ctxt = nova_context.get_admin_context()
    _in_cell(cell1, 1, 'p', 'u1')
    _map(ctxt, 1, 'p', 'u1')
    placement.usages[('p', None)] = {'INSTANCE': {'consumer_count': 5, 'VCPU': 40,
                                                  'MEMORY_MB': 9000}}
    assert quota.project_usage(ctxt, 'p', include_server_groups=False) == {
        'instances': 1, 'cores': 2, 'ram': 512}
    assert placement.calls == []


def test_counts_mappings_and_placement_allocations(cell1, placement, from_placement):
    ctxt = nova_context.get_admin_context()
    _in_cell(cell1, 1, 'p', 'u1')  # the cells are not read: 2 cores there do not count
    _map(ctxt, 1, 'p', 'u1')
    _map(ctxt, 2, 'p', 'u2')
    _map(ctxt, 3, 'p', 'u1', queued=True)  # deleted: no longer a server
    _map(ctxt, 4, 'other', 'u1')
    # A resize not yet confirmed: the migration's consumer holds the old flavor.
    placement.usages[('p', None)] = {
        'INSTANCE': {'consumer_count': 2, 'VCPU': 3, 'PCPU': 1, 'MEMORY_MB': 1024},
        'MIGRATION': {'consumer_count': 1, 'VCPU': 1, 'MEMORY_MB': 256}}
    placement.usages[('p', 'u2')] = {'INSTANCE': {'consumer_count': 1, 'VCPU': 1,
                                                  'MEMORY_MB': 128}}
    assert quota.project_usage(ctxt, 'p', include_server_groups=False) == {
        'instances': 2, 'cores': 5, 'ram': 1280}
    assert quota.project_usage(ctxt, 'p', include_server_groups=False, user_id='u2') == {
        'instances': 1, 'cores': 1, 'ram': 128}
    assert quota.project_usage(ctxt, 'p', include_server_groups=False, user_id='u3') == {
        'instances': 0, 'cores': 0, 'ram': 0}
    urls = [url for _, url, _ in placement.calls]
    assert urls == ['/usages?project_id=p', '/usages?project_id=p&user_id=u2',
                    '/usages?project_id=p&user_id=u3']
    # user_id needs 1.9, consumer types 1.38.
    assert {version for _, _, version in placement.calls} == {
        'placement %s' % report.USAGES_VERSION}
    assert tuple(int(n) for n in report.USAGES_VERSION.split('.')) >= (1, 38)


def test_mappings_without_user_fall_back_to_the_cells(cell1, placement, from_placement):
    ctxt = nova_context.get_admin_context()
    _in_cell(cell1, 1, 'p', 'u1', vcpus=4, memory_mb=2048)
    _map(ctxt, 1, 'p', None)
    placement.usages[('p', None)] = {'INSTANCE': {'consumer_count': 1, 'VCPU': 1,
                                                  'MEMORY_MB': 1}}
    assert quota.project_usage(ctxt, 'p', include_server_groups=False) == {
        'instances': 1, 'cores': 4, 'ram': 2048}
    assert placement.calls == []
    # Another project whose mappings are complete still asks Placement.
    _map(ctxt, 2, 'q', 'u1')
    assert quota.project_usage(ctxt, 'q', include_server_groups=False)['instances'] == 1
    assert [url for _, url, _ in placement.calls] == ['/usages?project_id=q']


def test_boot_check_uses_placement_numbers(cell1, placement, from_placement):
    ctxt = nova_context.get_admin_context()
    _map(ctxt, 1, 'p', 'u1')
    objects.Quotas.create_limit(ctxt, 'p', 'cores', 4)
    placement.usages[('p', None)] = {'INSTANCE': {'consumer_count': 1, 'VCPU': 3,
                                                  'MEMORY_MB': 512}}
    with pytest.raises(exception.TooManyInstances) as error:
        quota.allowed_instances(ctxt, 'p', _Flavor, 1, 1)
    assert 'Quota exceeded for cores: Requested 2, but already used 3 of 4 cores' in str(
        error.value)
    placement.usages[('p', None)]['INSTANCE']['VCPU'] = 2
    assert quota.allowed_instances(ctxt, 'p', _Flavor, 1, 5) == 1
    quota.recheck_instances(ctxt, 'p', _Flavor)
    placement.usages[('p', None)]['INSTANCE']['VCPU'] = 5
    with pytest.raises(exception.TooManyInstances):
        quota.recheck_instances(ctxt, 'p', _Flavor)


def test_placement_failure_is_reported(cell1, placement, from_placement):
    ctxt = nova_context.get_admin_context()
    _map(ctxt, 1, 'p', 'u1')
    placement.status = 503
    with pytest.raises(exception.UsagesRetrievalFailed):
        quota.project_usage(ctxt, 'p', include_server_groups=False)


def test_quota_detail_and_limits_follow_placement(admin, user, cell1, placement,
                                                   from_placement):
    ctxt = nova_context.get_admin_context()
    _in_cell(cell1, 1, 'demoproject', 'demo')  # counted only by the default path
    _map(ctxt, 1, 'demoproject', 'demo')
    _map(ctxt, 2, 'demoproject', 'demo')
    placement.usages[('demoproject', None)] = {
        'INSTANCE': {'consumer_count': 1, 'VCPU': 6, 'MEMORY_MB': 3072}}
    placement.usages[('demoproject', 'demo')] = {
        'INSTANCE': {'consumer_count': 1, 'VCPU': 6, 'MEMORY_MB': 3072}}
    detail = user.get('/os-quota-sets/demoproject/detail').json_body_or_none['quota_set']
    assert detail['instances']['in_use'] == 2
    assert detail['cores'] == {'limit': 20, 'in_use': 6, 'reserved': 0}
    assert detail['ram']['in_use'] == 3072
    by_user = admin.get('/os-quota-sets/demoproject/detail?user_id=demo'
                        ).json_body_or_none['quota_set']
    assert by_user['cores']['in_use'] == 6 and by_user['instances']['in_use'] == 2
    absolute = user.get('/limits').json_body_or_none['limits']['absolute']
    assert absolute['totalInstancesUsed'] == 2
    assert absolute['totalCoresUsed'] == 6 and absolute['totalRAMUsed'] == 3072
    # Lowering a limit below what Placement says is in use needs force.
    res = admin.put('/os-quota-sets/demoproject', {'quota_set': {'cores': 5}})
    assert res.status_int == 400
