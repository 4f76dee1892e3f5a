"""The compute API's host requests over real API and cell databases: services from
every cell that answers, a host's resources, and requests only to a compute that is
mapped and up (nova-compute's RPC client is a recording stand-in)."""

import datetime

import pytest
from oslo_utils import timeutils

from nova.compute.api import hosts
from nova import context as nova_context
from nova import exception
from nova import objects


class _RPC(object):
    def __init__(self):
        self.sent = []

    def __getattr__(self, method):
        def send(context, host, *args):
            self.sent.append((method, host) + args)
            return 'done'
        return send


@pytest.fixture
def api(fake_rpc, monkeypatch):
    rpc = _RPC()
    monkeypatch.setattr(hosts.HostAPI, 'rpcapi', rpc)
    return hosts.HostAPI()


def _service(ctxt, cell, host, binary='nova-compute', stale=False):
    with nova_context.target_cell(ctxt, cell) as cctxt:
        service = objects.Service(cctxt, host=host, binary=binary, topic=binary[5:])
        service.create()
        if stale:
            service.last_seen_up = timeutils.utcnow() - datetime.timedelta(hours=1)
            service.save()
        else:
            service.report_count = 1
            service.save()
    objects.HostMapping(ctxt, host=host, cell_mapping=cell).create()
    return service


def test_services_of_every_cell_that_answers(api, ctxt, two_cells, monkeypatch):
    _cell0, cell1 = two_cells
    _service(ctxt, cell1, 'h1')
    broken = objects.CellMapping(ctxt, uuid='22222222-2222-2222-2222-222222222222',
                                 name='broken', transport_url='none:///',
                                 database_connection='sqlite:////nonexistent/dir/x.db')
    broken.create()
    assert [s.host for s in api.service_get_all(ctxt)] == ['h1']
    assert api.service_get_all(ctxt, disabled=True) == []


def test_requests_go_only_to_a_mapped_compute_that_is_up(api, ctxt, two_cells):
    _cell0, cell1 = two_cells
    _service(ctxt, cell1, 'up')
    _service(ctxt, cell1, 'down', stale=True)
    _service(ctxt, cell1, 'conductor-host', binary='nova-conductor')
    assert api.set_host_enabled(ctxt, 'up', False) == 'done'
    assert api.host_power_action(ctxt, 'up', 'reboot') == 'done'
    with pytest.raises(exception.ComputeServiceUnavailable):
        api.set_host_maintenance(ctxt, 'down', 'enable')
    with pytest.raises(exception.ComputeHostNotFound):
        api.set_host_enabled(ctxt, 'unmapped', True)
    with pytest.raises(exception.ComputeHostNotFound):
        api.set_host_enabled(ctxt, 'conductor-host', True)
    assert api.rpcapi.sent == [('set_host_enabled', 'up', False),
                               ('host_power_action', 'up', 'reboot')]


def test_a_hosts_resources_need_a_compute_node(api, ctxt, two_cells):
    _cell0, cell1 = two_cells
    service = _service(ctxt, cell1, 'h1')
    with pytest.raises(exception.ComputeHostNotFound):
        api.host_resources(ctxt, 'h1')
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        objects.ComputeNode(
            cctxt, host='h1', hypervisor_hostname='n1', vcpus=1, memory_mb=1, local_gb=1,
            vcpus_used=0, memory_mb_used=0, local_gb_used=0, hypervisor_type='fake',
            hypervisor_version=1, cpu_info='{}', stats={}, supported_hv_specs=[],
            cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0, disk_allocation_ratio=1.0,
            service_id=service.id).create()
        objects.Instance(cctxt, host='h1', project_id='p', user_id='u').create()
    node, instances = api.host_resources(ctxt, 'h1')
    assert node.hypervisor_hostname == 'n1' and len(instances) == 1
