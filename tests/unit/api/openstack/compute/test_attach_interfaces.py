"""``/servers/{id}/os-interface``: the server's Neutron ports in upstream's shape
(``tag`` from 2.70), 404 for another server's port or an unknown one, no
interfaces without a network service; attach (POST) and detach (DELETE) with
upstream's codes, the port bound to the server's host, plugged into the
guest and in the info cache, Nova's port deleted on detach and the user's
unbound and kept. Neutron is the in-memory one of the network tests (no
daemon runs in the unit tier); the unit tier has no nova-compute either, so
the two compute RPC methods run the real InterfaceOperations of the compute
manager with the fake driver, in this process."""

import oslo_messaging as messaging
import pytest

from nova.compute import interfaces
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import vm_states
from nova import context as nova_context
from nova import objects
from nova.virt import fake
from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.network import fake_neutron


@pytest.fixture
def neutron(monkeypatch):
    n = fake_neutron.install(monkeypatch, host_bindable=('host1',))
    n.private = n.add_network('private', project_id='demoproject', cidr='10.0.0.0/26')
    n.add_security_group('default', project_id='demoproject')
    return n


def _port(neutron, device_id):
    return neutron.client(admin=True).create_port({
        'network_id': neutron.private['id'], 'device_id': device_id,
        'device_owner': 'compute:nova', 'binding:host_id': 'host1'})


def test_list_and_show_in_upstreams_shape(user, active_server, neutron):
    port = _port(neutron, active_server.uuid)
    _port(neutron, 'another-server')
    url = '/servers/%s/os-interface' % active_server.uuid
    listed = user.get(url).json_body_or_none['interfaceAttachments']
    assert [sorted(i) for i in listed] == [sorted(
        sample('os-attach-interfaces/attach-interfaces-list-resp.json')
        ['interfaceAttachments'][0])]
    assert listed[0]['port_id'] == port['id']
    assert listed[0]['net_id'] == neutron.private['id']
    assert listed[0]['mac_addr'] == port['mac_address']
    assert listed[0]['fixed_ips'] == [{'subnet_id': port['fixed_ips'][0]['subnet_id'],
                                       'ip_address': port['fixed_ips'][0]['ip_address']}]
    shown = user.get('%s/%s' % (url, port['id'])).json_body_or_none
    assert shown == {'interfaceAttachment': listed[0]}
    shown = user.get('%s/%s' % (url, port['id']), version='2.70').json_body_or_none
    assert sorted(shown['interfaceAttachment']) == sorted(
        sample('os-attach-interfaces/v2.70/attach-interfaces-show-resp.json')
        ['interfaceAttachment'])


def test_ports_of_others_and_unknown_ports_are_not_found(user, active_server, neutron):
    other = _port(neutron, 'another-server')
    url = '/servers/%s/os-interface' % active_server.uuid
    msg = _error(user.get('%s/%s' % (url, other['id'])), 404)
    assert msg == 'Instance %s does not have a port with id %s' % (active_server.uuid,
                                                                   other['id'])
    assert _error(user.get('%s/nope' % url), 404) == 'Port id nope could not be found.'
    _error(user.get('/servers/nope/os-interface'), 404)


def test_without_a_network_service(user, active_server):
    url = '/servers/%s/os-interface' % active_server.uuid
    assert user.get(url).json_body_or_none == {'interfaceAttachments': []}
    _error(user.get('%s/some-port' % url), 404)


# --- attach and detach -------------------------------------------------------------------

class _Compute(interfaces.InterfaceOperations):
    """The interface half of nova-compute on host1, called instead of over RPC."""

    def __init__(self):
        self.host = 'host1'
        self.driver = fake.FakeDriver(None)
        self._init_instance_locks()
        self.fail_plug = None

    def _unwrap(self, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except messaging.ExpectedException as wrapped:
            raise wrapped.exc_info[1]

    def rpc_attach(self, ctxt, instance, network_id, port_id, requested_ip,
                   tag=None):
        return self._unwrap(self.attach_interface, ctxt, instance, network_id, port_id,
                            requested_ip, tag=tag)

    def rpc_detach(self, ctxt, instance, port_id):
        self._unwrap(self.detach_interface, ctxt, instance, port_id)

    def nics(self, instance):
        return [vif['id'] for vif in self.driver.instances[instance.uuid].vifs]


@pytest.fixture
def compute(monkeypatch):
    stand_in = _Compute()
    monkeypatch.setattr(compute_rpcapi.ComputeAPI, 'attach_interface', stand_in.rpc_attach)
    monkeypatch.setattr(compute_rpcapi.ComputeAPI, 'detach_interface', stand_in.rpc_detach)
    return stand_in


@pytest.fixture
def server(active_server, compute, neutron):
    compute.driver.spawn(None, active_server, None, [], None, {}, network_info=[])
    return active_server


def _cache(instance):
    ctxt = nova_context.get_admin_context()
    cached = objects.Instance.get_by_uuid(instance._context or ctxt, instance.uuid,
                                          expected_attrs=['info_cache'])
    return [vif['id'] for vif in cached.info_cache.network_info or []]


def _attach(client, server, body, version=None):
    return client.post('/servers/%s/os-interface' % server.uuid, body, version=version)


def test_attach_to_a_network_and_detach_deletes_novas_port(user, server, compute, neutron):
    res = _attach(user, server, {'interfaceAttachment': {'net_id': neutron.private['id']}})
    assert res.status_int == 200, res.body
    shown = res.json_body_or_none['interfaceAttachment']
    assert sorted(shown) == sorted(sample(
        'os-attach-interfaces/attach-interfaces-create-resp.json')['interfaceAttachment'])
    port = neutron.ports[shown['port_id']]
    assert (port['device_id'], port['binding:host_id']) == (server.uuid, 'host1')
    assert port['device_owner'].startswith('compute:')
    assert shown['net_id'] == neutron.private['id']
    assert shown['fixed_ips'][0]['ip_address'] == port['fixed_ips'][0]['ip_address']
    assert compute.nics(server) == [port['id']] == _cache(server)
    listed = user.get('/servers/%s/os-interface' % server.uuid).json_body_or_none
    assert [i['port_id'] for i in listed['interfaceAttachments']] == [port['id']]

    res = user.delete('/servers/%s/os-interface/%s' % (server.uuid, port['id']))
    assert res.status_int == 202, res.body
    assert port['id'] not in neutron.ports
    assert compute.nics(server) == [] == _cache(server)
    listed = user.get('/servers/%s/os-interface' % server.uuid).json_body_or_none
    assert listed == {'interfaceAttachments': []}


def test_a_users_port_is_bound_then_unbound_and_kept(user, server, compute, neutron):
    mine = neutron.client().create_port({'network_id': neutron.private['id']})
    res = _attach(user, server, {'interfaceAttachment': {'port_id': mine['id']}},
                  version='2.70')
    assert res.status_int == 200, res.body
    shown = res.json_body_or_none['interfaceAttachment']
    assert sorted(shown) == sorted(sample(
        'os-attach-interfaces/v2.70/attach-interfaces-create-resp.json')
        ['interfaceAttachment'])
    assert shown['tag'] is None
    assert neutron.ports[mine['id']]['binding:host_id'] == 'host1'
    assert _cache(server) == [mine['id']]
    res = user.delete('/servers/%s/os-interface/%s' % (server.uuid, mine['id']))
    assert res.status_int == 202, res.body
    kept = neutron.ports[mine['id']]
    assert (kept['device_id'], kept['binding:host_id']) == ('', '')
    assert compute.nics(server) == [] == _cache(server)


def test_no_network_named_takes_the_only_one_or_says_why_not(user, server, compute, neutron):
    res = _attach(user, server, {})
    assert res.status_int == 200, res.body
    assert res.json_body_or_none['interfaceAttachment']['net_id'] == neutron.private['id']
    neutron.add_network('second', project_id='demoproject', cidr='10.0.1.0/26')
    msg = _error(_attach(user, server, {'interfaceAttachment': {}}), 400)
    assert msg == 'Multiple possible networks found, use a Network ID to be more specific.'
    for net in list(neutron.networks.values()):
        net['project_id'] = 'someone-else'
    msg = _error(_attach(user, server, {}), 400)
    assert msg == ("No specific network was requested and none are available for project "
                   "'demoproject'.")


def test_attach_refusals_in_upstreams_codes(user, server, compute, neutron):
    net_id = neutron.private['id']
    _error(_attach(user, server, {'interfaceAttachment': {'net_id': 'not-a-uuid'}}), 400)
    _error(_attach(user, server, {'interfaceAttachment': {'bogus': 1}}), 400)
    port_id = '2c6c7a1e-3f4b-4f39-8c0e-5a5d8d1f0b21'
    msg = _error(_attach(user, server, {'interfaceAttachment': {
        'net_id': net_id, 'port_id': port_id}}), 400)
    assert msg == 'Must not input both network_id and port_id'
    msg = _error(_attach(user, server, {'interfaceAttachment': {
        'fixed_ips': [{'ip_address': '10.0.0.9'}]}}), 400)
    assert msg == 'Must input network_id when request IP address'
    msg = _error(_attach(user, server, {'interfaceAttachment': {'port_id': port_id}}), 404)
    assert msg == 'Port id %s could not be found.' % port_id
    _error(_attach(user, server, {'interfaceAttachment': {'net_id': port_id}}), 404)
    taken = neutron.client().create_port({'network_id': net_id, 'device_id': 'other'})
    msg = _error(_attach(user, server, {'interfaceAttachment': {'port_id': taken['id']}}),
                 409)
    assert msg == 'Port %s is still in use.' % taken['id']
    address = taken['fixed_ips'][0]['ip_address']
    _error(_attach(user, server, {'interfaceAttachment': {
        'net_id': net_id, 'fixed_ips': [{'ip_address': address}]}}), 409)
    # the 2.49 tag: valid, but no driver here records device tags
    tagged = {'interfaceAttachment': {'net_id': net_id, 'tag': 'nic1'}}
    _error(_attach(user, server, tagged, version='2.48'), 400)
    msg = _error(_attach(user, server, tagged, version='2.49'), 400)
    assert msg == 'Tagged network interface attach is not supported by this compute service.'
    assert [p['id'] for p in neutron.ports.values() if p['device_id'] == server.uuid] == []


def test_a_failed_plug_hands_the_port_back(user, server, compute, neutron, monkeypatch):
    def broken(context, instance, image_meta, vif):
        raise RuntimeError('no more PCI slots')
    monkeypatch.setattr(compute.driver, 'attach_interface', broken)
    mine = neutron.client().create_port({'network_id': neutron.private['id']})
    msg = _error(_attach(user, server, {'interfaceAttachment': {'port_id': mine['id']}}),
                 500)
    assert msg == 'Failed to attach network adapter device to %s' % server.uuid
    _error(_attach(user, server, {'interfaceAttachment': {
        'net_id': neutron.private['id']}}), 500)
    assert list(neutron.ports) == [mine['id']]
    assert (neutron.ports[mine['id']]['device_id'],
            neutron.ports[mine['id']]['binding:host_id']) == ('', '')


def test_state_lock_and_unknown_port(user, server, compute, neutron):
    url = '/servers/%s/os-interface' % server.uuid
    other = neutron.client().create_port({'network_id': neutron.private['id'],
                                          'device_id': 'another-server'})
    msg = _error(user.delete('%s/%s' % (url, other['id'])), 404)
    assert msg == 'Port id %s could not be found.' % other['id']
    _error(user.delete('%s/%s' % (url, 'nope')), 404)
    server.locked = True
    server.save()
    _error(_attach(user, server, {}), 409)
    server.locked = False
    server.vm_state = vm_states.SUSPENDED
    server.save()
    msg = _error(_attach(user, server, {}), 409)
    assert msg == ("Cannot 'attach_interface' instance %s while it is in vm_state "
                   "suspended" % server.uuid)
    assert not [p for p in neutron.ports.values() if p['device_id'] == server.uuid]


def test_a_guest_that_keeps_the_nic_keeps_the_port(user, server, compute, neutron,
                                                   monkeypatch):
    res = _attach(user, server, {'interfaceAttachment': {'net_id': neutron.private['id']}})
    port_id = res.json_body_or_none['interfaceAttachment']['port_id']

    def stuck(context, instance, vif):
        from nova import exception
        raise exception.DeviceDetachFailed(device=vif['address'], reason='guest ignored it')
    monkeypatch.setattr(compute.driver, 'detach_interface', stuck)
    res = user.delete('/servers/%s/os-interface/%s' % (server.uuid, port_id))
    assert res.status_int == 202
    assert neutron.ports[port_id]['device_id'] == server.uuid
    assert _cache(server) == [port_id]
    ctxt = nova_context.get_admin_context()
    faults = objects.InstanceFaultList.get_by_instance_uuids(server._context or ctxt,
                                                             [server.uuid])
    assert faults[0].message == 'Failed to detach network adapter device from %s' \
        % server.uuid


def test_attach_and_detach_without_a_network_service(user, active_server):
    url = '/servers/%s/os-interface' % active_server.uuid
    _error(user.post(url, {'interfaceAttachment': {}}), 501)
    _error(user.delete('%s/some-port' % url), 501)
