"""The metadata tree of one instance: documents, listings, versions, 404s."""

import base64
import json

import pytest

from nova.api.metadata import base
import nova.conf
from tests.unit.api.metadata.conftest import INSTANCE_UUID, PUBLIC_KEY, sample_network_info

CONF = nova.conf.CONF


def test_latest_meta_data_carries_upstream_keys(instance):
    md = base.InstanceMetadata(instance, content=[('/etc/motd', b'hi')],
                               extra_md={'admin_pass': 's3cret'})
    data = md.lookup('/openstack/latest/meta_data.json')
    assert data['uuid'] == INSTANCE_UUID
    assert data['name'] == 'web 1'
    assert data['hostname'] == 'web-1.novalocal'
    assert data['launch_index'] == 0
    assert data['availability_zone'] == 'nova'
    assert data['project_id'] == 'proj-1'
    assert data['meta'] == {'role': 'web'}
    assert data['public_keys'] == {'mykey': PUBLIC_KEY}
    assert data['keys'] == [{'name': 'mykey', 'type': 'ssh', 'data': PUBLIC_KEY}]
    assert data['devices'] == []
    assert data['admin_pass'] == 's3cret'
    assert data['files'] == [{'path': '/etc/motd', 'content_path': '/content/0000'}]
    assert len(base64.b64decode(data['random_seed'])) == 512
    assert md.lookup('/openstack/content/0000') == b'hi'


def test_old_versions_lack_later_keys(instance):
    md = base.InstanceMetadata(instance)
    folsom = md.lookup('/openstack/2012-08-10/meta_data.json')
    assert 'random_seed' not in folsom and 'project_id' not in folsom
    assert 'devices' not in md.lookup('/openstack/2015-10-15/meta_data.json')
    assert 'project_id' in md.lookup('/openstack/2015-10-15/meta_data.json')
    assert list(md.lookup('/openstack/2012-08-10')) == ['meta_data.json', 'user_data']
    assert list(md.lookup('/openstack/latest')) == [
        'meta_data.json', 'user_data', 'password', 'vendor_data.json',
        'network_data.json', 'vendor_data2.json']


def test_version_listings(instance):
    md = base.InstanceMetadata(instance)
    assert list(md.lookup('/openstack')) == [
        '2012-08-10', '2013-04-04', '2013-10-17', '2015-10-15', '2016-06-30',
        '2016-10-06', '2017-02-22', '2018-08-27', 'latest']
    root = list(md.lookup('/'))
    assert root[0] == '1.0' and root[-2:] == ['2009-04-04', 'latest']


@pytest.mark.parametrize('path', ['/openstack/2099-01-01/meta_data.json',
                                  '/openstack/latest/nope', '/openstack/content/0001',
                                  '/1999-01-01/meta-data/', '/latest/meta-data/nope',
                                  '/latest/meta-data/hostname/deeper', '/latest/other'])
def test_unknown_paths_raise(instance, path):
    md = base.InstanceMetadata(instance)
    with pytest.raises(base.InvalidMetadataPath):
        md.lookup(path)


def test_user_data_decoded_and_absent(instance):
    md = base.InstanceMetadata(instance)
    assert md.lookup('/openstack/latest/user_data') == b'#!/bin/sh\necho hello\n'
    assert md.lookup('/latest/user-data') == b'#!/bin/sh\necho hello\n'
    instance.user_data = None
    md = base.InstanceMetadata(instance)
    assert 'user_data' not in md.lookup('/openstack/latest')
    with pytest.raises(base.InvalidMetadataPath):
        md.lookup('/openstack/latest/user_data')
    assert list(md.lookup('/latest')) == ['meta-data/']


def test_network_data_empty_without_networking(instance):
    md = base.InstanceMetadata(instance)
    assert md.lookup('/openstack/latest/network_data.json') == {
        'links': [], 'networks': [], 'services': []}


def test_network_data_from_network_info(instance):
    md = base.InstanceMetadata(instance, network_info=sample_network_info())
    data = md.lookup('/openstack/latest/network_data.json')
    assert data['links'] == [{'id': 'tap1f2e3d4c-5b',
                              'vif_id': '1f2e3d4c-5b6a-4789-8abc-def012345678',
                              'type': 'ovs', 'mtu': 1450,
                              'ethernet_mac_address': 'fa:16:3e:12:34:56'}]
    v4, v6 = data['networks']
    assert v4['id'] == 'network0' and v4['type'] == 'ipv4'
    assert v4['ip_address'] == '10.0.0.5' and v4['netmask'] == '255.255.255.0'
    assert v4['link'] == 'tap1f2e3d4c-5b'
    assert v4['network_id'] == 'a1b2c3d4-0000-4000-8000-000000000001'
    assert v4['routes'] == [
        {'network': '0.0.0.0', 'netmask': '0.0.0.0', 'gateway': '10.0.0.1'},
        {'network': '192.168.5.0', 'netmask': '255.255.255.0', 'gateway': '10.0.0.254'}]
    assert v4['services'] == [{'type': 'dns', 'address': '10.0.0.2'}]
    assert v6['id'] == 'network1' and v6['type'] == 'ipv6_slaac'
    assert data['services'] == [{'type': 'dns', 'address': '10.0.0.2'},
                                {'type': 'dns', 'address': 'fd00::2'}]


def test_ec2_tree(instance):
    md = base.InstanceMetadata(instance, network_info=sample_network_info())
    listing = list(md.lookup('/latest/meta-data/'))
    assert 'hostname' in listing and 'placement/' in listing
    assert 'public-keys/' in listing and 'block-device-mapping/' in listing
    assert md.lookup('/latest/meta-data/instance-id') == 'i-0000002a'
    assert md.lookup('/latest/meta-data/local-ipv4') == '10.0.0.5'
    assert md.lookup('/latest/meta-data/public-ipv4') == '172.24.4.10'
    assert md.lookup('/latest/meta-data/placement/availability-zone') == 'nova'
    assert list(md.lookup('/latest/meta-data/public-keys/')) == ['0=mykey']
    assert list(md.lookup('/latest/meta-data/public-keys/0')) == ['openssh-key']
    assert md.lookup('/latest/meta-data/public-keys/0/openssh-key') == PUBLIC_KEY
    assert 'placement' not in md.ec2_meta_data('2007-12-15')
    assert 'local-hostname' not in md.ec2_meta_data('1.0')


def test_static_vendor_data(instance, tmp_path):
    path = tmp_path / 'vendor.json'
    path.write_text(json.dumps({'region': 'east'}))
    CONF.set_override('vendordata_jsonfile_path', str(path), group='api')
    try:
        md = base.InstanceMetadata(instance)
        assert md.lookup('/openstack/latest/vendor_data.json') == {'region': 'east'}
        assert md.lookup('/openstack/latest/vendor_data2.json') == {
            'static': {'region': 'east'}}
        path.write_text('not json')
        assert md.lookup('/openstack/latest/vendor_data.json') == {}
    finally:
        CONF.clear_override('vendordata_jsonfile_path', group='api')


def test_dynamic_vendor_data_is_skipped(instance):
    CONF.set_override('vendordata_providers', ['StaticJSON', 'DynamicJSON'], group='api')
    try:
        md = base.InstanceMetadata(instance)
        assert md.lookup('/openstack/latest/vendor_data2.json') == {'static': {}}
    finally:
        CONF.clear_override('vendordata_providers', group='api')


def test_config_drive_file_set(instance):
    md = base.InstanceMetadata(instance, content=[('/etc/motd', b'hi')])
    files = dict(md.metadata_for_config_drive())
    assert 'ec2/2009-04-04/meta-data.json' in files
    assert 'ec2/latest/user-data' in files
    assert 'ec2/2008-09-01/meta-data.json' not in files  # in config_drive_skip_versions
    assert 'openstack/2012-08-10/meta_data.json' in files
    assert 'openstack/2012-08-10/vendor_data.json' not in files
    assert 'openstack/latest/vendor_data2.json' in files
    assert not any(name.endswith('/password') for name in files)
    assert files['openstack/content/0000'] == b'hi'
    latest = json.loads(files['openstack/latest/meta_data.json'])
    assert latest['uuid'] == INSTANCE_UUID


def test_password_chunks(instance):
    from nova.api.metadata import password
    assert base.InstanceMetadata(instance).lookup('/openstack/latest/password') == ''
    stored = password.convert_password('x' * 600)
    assert [len(stored['password_%d' % i]) for i in range(4)] == [255, 255, 90, 0]
    instance.system_metadata = stored
    assert password.extract_password(instance) == 'x' * 600
