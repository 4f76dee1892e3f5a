"""``POST /servers`` with ``host`` / ``hypervisor_hostname`` (microversion 2.74).

The request is handed to conductor over the fake transport; the cast is
captured here to see what the scheduler would be asked.
"""

import pytest

from nova.compute import api as compute_api
from nova import context as nova_context
from nova import objects
from tests.unit.api import seeded
from tests.unit.api.conftest import Client

HOST = 'dest-host'
NODE = 'dest-node.example'


@pytest.fixture
def cloud(paste_app, cell1, max_version, monkeypatch, seeded_ids):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        service = objects.Service(context=cctxt, host=HOST, binary='nova-compute',
                                  topic='compute')
        service.create()
        objects.ComputeNode(
            context=cctxt, host=HOST, hypervisor_hostname=NODE, vcpus=4, memory_mb=8192,
            local_gb=100, vcpus_used=0, memory_mb_used=0, local_gb_used=0,
            hypervisor_type='fake', hypervisor_version=1000, cpu_info='{}',
            free_ram_mb=8192, free_disk_gb=100, current_workload=0, running_vms=0,
            disk_available_least=100, host_ip='192.168.1.3', supported_hv_specs=[],
            cpu_allocation_ratio=16.0, ram_allocation_ratio=1.5, disk_allocation_ratio=1.0,
            service_id=service.id, stats={}, mapped=1).create()
    objects.HostMapping(context=ctxt, host=HOST, cell_mapping=cell1).create()
    casts = []
    api = compute_api.get()
    monkeypatch.setattr(api.compute_task_api, 'schedule_and_build_instances',
                        lambda context, **kwargs: casts.append(kwargs))
    return Client(paste_app), casts


def _boot(client, persona='admin', version='2.74', **server):
    body = {'server': dict({'name': 'pinned', 'imageRef': seeded.IMAGE, 'flavorRef': '1',
                            'networks': 'none'}, **server)}
    token, headers = seeded.headers_for(persona)
    return client.post('/servers', body, version=version, token=token, headers=headers)


def _destination(casts):
    spec = casts[-1]['request_specs'][0]
    dest = spec.requested_destination
    if dest is None:
        return None
    return (dest.host if dest.obj_attr_is_set('host') else None,
            dest.node if dest.obj_attr_is_set('node') else None)


@pytest.mark.parametrize('server,expected', [
    (dict(host=HOST), (HOST, None)),
    (dict(hypervisor_hostname=NODE), (None, NODE)),
    (dict(host=HOST, hypervisor_hostname=NODE), (HOST, NODE)),
    (dict(host=HOST, availability_zone='nova'), (HOST, None)),
    ({}, None),
])
def test_request_spec_carries_the_destination(cloud, server, expected):
    client, casts = cloud
    res = _boot(client, **server)
    assert res.status_int == 202, res.body
    assert _destination(casts) == expected
    # Per request only: the stored spec (used by later moves) does not keep it.
    server_id = res.json_body_or_none['server']['id']
    stored = objects.RequestSpec.get_by_instance_uuid(nova_context.get_admin_context(),
                                                      server_id)
    assert stored.requested_destination is None


@pytest.mark.parametrize('server,missing', [
    (dict(host='no-such-host'), 'no-such-host'),
    (dict(hypervisor_hostname='no-such-node'), 'no-such-node'),
    (dict(host=HOST, hypervisor_hostname='no-such-node'), HOST),
    (dict(host='no-such-host', hypervisor_hostname=NODE), 'no-such-host'),
])
def test_unknown_host_or_node_is_400(cloud, server, missing):
    client, casts = cloud
    res = _boot(client, **server)
    assert res.status_int == 400, res.body
    assert res.json_body_or_none['badRequest']['message'] == \
        'Compute host %s could not be found.' % missing
    assert casts == []
    # Nothing half-built is left behind.
    assert client.get('/servers?name=pinned').json_body_or_none['servers'] == []


def test_only_administrators_by_default(cloud):
    client, casts = cloud
    res = _boot(client, persona='member', host=HOST)
    assert res.status_int == 403, res.body
    assert 'compute:servers:create:requested_destination' in \
        res.json_body_or_none['forbidden']['message']
    assert casts == []
    assert _boot(client, persona='member').status_int == 202


def test_not_together_with_a_forced_zone_host(cloud):
    client, casts = cloud
    res = _boot(client, host=HOST, availability_zone='nova:%s' % HOST)
    assert res.status_int == 400, res.body
    assert casts == []


def test_before_2_74_the_keys_are_unknown(cloud):
    client, casts = cloud
    res = _boot(client, version='2.73', host=HOST)
    assert res.status_int == 400, res.body
    assert "'host'" in res.json_body_or_none['badRequest']['message']
