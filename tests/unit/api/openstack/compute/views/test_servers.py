"""nova.api.openstack.compute.views.servers: the decisions behind a server body
(status from states, the status filter, hostId, what a build request shows,
addresses, faults, volumes, trusted certificates)."""

import datetime
import hashlib
import types

from nova.api.openstack.compute.views import servers as views
from nova import objects

objects.register_all()
U1 = '0c1f9a3e-6d8e-4f57-9c3a-1f2e3d4c5b6a'
U2 = '7d2e8b4f-1a9c-4e6d-8b7a-2c3d4e5f6a7b'


def test_status_from_states():
    assert views.status_from_state('active') == 'ACTIVE'
    assert views.status_from_state('active', None) == 'ACTIVE'
    assert views.status_from_state('active', 'rebooting_hard') == 'HARD_REBOOT'
    assert views.status_from_state('stopped', 'resize_prep') == 'RESIZE'
    assert views.status_from_state('stopped', 'spawning') == 'SHUTOFF'
    assert views.status_from_state('building', 'scheduling') == 'BUILD'
    assert views.status_from_state('resized', 'resize_reverting') == 'REVERT_RESIZE'
    assert views.status_from_state('soft-delete') == 'SOFT_DELETED'
    assert views.status_from_state('no-such-state') == 'UNKNOWN'


def test_status_filters_select_states():
    assert views.states_for_status('active') == {'active': {None}}
    reboot = views.states_for_status('REBOOT')
    assert reboot == {'active': {'rebooting', 'reboot_pending', 'reboot_started'}}
    assert set(views.states_for_status('REBUILD')) == {'active', 'stopped', 'error'}
    assert views.states_for_status('nonsense') == {}


def test_host_id_is_per_project_and_empty_without_a_host():
    expected = hashlib.sha224(b'p1host1').hexdigest()
    assert views.host_id('p1', 'host1') == expected
    assert views.host_id('p2', 'host1') != expected
    assert views.host_id(None, 'host1') == hashlib.sha224(b'host1').hexdigest()
    assert views.host_id('p1', None) == '' and views.host_id('p1', '') == ''


def test_a_build_requests_instance_reads_unset_fields_as_defaults():
    instance = objects.Instance(uuid=U1, display_name='vm')
    safe = views._Safe(instance)
    assert safe.display_name == 'vm'
    assert safe.locked is False and safe.auto_disk_config is False
    assert safe.host is None and safe.key_name is None
    assert views._field(safe, 'display_name') == 'vm'
    assert views._field(instance, 'launched_at', 'default') == 'default'


def test_addresses_by_network_label():
    cache = objects.InstanceInfoCache(network_info=[
        {'address': 'fa:16:3e:00:00:01', 'network': {'label': 'private', 'subnets': [
            {'ips': [{'address': '192.168.1.5', 'version': 4, 'type': 'fixed',
                      'floating_ips': [{'address': '172.24.4.2'}]},
                     {'address': 'fd00::5'}]}]}},
        {'address': 'fa:16:3e:00:00:02', 'network': {'subnets': []}}])
    instance = objects.Instance(uuid=U1, info_cache=cache)
    assert views.ViewBuilder._addresses(instance) == {'private': [
        {'version': 4, 'addr': '192.168.1.5', 'OS-EXT-IPS:type': 'fixed',
         'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'},
        {'version': 4, 'addr': '172.24.4.2', 'OS-EXT-IPS:type': 'floating',
         'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'},
        {'version': 6, 'addr': 'fd00::5', 'OS-EXT-IPS:type': 'fixed',
         'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'}]}
    assert views.ViewBuilder._addresses(objects.Instance(uuid=U2)) == {}


def test_fault_details_hidden_from_users_for_500s():
    when = datetime.datetime(2026, 1, 1, 12, 0, 0)
    fault = objects.InstanceFault(code=500, message='boom', details='Traceback...',
                                  created_at=when)
    instance = objects.Instance(uuid=U1, fault=fault)
    user_page = types.SimpleNamespace(is_admin=False)
    admin_page = types.SimpleNamespace(is_admin=True)
    assert views.ViewBuilder._fault(instance, user_page) == {
        'code': 500, 'created': '2026-01-01T12:00:00Z', 'message': 'boom'}
    assert views.ViewBuilder._fault(instance, admin_page)['details'] == 'Traceback...'
    fault.code = 404
    assert views.ViewBuilder._fault(instance, user_page)['details'] == 'Traceback...'
    assert views.ViewBuilder._fault(objects.Instance(uuid=U2), user_page) is None


def test_attached_volumes_per_version():
    bdms = [objects.BlockDeviceMapping(volume_id='v1', delete_on_termination=True),
            objects.BlockDeviceMapping(volume_id=None),
            objects.BlockDeviceMapping(source_type='image')]
    page = types.SimpleNamespace(bdms=lambda inst: bdms)
    assert views.ViewBuilder._volumes(None, page, '2.1') == [{'id': 'v1'}]
    assert views.ViewBuilder._volumes(None, page, '2.3') == [
        {'id': 'v1', 'delete_on_termination': True}]


def test_trusted_certificates():
    certs = objects.TrustedCerts(ids=['a', 'b'])
    assert views.ViewBuilder._trusted_certs(objects.Instance(uuid=U1, trusted_certs=certs)) \
        == ['a', 'b']
    assert views.ViewBuilder._trusted_certs(
        objects.Instance(uuid=U1, trusted_certs=objects.TrustedCerts(ids=[]))) is None
    assert views.ViewBuilder._trusted_certs(objects.Instance(uuid=U1)) is None
