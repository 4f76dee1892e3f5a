"""GET /servers/{id}/diagnostics and the injectNetworkInfo / resetNetwork actions
through the paste app.

The seeded owner server lives on host1; no nova-compute consumes RPC in a unit
test, so the compute RPC API's diagnostics calls and the network-info cast are
answered in this process by the compute manager's power mixin over the fake
virt driver (what a host would do, minus the wire; tests/unit/compute covers
the wire).
"""

import oslo_messaging as messaging
import pytest

from nova.compute import diagnostics
from nova.compute import network_info
from nova.compute import rpcapi as compute_rpcapi
from nova import context as nova_context
from nova import objects
from nova.virt import fake
from tests.unit.api.conftest import Client
from tests.unit.api import seeded

STANDARD_FIELDS = {'state', 'driver', 'hypervisor', 'hypervisor_os', 'uptime',
                   'config_drive', 'num_cpus', 'num_disks', 'num_nics', 'memory_details',
                   'cpu_details', 'disk_details', 'nic_details'}

VIF = {'id': 'a3b5bb72-9f5e-4d9c-9d1c-1ffb6a1c9f01', 'address': 'fa:16:3e:0d:11:74',
       'network': {'label': 'private', 'subnets': []}}


class _Compute(diagnostics.DiagnosticsOperations, network_info.NetworkInfoOperations):
    """host1's nova-compute for these calls, run in this process."""

    def __init__(self):
        self.host = 'host1'
        self.driver = fake.FakeDriver(None)
        self.calls = []

    def stand_in(self, method):
        def call(rpcapi, ctxt, instance):
            self.calls.append(method)
            try:
                return getattr(self, method)(ctxt, instance)
            except messaging.ExpectedException as wrapped:
                raise wrapped.exc_info[1]
        return call


@pytest.fixture
def cloud(paste_app, monkeypatch, max_version, seeded_ids):
    compute = _Compute()
    for method in ('get_diagnostics', 'get_instance_diagnostics', 'inject_network_info'):
        monkeypatch.setattr(compute_rpcapi.ComputeAPI, method, compute.stand_in(method))
    compute.driver.instances[seeded_ids['servers']] = fake.FakeInstance(
        seeded_ids['servers'], 'guest', fake.POWER_RUNNING)
    clients = {persona: Client(paste_app, seeded.PERSONAS[persona][0])
               for persona in seeded.PERSONAS}
    return clients, seeded_ids, compute


def _as(clients, persona):
    client = clients[persona]
    _, headers = seeded.headers_for(persona)

    def request(method, path, body=None, version=None):
        return client.request(method, path, body, version=version, headers=headers)
    return request


def _update(cell, server, **fields):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server,
                                                expected_attrs=['info_cache'])
        for key, value in fields.items():
            if key == 'network_info':
                instance.info_cache.network_info = value
                instance.info_cache.save()
            else:
                setattr(instance, key, value)
        instance.save()


def _diagnostics(cloud, version, persona='admin', server=None):
    clients, ids, _ = cloud
    return _as(clients, persona)('GET', '/servers/%s/diagnostics' % (server or ids['servers']),
                                 version=version)


# --- the body, per microversion ------------------------------------------------------

@pytest.mark.parametrize('version', ['2.1', '2.47'])
def test_before_248_the_body_is_the_drivers_own_dict(cloud, version):
    res = _diagnostics(cloud, version)
    assert res.status_int == 200, res.body
    body = res.json_body_or_none
    # m1.tiny: one vCPU, 512 MiB (the fake reports memory in KiB here, as libvirt does)
    assert body['memory'] == 512 * 1024
    assert [key for key in body if key.endswith('_time')] == ['cpu0_time']
    assert 'state' not in body and 'cpu_details' not in body


@pytest.mark.parametrize('version', ['2.48', 'latest'])
def test_from_248_the_body_is_the_standard_fields(cloud, version):
    res = _diagnostics(cloud, version)
    assert res.status_int == 200, res.body
    body = res.json_body_or_none
    assert set(body) == STANDARD_FIELDS
    assert body['state'] == 'running' and body['driver'] == 'libvirt'
    assert (body['num_cpus'], body['num_disks'], body['num_nics']) == (1, 1, 1)
    assert body['memory_details'] == {'maximum': 512, 'used': 0}
    assert set(body['cpu_details'][0]) == {'id', 'time', 'utilisation'}
    assert body['nic_details'][0]['mac_address'] == fake.FakeDriver.MAC
    assert body['config_drive'] is False


def test_standard_body_keeps_only_upstreams_fields(cloud, monkeypatch):
    """A driver's extra keys stay home; a figure it cannot read is null; the counts
    default to the lists' lengths."""
    _, _, compute = cloud
    monkeypatch.setattr(compute.driver, 'get_instance_diagnostics', lambda instance: {
        'state': 'running', 'driver': 'libvirt', 'secret_path': '/var/lib/x',
        'cpu_details': [{'id': 0, 'time': 10, 'vendor_counter': 3}, {'id': 1, 'time': 20}],
        'memory_details': {'maximum': 64, 'balloon': 1},
    })
    body = _diagnostics(cloud, '2.48').json_body_or_none
    assert set(body) == STANDARD_FIELDS
    assert body['cpu_details'] == [{'id': 0, 'time': 10, 'utilisation': None},
                                   {'id': 1, 'time': 20, 'utilisation': None}]
    assert body['num_cpus'] == 2 and body['num_nics'] == 0 and body['nic_details'] == []
    assert body['memory_details'] == {'maximum': 64, 'used': None}
    assert body['uptime'] is None and body['hypervisor'] is None


# --- refusals ------------------------------------------------------------------------

@pytest.mark.parametrize('version', ['2.1', '2.48'])
def test_a_guest_not_running_is_409(cloud, version):
    _, ids, compute = cloud
    compute.driver.instances[ids['servers']].state = fake.POWER_SHUTDOWN
    res = _diagnostics(cloud, version)
    assert res.status_int == 409, res.body
    message = res.json_body_or_none['conflictingRequest']['message']
    assert "Cannot 'get_diagnostics'" in message and 'power state shutdown' in message


def test_a_guest_the_hypervisor_lost_is_409(cloud):
    _, ids, compute = cloud
    del compute.driver.instances[ids['servers']]
    res = _diagnostics(cloud, '2.48')
    assert res.status_int == 409
    assert 'power state pending' in res.json_body_or_none['conflictingRequest']['message']


def test_a_server_without_a_host_is_409_without_asking_any(cloud, cell1):
    _, ids, compute = cloud
    _update(cell1, ids['servers'], host=None)
    res = _diagnostics(cloud, '2.48')
    assert res.status_int == 409
    assert 'is not ready' in res.json_body_or_none['conflictingRequest']['message']
    assert compute.calls == []


def test_a_host_that_is_down_is_409_without_asking_it(cloud, cell1):
    _, _, compute = cloud
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        service = objects.Service.get_by_compute_host(cctxt, 'host1')
        service.forced_down = True
        service.save()
    res = _diagnostics(cloud, '2.1')
    assert res.status_int == 409
    assert 'host1' in res.json_body_or_none['conflictingRequest']['message']
    assert compute.calls == []


@pytest.mark.parametrize('version,method', [('2.1', 'get_diagnostics'),
                                            ('2.48', 'get_instance_diagnostics')])
def test_a_driver_without_diagnostics_is_501(cloud, monkeypatch, version, method):
    _, _, compute = cloud

    def unsupported(instance):
        raise NotImplementedError()
    monkeypatch.setattr(compute.driver, method, unsupported)
    res = _diagnostics(cloud, version)
    assert res.status_int == 501, res.body
    assert res.json_body_or_none['notImplemented']['code'] == 501


def test_only_administrators_by_default(cloud):
    for persona in ('member', 'manager', 'reader'):
        res = _diagnostics(cloud, '2.48', persona=persona)
        assert res.status_int == 403, (persona, res.body)
    assert _diagnostics(cloud, '2.48', persona='other_member').status_int == 404
    _, _, compute = cloud
    assert compute.calls == []


def test_an_unknown_server_is_404(cloud):
    res = _diagnostics(cloud, '2.48', server='9a1b0c3d-0000-4000-8000-000000000000')
    assert res.status_int == 404
    assert 'itemNotFound' in res.json_body_or_none


# --- injectNetworkInfo -----------------------------------------------------------------

def _action(cloud, body, persona='admin', server=None):
    clients, ids, _ = cloud
    return _as(clients, persona)('POST', '/servers/%s/action' % (server or ids['servers']),
                                 body)


def test_inject_network_info_hands_the_cached_vifs_to_the_driver(cloud, cell1):
    _, ids, compute = cloud
    _update(cell1, ids['servers'], network_info=[VIF])
    res = _action(cloud, {'injectNetworkInfo': None})
    assert res.status_int == 202, res.body
    assert res.body == b''
    assert compute.calls == ['inject_network_info']
    (vif,) = compute.driver.instances[ids['servers']].network_info
    assert vif['address'] == VIF['address']


def test_inject_network_info_refusals(cloud, cell1):
    _, ids, compute = cloud
    assert _action(cloud, {'injectNetworkInfo': None}, persona='member').status_int == 403
    assert _action(cloud, {'injectNetworkInfo': None},
                   persona='other_member').status_int == 404
    assert _action(cloud, {'injectNetworkInfo': {'now': True}}).status_int == 400
    _update(cell1, ids['servers'], host=None)
    res = _action(cloud, {'injectNetworkInfo': None})
    assert res.status_int == 409
    assert compute.calls == []


# --- resetNetwork: removed upstream ---------------------------------------------------

@pytest.mark.parametrize('persona', ['admin', 'member', 'other_member'])
def test_reset_network_is_gone_for_everyone(cloud, persona):
    res = _action(cloud, {'resetNetwork': None}, persona=persona)
    assert res.status_int == 410, res.body
    assert res.json_body_or_none['computeFault']['code'] == 410


def test_reset_network_is_gone_whatever_the_server(cloud):
    res = _action(cloud, {'resetNetwork': None},
                  server='9a1b0c3d-0000-4000-8000-000000000000')
    assert res.status_int == 410
    # The body is still validated first, as every action's is.
    assert _action(cloud, {'resetNetwork': {'x': 1}}).status_int == 400
