"""os-services, os-hypervisors and limits over a real cell database."""

from oslo_utils import timeutils
import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import sample


@pytest.fixture
def compute(cell1):
    """A live nova-compute service, a scheduler, and one compute node in cell1."""
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        service = objects.Service(context=cctxt, host='host1', binary='nova-compute',
                                  topic='compute', last_seen_up=timeutils.utcnow())
        service.create()
        objects.Service(context=cctxt, host='ctl', binary='nova-scheduler',
                        topic='scheduler', last_seen_up=timeutils.utcnow()).create()
        node = objects.ComputeNode(
            context=cctxt, host='host1', hypervisor_hostname='host1.example',
            vcpus=4, memory_mb=8192, local_gb=100, vcpus_used=0, memory_mb_used=512,
            local_gb_used=0, hypervisor_type='fake', hypervisor_version=1000,
            cpu_info='{"arch": "x86_64"}', free_ram_mb=7680, free_disk_gb=100,
            current_workload=0, running_vms=0, disk_available_least=100,
            host_ip='192.168.1.2', supported_hv_specs=[], cpu_allocation_ratio=16.0,
            ram_allocation_ratio=1.5, disk_allocation_ratio=1.0, service_id=service.id,
            stats={}, mapped=0)
        node.create()
    return service, node


def test_services_list_and_filters(admin, compute):
    body = admin.get('/os-services').json_body_or_none
    services = {s['binary']: s for s in body['services']}
    assert set(services) == {'nova-compute', 'nova-scheduler'}
    assert sorted(services['nova-compute']) == sorted(
        sample('os-services/services-list-get-resp.json')['services'][0])
    assert services['nova-compute']['state'] == 'up'
    assert services['nova-compute']['zone'] == 'nova'
    assert services['nova-scheduler']['zone'] == 'internal'
    only = admin.get('/os-services?binary=nova-compute').json_body_or_none['services']
    assert [s['host'] for s in only] == ['host1']


def test_services_disable_enable_old_style(admin, compute):
    res = admin.put('/os-services/disable-log-reason',
                    {'host': 'host1', 'binary': 'nova-compute', 'disabled_reason': 'maint'})
    assert res.json_body_or_none == {'service': {'host': 'host1', 'binary': 'nova-compute',
                                                 'status': 'disabled',
                                                 'disabled_reason': 'maint'}}
    listed = admin.get('/os-services?binary=nova-compute').json_body_or_none['services'][0]
    assert listed['status'] == 'disabled' and listed['disabled_reason'] == 'maint'
    res = admin.put('/os-services/enable', {'host': 'host1', 'binary': 'nova-compute'})
    assert res.json_body_or_none['service']['status'] == 'enabled'
    res = admin.put('/os-services/enable', {'host': 'nohost', 'binary': 'nova-compute'})
    assert res.status_int == 404


def test_services_v253(admin, compute, max_version):
    service, _node = compute
    res = admin.put('/os-services/%s' % service.uuid,
                    {'status': 'disabled', 'disabled_reason': 'x', 'forced_down': True},
                    version='2.53')
    assert res.status_int == 200, res.body
    body = res.json_body_or_none['service']
    assert body['id'] == service.uuid and body['state'] == 'down'
    assert body['forced_down'] is True
    listed = admin.get('/os-services', version='2.69').json_body_or_none['services']
    assert sorted(listed[0]) == sorted(
        sample('os-services/v2.53/services-list-get-resp.json')['services'][0])
    assert admin.put('/os-services/not-a-uuid', {'status': 'enabled'},
                     version='2.53').status_int == 400


def test_services_need_admin(user, compute):
    assert user.get('/os-services').status_int == 403


def test_hypervisors(admin, compute, max_version):
    _service, node = compute
    listed = admin.get('/os-hypervisors').json_body_or_none['hypervisors']
    assert listed == [{'id': node.id, 'hypervisor_hostname': 'host1.example',
                       'state': 'up', 'status': 'enabled'}]
    detail = admin.get('/os-hypervisors/detail').json_body_or_none['hypervisors'][0]
    assert sorted(detail) == sorted(
        sample('os-hypervisors/hypervisors-detail-resp.json')['hypervisors'][0])
    assert isinstance(detail['cpu_info'], str)
    shown = admin.get('/os-hypervisors/%s' % node.id, version='2.28').json_body_or_none
    assert shown['hypervisor']['cpu_info'] == {'arch': 'x86_64'}
    v253 = admin.get('/os-hypervisors/%s' % node.uuid, version='2.53').json_body_or_none
    assert v253['hypervisor']['id'] == node.uuid
    v288 = admin.get('/os-hypervisors/%s' % node.uuid, version='2.88').json_body_or_none
    assert sorted(v288['hypervisor']) == sorted(
        sample('os-hypervisors/v2.88/hypervisors-show-resp.json')['hypervisor'])
    stats = admin.get('/os-hypervisors/statistics').json_body_or_none['hypervisor_statistics']
    assert stats['count'] == 1 and stats['vcpus'] == 4
    assert admin.get('/os-hypervisors/statistics', version='2.88').status_int == 404
    assert admin.get('/os-hypervisors/host1/search').json_body_or_none['hypervisors'][0][
        'hypervisor_hostname'] == 'host1.example'
    assert admin.get('/os-hypervisors/999').status_int == 404
    assert admin.get('/os-hypervisors/abc', version='2.53').status_int == 400
    # no servers on it: the key is left out before 2.75, an empty list from 2.75
    assert 'servers' not in admin.get('/os-hypervisors?with_servers=true',
                                      version='2.74').json_body_or_none['hypervisors'][0]
    assert admin.get('/os-hypervisors?with_servers=true',
                     version='2.75').json_body_or_none['hypervisors'][0]['servers'] == []


def test_limits(user, cell1, max_version):
    body = user.get('/limits').json_body_or_none
    expected = sample('limits/limit-get-resp.json')
    assert sorted(body['limits']['absolute']) == sorted(expected['limits']['absolute'])
    assert body['limits']['absolute']['maxTotalInstances'] == 10
    assert body['limits']['absolute']['totalInstancesUsed'] == 0
    for version in ('2.36', '2.39', '2.57'):
        got = user.get('/limits', version=version).json_body_or_none
        want = sample('limits/v%s/limit-get-resp.json' % version)
        assert sorted(got['limits']['absolute']) == sorted(want['limits']['absolute'])
