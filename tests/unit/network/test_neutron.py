"""The network API against an in-memory Neutron: validation at the API with
upstream's errors, ports created or taken over with the binding, network
info built from them, and nothing left behind by failures or deletes."""

import types

import pytest

from nova import exception
from nova.network import model
from nova.network import neutron
from nova.network import neutron_client
from tests.unit.network import fake_neutron

UUID = '6f3a2a3c-5d53-4c56-9a2b-0f6d1c1c1c1c'


@pytest.fixture
def fake(monkeypatch):
    n = fake_neutron.FakeNeutron()
    monkeypatch.setattr(neutron_client, 'get_client',
                        lambda context, admin=False: n.client(context, admin))
    n.private = n.add_network('private', cidr='10.0.0.0/26')
    n.default_sg = n.add_security_group('default')
    return n


def _ctx(project_id='p1', is_admin=False):
    return types.SimpleNamespace(project_id=project_id, user_id='u1', is_admin=is_admin,
                                 auth_token=None)


def _instance(**kw):
    values = dict(uuid=UUID, project_id='p1', availability_zone=None, hostname='vm1',
                  info_cache=None)
    values.update(kw)
    inst = types.SimpleNamespace(**values)
    inst.obj_attr_is_set = lambda name: getattr(inst, name, None) is not None
    return inst


# --- validation at the API ------------------------------------------------------------

def test_unknown_network_is_network_not_found(fake):
    with pytest.raises(exception.NetworkNotFound) as err:
        neutron.API().validate_networks(_ctx(), [{'uuid': UUID}], 1)
    assert err.value.format_message() == 'Network %s could not be found.' % UUID


def test_network_without_subnet_cannot_be_booted_on(fake):
    bare = fake.add_network('bare')
    with pytest.raises(exception.NetworkRequiresSubnet):
        neutron.API().validate_networks(_ctx(), [{'uuid': bare['id']}], 1)


def test_ports_are_checked(fake):
    api = neutron.API()
    with pytest.raises(exception.PortNotFound):
        api.validate_networks(_ctx(), [{'port': UUID}], 1)
    port = fake.client().create_port({'network_id': fake.private['id']})
    assert api.validate_networks(_ctx(), [{'port': port['id']}], 1) == 1
    with pytest.raises(exception.MultiplePortsNotApplicable):
        api.validate_networks(_ctx(), [{'port': port['id']}], 2)
    fake.ports[port['id']]['device_id'] = 'someone'
    with pytest.raises(exception.PortInUse) as err:
        api.validate_networks(_ctx(), [{'port': port['id']}], 1)
    assert err.value.code == 409


def test_fixed_ip_in_use_and_with_several_servers(fake):
    port = fake.client().create_port({'network_id': fake.private['id'], 'device_id': 'x'})
    address = port['fixed_ips'][0]['ip_address']
    api = neutron.API()
    with pytest.raises(exception.FixedIpAlreadyInUse):
        api.validate_networks(_ctx(), [{'uuid': fake.private['id'], 'fixed_ip': address}], 1)
    with pytest.raises(exception.InvalidFixedIpAndMaxCountRequest):
        api.validate_networks(_ctx(), [{'uuid': fake.private['id'],
                                        'fixed_ip': '10.0.0.40'}], 2)


def test_auto_and_nothing_requested(fake):
    api = neutron.API()
    assert api.validate_networks(_ctx(), 'auto', 3) == 3
    assert api.validate_networks(_ctx(), None, 1) == 1
    fake.add_network('second', cidr='10.1.0.0/24')
    with pytest.raises(exception.NetworkAmbiguous) as err:
        api.validate_networks(_ctx(), 'auto', 1)
    assert err.value.code == 409
    # Another project sees neither network: 'auto' needs get-me-a-network.
    fake.extensions = []
    with pytest.raises(exception.UnableToAutoAllocateNetwork):
        api.validate_networks(_ctx('p2'), 'auto', 1)
    assert api.validate_networks(_ctx('p2'), None, 1) == 1
    assert api.validate_networks(_ctx('p2'), 'none', 1) == 1


def test_port_quota_limits_the_count(fake):
    fake.quota = {'port': 3}
    fake.client().create_port({'network_id': fake.private['id']})
    api = neutron.API()
    assert api.validate_networks(_ctx(), [{'uuid': fake.private['id']}], 5) == 2
    with pytest.raises(exception.PortLimitExceeded):
        api.validate_networks(_ctx(), [{'uuid': fake.private['id']}], 5, min_count=3)


def test_security_group_names_resolve(fake):
    api = neutron.API()
    web = fake.add_security_group('web')
    assert api.resolve_security_groups(_ctx(), ['default', web['id']]) == [
        fake.default_sg['id'], web['id']]
    with pytest.raises(exception.SecurityGroupNotFound):
        api.resolve_security_groups(_ctx(), ['nope'])
    fake.add_security_group('default', project_id='p2')
    assert api.resolve_security_groups(_ctx(), ['default']) == [fake.default_sg['id']]


# --- allocation on the compute host ------------------------------------------------------

def test_allocate_creates_a_bound_port_and_returns_its_vif(fake):
    nw_info = neutron.API().allocate_for_instance(
        _ctx(), _instance(), [{'uuid': fake.private['id']}], 'compute1')
    (port,) = fake.ports.values()
    assert port['device_id'] == UUID
    assert port['device_owner'] == 'compute:nova'
    assert port['binding:host_id'] == 'compute1'
    assert port['dns_name'] == 'vm1'
    assert port['security_groups'] == [fake.default_sg['id']]
    (vif,) = nw_info
    assert vif['id'] == port['id'] and vif['type'] == 'ovs'
    assert vif['devname'] == 'tap' + port['id'][:11]
    assert vif['network']['label'] == 'private'
    assert vif['network']['bridge'] == 'br-int'
    assert vif['network']['meta']['mtu'] == 1442
    assert model.fixed_ips(nw_info) == ['10.0.0.2']
    assert vif['preserve_on_delete'] is False
    # One create carries the binding: no second round trip per port.
    assert [c[0] for c in fake.calls].count('update_port') == 0


def test_allocate_asks_neutron_only_what_it_does_not_know(fake):
    """A boot on a network: the network listed once, no floating IP lookup for a
    port made a moment ago; a user's port may have one, so it is looked up."""
    api = neutron.API()
    api.allocate_for_instance(_ctx(), _instance(), [{'uuid': fake.private['id']}],
                              'compute1')
    names = [c[0] for c in fake.calls]
    assert names.count('list_networks') == 1
    assert 'list_floatingips' not in names
    assert names.count('create_port') == 1 and names.count('list_subnets') == 1

    public = fake.add_network('public', external=True, cidr='172.24.4.0/24')
    port = fake.client().create_port({'network_id': fake.private['id']})
    fip = fake.client().create_floatingip({'floating_network_id': public['id']})
    fake.client().update_floatingip(fip['id'], {
        'port_id': port['id'], 'fixed_ip_address': port['fixed_ips'][0]['ip_address']})
    fake.calls.clear()
    (vif,) = api.allocate_for_instance(_ctx(), _instance(uuid='other'),
                                       [{'port': port['id']}], 'compute1')
    names = [c[0] for c in fake.calls]
    assert names.count('list_floatingips') == 1 and names.count('list_networks') == 1
    (ip,) = vif['network']['subnets'][0]['ips']
    assert [f['address'] for f in ip['floating_ips']] == [fip['floating_ip_address']]


def test_allocate_auto_uses_the_only_network_and_none_creates_nothing(fake):
    api = neutron.API()
    assert api.allocate_for_instance(_ctx(), _instance(), 'none', 'compute1') == []
    assert api.allocate_for_instance(_ctx(), _instance(), 'auto', 'compute1')[0][
        'network']['id'] == fake.private['id']


def test_user_port_is_taken_over_and_handed_back(fake):
    port = fake.client().create_port({'network_id': fake.private['id']})
    api = neutron.API()
    nw_info = api.allocate_for_instance(_ctx(), _instance(), [{'port': port['id']}],
                                        'compute1')
    assert nw_info[0]['preserve_on_delete'] is True
    assert fake.ports[port['id']]['binding:host_id'] == 'compute1'
    api.deallocate_for_instance(_ctx(), _instance(), nw_info)
    assert fake.ports[port['id']]['device_id'] == ''
    assert fake.ports[port['id']]['binding:host_id'] == ''


def test_failed_allocation_leaves_nothing(fake):
    port = fake.client().create_port({'network_id': fake.private['id']})
    fake.fail['list_floatingips'] = fake_neutron._error('GET', '/floatingips', 500,
                                                        'HTTPInternalServerError', 'boom')
    with pytest.raises(neutron_client.NeutronError):
        neutron.API().allocate_for_instance(
            _ctx(), _instance(), [{'port': port['id']}, {'uuid': fake.private['id']}],
            'compute1')
    assert list(fake.ports) == [port['id']]
    assert fake.ports[port['id']]['device_id'] == ''


def test_binding_failure_is_port_binding_failed_and_cleaned_up(fake):
    with pytest.raises(exception.PortBindingFailed):
        neutron.API().allocate_for_instance(_ctx(), _instance(),
                                            [{'uuid': fake.private['id']}], 'elsewhere')
    assert fake.ports == {}


def test_external_network_needs_admin(fake):
    public = fake.add_network('public', project_id='admin', shared=True, cidr='172.24.4.0/24')
    fake.networks[public['id']]['shared'] = False
    fake.networks[public['id']]['router:external'] = True
    with pytest.raises(exception.NetworkNotFound):
        # Not visible to the project at all.
        neutron.API().allocate_for_instance(_ctx(), _instance(), [{'uuid': UUID}],
                                            'compute1')
    fake.networks[public['id']]['project_id'] = 'p1'
    with pytest.raises(exception.ExternalNetworkAttachForbidden):
        neutron.API().allocate_for_instance(_ctx(), _instance(),
                                            [{'uuid': public['id']}], 'compute1')
    assert fake.ports == {}


def test_deallocate_deletes_created_ports_even_without_a_cache(fake):
    api = neutron.API()
    api.allocate_for_instance(_ctx(), _instance(), [{'uuid': fake.private['id']}] * 2,
                              'compute1')
    assert len(fake.ports) == 2
    api.deallocate_for_instance(_ctx(), _instance(), None)
    assert fake.ports == {}


def test_instance_nw_info_keeps_the_cached_order_and_floating_ips(fake):
    api = neutron.API()
    first = api.allocate_for_instance(_ctx(), _instance(), [{'uuid': fake.private['id']}] * 2,
                                      'compute1')
    port_id = first[1]['id']
    fake.floatingips['f'] = {'id': 'f', 'port_id': port_id, 'fixed_ip_address':
                             model.fixed_ips(first)[1], 'floating_ip_address': '172.24.4.9'}
    cache = types.SimpleNamespace(network_info=list(reversed(first)))
    nw_info = api.get_instance_nw_info(_ctx(), _instance(info_cache=cache))
    assert [v['id'] for v in nw_info] == [port_id, first[0]['id']]
    floating = nw_info[0]['network']['subnets'][0]['ips'][0]['floating_ips']
    assert floating[0]['address'] == '172.24.4.9'
    assert floating[0]['type'] == 'floating'


# --- moves: the ports follow the guest ------------------------------------------------

@pytest.fixture
def moving(fake):
    """A server with two ports bound to compute1; compute2 can bind them too."""
    fake.host_bindable |= {'compute2'}
    neutron.API().allocate_for_instance(_ctx(), _instance(),
                                        [{'uuid': fake.private['id']}] * 2, 'compute1')
    return fake


def _hosts(fake):
    return sorted(p['binding:host_id'] for p in fake.ports.values())


def _bindings(fake):
    """{port id: sorted (host, status)} as Neutron lists them."""
    client = fake.client(admin=True)
    return {pid: sorted((b['host'], b['status']) for b in client.list_port_bindings(pid))
            for pid in fake.ports}


def test_finish_of_a_cold_move_binds_the_ports_to_the_new_host(moving):
    api = neutron.API()
    api.migrate_instance_finish(_ctx(), _instance(), 'compute2')
    assert _hosts(moving) == ['compute2', 'compute2']
    assert {p['binding:vif_type'] for p in moving.ports.values()} == {'ovs'}
    # Already there (a retried step): Neutron is asked nothing more than the list.
    moving.calls.clear()
    api.migrate_instance_finish(_ctx(), _instance(), 'compute2')
    assert [c[0] for c in moving.calls] == ['list_ports']


def test_a_host_neutron_cannot_bind_fails_the_finish(moving):
    with pytest.raises(exception.PortBindingFailed):
        neutron.API().migrate_instance_finish(_ctx(), _instance(), 'nowhere')


def test_the_finish_follows_a_new_availability_zone(moving):
    neutron.API().migrate_instance_finish(_ctx(), _instance(availability_zone='az2'),
                                          'compute2')
    assert {p['device_owner'] for p in moving.ports.values()} == {'compute:az2'}


def test_the_finish_drops_a_binding_an_old_live_migration_left_there(moving):
    moving.extensions.append('binding-extended')
    port_id = sorted(moving.ports)[0]
    moving.client(admin=True).create_port_binding(port_id, {'host': 'compute2'})
    neutron.API().migrate_instance_finish(_ctx(), _instance(), 'compute2')
    assert _bindings(moving)[port_id] == [('compute2', 'ACTIVE')]


def test_shelve_offload_unbinds_the_ports_but_they_stay_the_servers(moving):
    neutron.API().unbind_ports(_ctx(), _instance())
    assert _hosts(moving) == ['', '']
    assert {p['device_id'] for p in moving.ports.values()} == {UUID}
    # Unshelve elsewhere binds them there.
    neutron.API().migrate_instance_finish(_ctx(), _instance(), 'compute2')
    assert _hosts(moving) == ['compute2', 'compute2']


def test_without_binding_extended_no_binding_is_made_before_a_live_migration(moving):
    api = neutron.API()
    assert api.bind_ports_to_host(_ctx(), _instance(), 'compute2') == []
    assert not any(c[0] == 'create_port_binding' for c in moving.calls)
    # The host is updated once the guest runs there; a rollback has nothing to drop.
    api.delete_port_bindings(_ctx(), _instance(), 'compute2')
    assert _hosts(moving) == ['compute1', 'compute1']
    api.activate_port_bindings(_ctx(), _instance(), 'compute2', 'compute1')
    assert _hosts(moving) == ['compute2', 'compute2']


def test_live_migration_binds_inactive_then_activates_and_drops_the_source(moving):
    moving.extensions.append('binding-extended')
    api = neutron.API()
    bound = api.bind_ports_to_host(_ctx(), _instance(), 'compute2')
    assert sorted(bound) == sorted(moving.ports)
    assert set(map(tuple, _bindings(moving).values())) == {
        (('compute1', 'ACTIVE'), ('compute2', 'INACTIVE'))}
    assert _hosts(moving) == ['compute1', 'compute1']  # the guest has not moved yet
    api.activate_port_bindings(_ctx(), _instance(), 'compute2', 'compute1')
    assert set(map(tuple, _bindings(moving).values())) == {(('compute2', 'ACTIVE'),)}
    assert _hosts(moving) == ['compute2', 'compute2']
    # Done again (post_live_migration_at_destination retried): nothing changes.
    api.activate_port_bindings(_ctx(), _instance(), 'compute2', 'compute1')
    assert set(map(tuple, _bindings(moving).values())) == {(('compute2', 'ACTIVE'),)}


def test_a_rolled_back_live_migration_leaves_only_the_source_binding(moving):
    moving.extensions.append('binding-extended')
    api = neutron.API()
    api.bind_ports_to_host(_ctx(), _instance(), 'compute2')
    api.delete_port_bindings(_ctx(), _instance(), 'compute2')
    assert set(map(tuple, _bindings(moving).values())) == {(('compute1', 'ACTIVE'),)}
    # The active binding is never dropped, even when asked for its host.
    api.delete_port_bindings(_ctx(), _instance(), 'compute1')
    assert _hosts(moving) == ['compute1', 'compute1']


def test_a_destination_that_cannot_bind_one_port_keeps_no_binding(moving, monkeypatch):
    moving.extensions.append('binding-extended')
    first, second = sorted(moving.ports)
    moving.client(admin=True).create_port_binding(second, {'host': 'compute2'})
    create = fake_neutron._Client.create_port_binding

    def refuse_second(client, port_id, binding):
        if port_id == second:
            raise fake_neutron._error('POST', '/bindings', 500, 'PortBindingError', 'no')
        return create(client, port_id, binding)
    monkeypatch.setattr(fake_neutron._Client, 'create_port_binding', refuse_second)
    # The second port's leftover binding is dropped before Neutron refuses it a new one.
    with pytest.raises(exception.PortBindingFailed):
        neutron.API().bind_ports_to_host(_ctx(), _instance(), 'compute2')
    assert set(map(tuple, _bindings(moving).values())) == {(('compute1', 'ACTIVE'),)}


def test_a_live_migration_to_a_host_neutron_cannot_bind_is_refused(moving):
    moving.extensions.append('binding-extended')
    with pytest.raises(exception.PortBindingFailed):
        neutron.API().bind_ports_to_host(_ctx(), _instance(), 'nowhere')
    assert set(map(tuple, _bindings(moving).values())) == {(('compute1', 'ACTIVE'),)}
