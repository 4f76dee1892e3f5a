"""``GET /servers/{id}/os-interface[/{port_id}]``: the server's Neutron ports in
upstream's shape (``tag`` from 2.70), 404 for another server's port or an
unknown one, and no interfaces without a network service. Neutron is the
in-memory one of the network tests (no daemon runs in the unit tier)."""

import pytest

from nova.network import neutron_client
from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.network import fake_neutron


@pytest.fixture
def neutron(monkeypatch):
    n = fake_neutron.FakeNeutron(host_bindable=('host1',))
    monkeypatch.setattr(neutron_client, 'is_configured', lambda: True)
    monkeypatch.setattr(neutron_client, 'get_client',
                        lambda context, admin=False: n.client(context, admin))
    n.private = n.add_network('private', project_id='demoproject', cidr='10.0.0.0/26')
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
