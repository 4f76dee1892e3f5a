"""The EC2-style meta-data: keys appear in the version that introduced them, EC2 ids
derived from Nova's ids (stable, no mapping table), addresses from the network info."""

import pytest

from nova.api.metadata import ec2
from nova import objects
from tests.unit.api.metadata.conftest import sample_instance
from tests.unit.api.metadata.conftest import sample_network_info


@pytest.mark.parametrize('version, since, included', [
    ('latest', '2009-04-04', True), ('1.0', '1.0', True), ('1.0', '2007-01-19', False),
    ('2007-12-15', '2007-08-29', True), ('2007-12-15', '2008-02-01', False)])
def test_keys_come_with_their_version(version, since, included):
    assert ec2._at_least(version, since) is included


def test_ec2_ids_are_derived_and_stable():
    assert ec2.image_ec2_id('155d900f-4e14-4e4c-a73d-069cbf4541e6') == \
        ec2.image_ec2_id('155d900f-4e14-4e4c-a73d-069cbf4541e6')
    assert ec2.image_ec2_id('x', 'aki').startswith('aki-') and ec2.image_ec2_id('') is None
    assert ec2.instance_ec2_id(objects.Instance(id=42)) == 'i-0000002a'
    no_id = objects.Instance(uuid='6b5a1d2e-3f4c-4b7a-9c1d-2e3f4a5b6c7d')
    assert ec2.instance_ec2_id(no_id).startswith('i-') and len(ec2.instance_ec2_id(no_id)) == 10


def _meta(version, **changes):
    instance = sample_instance()
    for key, value in changes.items():
        setattr(instance, key, value)
    return ec2.meta_data(instance, version, 'web-1', sample_network_info(),
                         [{'name': 'mykey', 'data': 'ssh-ed25519 AAAA'}])


def test_the_oldest_version_has_the_basics_only():
    data = _meta('1.0')
    assert data['instance-id'] == 'i-0000002a' and data['local-ipv4'] == '10.0.0.5'
    assert data['security-groups'] == ['default']  # none loadable here: EC2's default
    assert data['public-keys'] == {'0': {'openssh-key': 'ssh-ed25519 AAAA',
                                         '_name': '0=mykey'}}
    assert not {'local-hostname', 'public-ipv4', 'placement'} & set(data)


def test_the_latest_version_has_everything():
    data = _meta('latest', kernel_id='k', ramdisk_id='r', default_swap_device='/dev/vdc')
    assert data['public-ipv4'] == '172.24.4.10'
    assert data['placement'] == {'availability-zone': 'nova'}
    assert data['instance-action'] == 'none'
    assert data['kernel-id'].startswith('aki-') and data['ramdisk-id'].startswith('ari-')
    assert data['block-device-mapping'] == {'ami': 'vda', 'root': '/dev/vda',
                                            'swap': '/dev/vdc'}


def test_no_keypair_no_public_keys():
    instance = sample_instance()
    assert 'public-keys' not in ec2.meta_data(instance, 'latest', 'h', [], [])
    assert ec2.meta_data(instance, 'latest', 'h', [], [])['local-ipv4'] == ''
