"""Config drives built with the real tools (genisoimage, mkfs.vfat, mtools), read back."""

import json
import subprocess

import pytest

import nova.conf
from nova import exception
from nova.virt import configdrive
from tests.unit.api.metadata.conftest import INSTANCE_UUID, sample_instance, sample_network_info

CONF = nova.conf.CONF


@pytest.fixture
def instance():
    return sample_instance()


def _iso_file(path, name):
    """Extract one file from the ISO through its Rock Ridge names (genisoimage's isoinfo)."""
    return subprocess.run(['isoinfo', '-R', '-i', str(path), '-x', '/' + name],
                          check=True, stdout=subprocess.PIPE).stdout


def _iso_volume_info(path):
    return subprocess.run(['isoinfo', '-d', '-i', str(path)], check=True,
                          stdout=subprocess.PIPE, text=True).stdout


def _vfat_file(path, name):
    return subprocess.run(['mtype', '-i', str(path), '::/' + name], check=True,
                          stdout=subprocess.PIPE).stdout


@pytest.mark.parametrize('value,expected', [('True', True), ('', False), (None, False),
                                            ('False', False)])
def test_required_by_instance_field(instance, value, expected):
    instance.config_drive = value
    assert configdrive.required_by(instance) is expected


def test_required_by_image_property_and_force(instance):
    instance.config_drive = ''
    instance.system_metadata = {'image_img_config_drive': 'optional'}
    assert not configdrive.required_by(instance)
    instance.system_metadata = {'image_img_config_drive': 'mandatory'}
    assert configdrive.required_by(instance)
    instance.system_metadata = {}
    CONF.set_override('force_config_drive', True)
    try:
        assert configdrive.required_by(instance)
    finally:
        CONF.clear_override('force_config_drive')


def test_update_instance_records_a_forced_drive(instance):
    instance.config_drive = ''
    configdrive.update_instance(instance)
    assert instance.config_drive == ''
    instance.system_metadata = {'image_img_config_drive': 'mandatory'}
    configdrive.update_instance(instance)
    assert instance.config_drive == 'True'


def test_iso9660_drive_reads_back(instance, tmp_path):
    drive = tmp_path / 'disk.config'
    configdrive.make_config_drive(instance, str(drive),
                                  injected_files=[('/etc/motd', b'welcome\n')],
                                  admin_password='pa55',
                                  network_info=sample_network_info())
    info = _iso_volume_info(drive)
    assert 'Volume id: config-2' in info
    assert 'Publisher id: OpenStack Compute' in info
    assert 'Rock Ridge' in info and 'Joliet' in info
    meta = json.loads(_iso_file(drive, 'openstack/latest/meta_data.json'))
    assert meta['uuid'] == INSTANCE_UUID
    assert meta['admin_pass'] == 'pa55'
    assert meta['files'] == [{'path': '/etc/motd', 'content_path': '/content/0000'}]
    assert _iso_file(drive, 'openstack/latest/user_data') == b'#!/bin/sh\necho hello\n'
    assert _iso_file(drive, 'openstack/content/0000') == b'welcome\n'
    network = json.loads(_iso_file(drive, 'openstack/latest/network_data.json'))
    assert network['networks'][0]['ip_address'] == '10.0.0.5'
    ec2 = json.loads(_iso_file(drive, 'ec2/2009-04-04/meta-data.json'))
    assert ec2['local-ipv4'] == '10.0.0.5'
    assert _iso_file(drive, 'ec2/latest/user-data') == b'#!/bin/sh\necho hello\n'


def test_vfat_drive_reads_back(instance, tmp_path):
    drive = tmp_path / 'disk.config'
    CONF.set_override('config_drive_format', 'vfat')
    try:
        configdrive.make_config_drive(instance, str(drive))
    finally:
        CONF.clear_override('config_drive_format')
    assert drive.stat().st_size == 64 * 1024 * 1024
    label = subprocess.run(['mlabel', '-i', str(drive), '-s', '::'], check=True,
                           stdout=subprocess.PIPE, text=True).stdout
    assert 'config-2' in label
    meta = json.loads(_vfat_file(drive, 'openstack/latest/meta_data.json'))
    assert meta['uuid'] == INSTANCE_UUID and 'admin_pass' not in meta
    assert _vfat_file(drive, 'openstack/latest/user_data') == b'#!/bin/sh\necho hello\n'


def test_failing_tool_raises_and_leaves_nothing(instance, tmp_path):
    drive = tmp_path / 'disk.config'
    CONF.set_override('mkisofs_cmd', str(tmp_path / 'no-such-mkisofs'))
    try:
        with pytest.raises(exception.ConfigDriveError):
            configdrive.make_config_drive(instance, str(drive))
    finally:
        CONF.clear_override('mkisofs_cmd')
    assert not drive.exists()
