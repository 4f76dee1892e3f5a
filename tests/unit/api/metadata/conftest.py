"""Instances built in memory, as nova-compute holds them (no database)."""

import base64

import pytest

from nova import objects

INSTANCE_UUID = '6b5a1d2e-3f4c-4b7a-9c1d-2e3f4a5b6c7d'
PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyData test@example'


def sample_network_info():
    """One VIF with a static IPv4 subnet (plus a floating IP) and a DHCP IPv6 one."""
    return [{
        'id': '1f2e3d4c-5b6a-4789-8abc-def012345678',
        'address': 'fa:16:3e:12:34:56',
        'type': 'ovs',
        'devname': 'tap1f2e3d4c-5b',
        'network': {
            'id': 'a1b2c3d4-0000-4000-8000-000000000001',
            'label': 'private',
            'meta': {'mtu': 1450},
            'subnets': [
                {'cidr': '10.0.0.0/24', 'version': 4,
                 'gateway': {'address': '10.0.0.1'},
                 'dns': [{'address': '10.0.0.2'}],
                 'routes': [{'cidr': '192.168.5.0/24',
                             'gateway': {'address': '10.0.0.254'}}],
                 'ips': [{'address': '10.0.0.5', 'type': 'fixed', 'version': 4,
                          'floating_ips': [{'address': '172.24.4.10'}]}]},
                {'cidr': 'fd00::/64', 'version': 6,
                 'gateway': {'address': 'fd00::1'},
                 'dns': [{'address': 'fd00::2'}],
                 'meta': {'ipv6_address_mode': 'slaac'},
                 'ips': [{'address': 'fd00::5', 'type': 'fixed', 'version': 6}]},
            ]}}]


def sample_instance():
    """The server the metadata documents (and a config drive) describe."""
    objects.register_all()
    keypair = objects.KeyPair(name='mykey', type='ssh', public_key=PUBLIC_KEY,
                              user_id='fake-user')
    return objects.Instance(
        id=42, uuid=INSTANCE_UUID, display_name='web 1', hostname='web-1',
        project_id='proj-1', user_id='fake-user', launch_index=0,
        availability_zone='nova', reservation_id='r-abcdefgh',
        image_ref='155d900f-4e14-4e4c-a73d-069cbf4541e6',
        kernel_id=None, ramdisk_id=None, root_device_name='/dev/vda',
        default_ephemeral_device=None, default_swap_device=None,
        key_name='mykey', key_data=PUBLIC_KEY,
        user_data=base64.b64encode(b'#!/bin/sh\necho hello\n').decode(),
        config_drive='True', metadata={'role': 'web'}, system_metadata={},
        keypairs=objects.KeyPairList(objects=[keypair]), info_cache=None)


@pytest.fixture
def instance():
    return sample_instance()
