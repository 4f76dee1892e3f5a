"""The network info model: Neutron's port, network, subnet and floating IP
documents as the VIF dicts the info cache, the server views and the virt
drivers read."""

from nova.network import model

PORT = {
    'id': '11111111-2222-3333-4444-555555555555', 'network_id': 'net',
    'mac_address': 'fa:16:3e:aa:bb:cc', 'status': 'ACTIVE',
    'fixed_ips': [{'subnet_id': 's4', 'ip_address': '10.0.0.5'},
                  {'subnet_id': 's6', 'ip_address': 'fd00::5'}],
    'binding:vif_type': 'ovs', 'binding:vnic_type': 'normal',
    'binding:vif_details': {'port_filter': True, 'bridge_name': 'br-int',
                            'datapath_type': 'netdev'},
}
NETWORK = {'id': 'net', 'name': 'private', 'project_id': 'p', 'mtu': 1442,
           'provider:network_type': 'geneve'}
SUBNETS = [
    {'id': 's4', 'cidr': '10.0.0.0/24', 'ip_version': 4, 'gateway_ip': '10.0.0.1',
     'dns_nameservers': ['8.8.8.8'], 'host_routes': [
         {'destination': '192.168.0.0/16', 'nexthop': '10.0.0.254'}], 'enable_dhcp': True},
    {'id': 's6', 'cidr': 'fd00::/64', 'ip_version': 6, 'gateway_ip': None},
]


def test_a_port_becomes_a_vif():
    fips = [{'fixed_ip_address': '10.0.0.5', 'floating_ip_address': '172.24.4.7'}]
    (vif,) = model.build_network_info([PORT], [NETWORK], SUBNETS, fips)
    assert vif['id'] == vif['ovs_interfaceid'] == PORT['id']
    assert vif['address'] == 'fa:16:3e:aa:bb:cc'
    assert vif['type'] == 'ovs' and vif['active'] is True
    assert vif['devname'] == 'tap11111111-22'
    assert vif['details']['datapath_type'] == 'netdev'
    net = vif['network']
    assert (net['label'], net['bridge'], net['meta']['mtu']) == ('private', 'br-int', 1442)
    assert net['meta']['tunneled'] is True
    v4, v6 = net['subnets']
    assert v4['ips'][0]['address'] == '10.0.0.5'
    assert v4['ips'][0]['floating_ips'][0] == {'address': '172.24.4.7', 'type': 'floating',
                                               'version': 4, 'meta': {}}
    assert v4['gateway']['address'] == '10.0.0.1'
    assert v4['dns'][0]['address'] == '8.8.8.8'
    assert v4['routes'][0]['cidr'] == '192.168.0.0/16'
    assert v6['ips'][0]['version'] == 6 and v6['gateway']['address'] is None
    assert model.fixed_ips([vif]) == ['10.0.0.5', 'fd00::5']


def test_unbound_port_and_preserved_ports():
    port = dict(PORT, status='DOWN')
    del port['binding:vif_type']
    (vif,) = model.build_network_info([port], [], [], [], preserved={PORT['id']})
    assert vif['type'] == 'unbound' and vif['active'] is False
    assert vif['network']['label'] == 'net'
    assert model.preserved_port_ids([vif]) == {PORT['id']}
