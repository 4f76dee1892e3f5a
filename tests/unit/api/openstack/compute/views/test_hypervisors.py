"""A hypervisor as each microversion shows it: ids or uuids (2.53), cpu_info as text
or an object (2.28), the detail fields 2.88 drops, servers listed when asked (an
empty list only from 2.75)."""

import types

import pytest

from nova.api.openstack import api_version_request as avr
from nova.api.openstack.compute.views import hypervisors as views


def _req(version):
    return types.SimpleNamespace(api_version_request=avr.APIVersionRequest(version))


NODE = types.SimpleNamespace(
    id=7, uuid='a0000000-0000-0000-0000-000000000007', hypervisor_hostname='host1.example',
    vcpus=4, memory_mb=8192, local_gb=100, vcpus_used=1, memory_mb_used=512,
    local_gb_used=1, hypervisor_type='QEMU', hypervisor_version=8002000, free_ram_mb=7680,
    free_disk_gb=99, current_workload=0, running_vms=1, disk_available_least=90,
    host_ip='192.0.2.10', cpu_info='{"arch": "x86_64"}')
SERVICE = types.SimpleNamespace(id=3, uuid='b0000000-0000-0000-0000-000000000003',
                                host='host1', disabled=True, disabled_reason='maintenance')


@pytest.mark.parametrize('version, node_id, service_id', [
    ('2.52', 7, 3), ('2.53', NODE.uuid, SERVICE.uuid)])
def test_ids_or_uuids(version, node_id, service_id):
    body = views.hypervisor(_req(version), NODE, SERVICE, alive=False, detail=True)
    assert body['id'] == node_id and body['service']['id'] == service_id
    assert (body['state'], body['status']) == ('down', 'disabled')
    assert views.public_id(_req(version), NODE) == node_id


def test_cpu_info_is_text_until_2_28_then_an_object():
    assert views.hypervisor(_req('2.27'), NODE, SERVICE, True, detail=True)['cpu_info'] == \
        '{"arch": "x86_64"}'
    assert views.hypervisor(_req('2.28'), NODE, SERVICE, True, detail=True)['cpu_info'] == \
        {'arch': 'x86_64'}
    unreadable = types.SimpleNamespace(**dict(vars(NODE), cpu_info='not json'))
    assert views.hypervisor(_req('2.28'), unreadable, SERVICE, True,
                            detail=True)['cpu_info'] == {}


def test_2_88_keeps_type_version_ip_and_uptime_only():
    body = views.hypervisor(_req('2.88'), NODE, SERVICE, True, detail=True)
    assert set(body) == {'id', 'hypervisor_hostname', 'state', 'status', 'hypervisor_type',
                         'hypervisor_version', 'host_ip', 'uptime', 'service'}
    assert body['host_ip'] == '192.0.2.10' and body['uptime'] is None
    older = views.hypervisor(_req('2.87'), NODE, SERVICE, True, detail=True)
    assert older['vcpus'] == 4 and older['host_ip'] == '192.0.2.10'


def test_the_summary_has_four_keys():
    assert set(views.hypervisor(_req('2.1'), NODE, SERVICE, True)) == {
        'id', 'hypervisor_hostname', 'state', 'status'}


@pytest.mark.parametrize('version, servers, shown', [
    ('2.74', [], False), ('2.75', [], True), ('2.74', [{'name': 'a', 'uuid': 'u'}], True)])
def test_servers_when_asked(version, servers, shown):
    body = views.hypervisor(_req(version), NODE, SERVICE, True, servers=servers)
    assert ('servers' in body) is shown
    assert 'servers' not in views.hypervisor(_req(version), NODE, SERVICE, True)
