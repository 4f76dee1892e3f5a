"""nova.api.metadata.netdata: network_data.json from an instance's network info."""

from nova.api.metadata import netdata


def _vif(subnets, vif_id='0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9', **extra):
    vif = {'id': vif_id, 'address': 'fa:16:3e:00:00:01', 'type': 'ovs',
           'network': {'id': 'net-1', 'subnets': subnets, 'meta': {'mtu': 1450}}}
    vif.update(extra)
    return vif


V4 = {'cidr': '192.168.1.0/24', 'gateway': {'address': '192.168.1.1'},
      'dns': [{'address': '8.8.8.8'}, '1.1.1.1'],
      'routes': [{'cidr': '10.0.0.0/8', 'gateway': {'address': '192.168.1.254'}}],
      'ips': [{'address': '192.168.1.10',
               'floating_ips': [{'address': '172.24.4.5'}]}]}


def test_a_static_ipv4_subnet():
    doc = netdata.network_data([_vif([V4])])
    assert doc['links'] == [{'id': 'tap0a1b2c3d-4e', 'vif_id': _vif([])['id'],
                             'type': 'ovs', 'mtu': 1450,
                             'ethernet_mac_address': 'fa:16:3e:00:00:01'}]
    (network,) = doc['networks']
    assert network == {
        'id': 'network0', 'type': 'ipv4', 'link': 'tap0a1b2c3d-4e', 'network_id': 'net-1',
        'ip_address': '192.168.1.10', 'netmask': '255.255.255.0',
        'routes': [{'network': '0.0.0.0', 'netmask': '0.0.0.0', 'gateway': '192.168.1.1'},
                   {'network': '10.0.0.0', 'netmask': '255.0.0.0',
                    'gateway': '192.168.1.254'}],
        'services': [{'type': 'dns', 'address': '8.8.8.8'},
                     {'type': 'dns', 'address': '1.1.1.1'}]}
    assert doc['services'] == network['services']


def test_link_name_and_mtu_sources():
    vif = _vif([], devname='tapcustom', meta={'mtu': 9000})
    vif['network']['meta'] = {}
    (link,) = netdata.network_data([vif])['links']
    assert link['id'] == 'tapcustom' and link['mtu'] == 9000
    bare = {'id': 'abc', 'address': 'fa:16:3e:00:00:02', 'network': None}
    (link,) = netdata.network_data([bare])['links']
    assert link == {'id': 'tapabc', 'vif_id': 'abc', 'type': 'vif', 'mtu': None,
                    'ethernet_mac_address': 'fa:16:3e:00:00:02'}


def test_dhcp_subnets_have_one_entry_without_addresses():
    dhcp = dict(V4, meta={'dhcp_server': '192.168.1.2'})
    (network,) = netdata.network_data([_vif([dhcp])])['networks']
    assert network == {'id': 'network0', 'type': 'ipv4_dhcp', 'link': 'tap0a1b2c3d-4e',
                       'network_id': 'net-1'}


def test_ipv6_types_and_default_route():
    v6 = {'cidr': 'fd00::/64', 'gateway': 'fd00::1', 'ips': [{'address': 'fd00::10'}],
          'meta': {'ipv6_address_mode': 'slaac'}}
    (network,) = netdata.network_data([_vif([v6])])['networks']
    assert network['type'] == 'ipv6_slaac'
    assert network['netmask'] == 'ffff:ffff:ffff:ffff::'
    assert network['routes'] == [{'network': '::', 'netmask': '::', 'gateway': 'fd00::1'}]
    v6['meta'] = {'ipv6_address_mode': 'something-else'}
    assert netdata.network_data([_vif([v6])])['networks'][0]['type'] == 'ipv6'


def test_entries_are_numbered_across_vifs_and_services_listed_once():
    two_ips = dict(V4, ips=[{'address': '192.168.1.10'}, {'address': '192.168.1.11'}])
    doc = netdata.network_data([_vif([two_ips]), _vif([V4], vif_id='ffffffff-0000')])
    assert [n['id'] for n in doc['networks']] == ['network0', 'network1', 'network2']
    assert [n['link'] for n in doc['networks']] == ['tap0a1b2c3d-4e'] * 2 + ['tapffffffff-00']
    assert len(doc['services']) == 2


def test_subnets_without_cidr_or_addresses_give_no_network():
    assert netdata.network_data([_vif([{'ips': [{'address': '10.0.0.5'}]}])])['networks'] \
        == []
    assert netdata.network_data([_vif([dict(V4, ips=[])])])['networks'] == []
    assert netdata.network_data(None) == {'links': [], 'networks': [], 'services': []}


def test_fixed_and_floating_addresses():
    v6 = {'cidr': 'fd00::/64', 'ips': [{'address': 'fd00::10'}]}
    info = [_vif([V4, v6]), _vif([{'cidr': '10.0.0.0/24', 'ips': ['10.0.0.7', {}]}])]
    assert netdata.fixed_ips(info) == ['192.168.1.10', 'fd00::10', '10.0.0.7']
    assert netdata.fixed_ips(info, version=4) == ['192.168.1.10', '10.0.0.7']
    assert netdata.fixed_ips(info, version=6) == ['fd00::10']
    assert netdata.floating_ips(info) == ['172.24.4.5']
    assert netdata.fixed_ips(None) == [] and netdata.floating_ips([]) == []
