"""Cold migration and resize of a libvirt guest, against the real libvirtd and QEMU.

The disks travel through libvirtd's storage API (a directory pool on the
destination's instance directory, volume upload streams), the path between
two hosts. The machine's libvirtd listens on no TCP port and is shared by
other tests, so the destination's URI is pointed at its local socket (the one
seam: ``destination_uri``); the destination's instance directory is the same
path as the source's, as on real hosts, which here is the same directory once
the source renamed its own to ``<uuid>_resize``.
"""

import os
import subprocess
import uuid

import pytest

import nova.conf
from nova.compute import power_state
from nova import exception
from nova import objects
from nova.virt.libvirt.bindings import libvirt
from nova.virt.libvirt import coldmigrate
from nova.virt.libvirt import disk_transfer
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import images
from nova.virt.libvirt import migration as live_migration
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures.guest_image import guest_image  # noqa: F401 (pytest fixture)
from tests.fixtures.libvirt_host import guest_host  # noqa: F401 (pytest fixture)
from tests.functional.libvirt.test_driver_lifecycle import drv  # noqa: F401 (fixture)
from tests.functional.libvirt.test_driver_lifecycle import make_instance
from tests.functional.libvirt.test_driver_lifecycle import spawn

CONF = nova.conf.CONF
MiB = 1024 * 1024


def _pools():
    return host_fixture.virsh('pool-list', '--all', '--name').stdout.split()


def _sparse_file(path, size, data_at):
    with open(path, 'wb') as f:
        f.truncate(size)
        f.seek(data_at)
        f.write(b'\x5a' * MiB)


@pytest.fixture
def conn(guest_host):  # noqa: F811
    connection = libvirt.open(host_fixture.URI)
    yield connection
    connection.close()


def test_send_files_keeps_holes_and_leaves_no_pool(conn, tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    _sparse_file(src / 'disk', 64 * MiB, 16 * MiB)
    (src / 'console.log').write_text('line 1\nline 2\n')
    dest = tmp_path / 'dest' / str(uuid.uuid4())
    instance_uuid = dest.name
    disk_transfer.send_files(conn, instance_uuid, str(dest),
                             [('disk', str(src / 'disk')),
                              ('console.log', str(src / 'console.log'))])
    assert (dest / 'disk').read_bytes() == (src / 'disk').read_bytes()
    assert (dest / 'console.log').read_text() == 'line 1\nline 2\n'
    # 1 MiB of data went; the 63 MiB of holes stayed holes.
    assert os.stat(dest / 'disk').st_blocks * 512 < 8 * MiB
    assert disk_transfer.pool_name(instance_uuid) not in _pools()


def test_send_files_that_fails_midway_takes_back_what_it_sent(conn, tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    _sparse_file(src / 'disk', 8 * MiB, 0)
    (src / 'broken').mkdir()  # reading a directory fails inside the stream
    dest = tmp_path / 'dest' / str(uuid.uuid4())
    with pytest.raises(Exception):
        disk_transfer.send_files(conn, dest.name, str(dest),
                                 [('disk', str(src / 'disk')),
                                  ('disk.eph0', str(src / 'broken'))])
    assert not dest.exists()  # neither the first disk nor the directory stay
    assert disk_transfer.pool_name(dest.name) not in _pools()


@pytest.fixture
def through_storage_api(monkeypatch):
    # The shared libvirtd has no TCP listener: the "remote" connection is its socket.
    monkeypatch.setattr(live_migration, 'destination_uri', lambda address: host_fixture.URI)


def _flavor(root_gb, name='m1.bigger'):
    return objects.Flavor(name=name, memory_mb=128, vcpus=1, root_gb=root_gb,
                          ephemeral_gb=0, swap=0, flavorid=name)


def _migration(same_host):
    return objects.Migration(source_compute='src', dest_compute='src' if same_host else 'dst',
                             source_node='src', dest_node='src' if same_host else 'dst')


def _root_size(instance):
    return images.virtual_size(imagebackend.instance_path(instance, imagebackend.DISK))


def test_resize_through_storage_api_grows_root_then_reverts_and_confirms(
        drv, through_storage_api):  # noqa: F811
    instance = spawn(drv, make_instance())
    base = images.qemu_img_info(imagebackend.instance_path(instance, 'disk'), True)[
        'backing-filename']
    old_flavor, new_flavor = instance.flavor, _flavor(2)

    disk_info = drv.migrate_disk_and_power_off(None, instance, '192.0.2.10', new_flavor, [])
    kept = coldmigrate.resize_dir(instance)
    assert {'disk', 'console.log'} <= set(os.listdir(kept))
    assert host_fixture.domain_state(instance.name) == 'shut off'
    instance.flavor = new_flavor
    drv.finish_migration(None, _migration(False), instance, disk_info, [],
                         objects.ImageMeta.from_dict({}), True, None)
    assert drv.get_info(instance).state == power_state.RUNNING
    assert _root_size(instance) == 2 * 1024 ** 3
    # The copy keeps its base (the image in this host's cache), not a flattened disk.
    assert images.qemu_img_info(imagebackend.instance_path(instance, 'disk'), True)[
        'backing-filename'] == base

    # Revert: the destination drops its guest, the source brings the old one back.
    drv.destroy(None, instance, [], destroy_disks=True)
    instance.flavor = old_flavor
    drv.finish_revert_migration(None, instance, [], _migration(True))
    assert not os.path.exists(kept)
    assert drv.get_info(instance).state == power_state.RUNNING
    assert _root_size(instance) == 1024 ** 3

    # Again, this time confirmed on a "source" that is another host.
    disk_info = drv.migrate_disk_and_power_off(None, instance, '192.0.2.10', new_flavor, [])
    instance.flavor = new_flavor
    drv.finish_migration(None, _migration(True), instance, disk_info, [],
                         objects.ImageMeta.from_dict({}), True, None)
    drv.confirm_migration(None, _migration(True), instance, [])
    assert not os.path.exists(kept)
    assert drv.get_info(instance).state == power_state.RUNNING  # same host: kept


def test_resize_down_is_refused_before_the_guest_stops(drv):  # noqa: F811
    instance = spawn(drv, make_instance())
    with pytest.raises(exception.InstanceFaultRollback):
        drv.migrate_disk_and_power_off(None, instance, CONF.my_ip, _flavor(0), [])
    assert drv.get_info(instance).state == power_state.RUNNING
    assert not os.path.exists(coldmigrate.resize_dir(instance))


def test_copy_to_an_unreachable_host_rolls_back(drv, monkeypatch):  # noqa: F811
    instance = spawn(drv, make_instance())
    before = sorted(os.listdir(imagebackend.instance_dir(instance)))
    # A destination whose libvirtd does not answer (nothing listens on port 1).
    monkeypatch.setattr(live_migration, 'destination_uri',
                        lambda address: 'qemu+tcp://127.0.0.1:1/system')
    with pytest.raises(exception.InstanceFaultRollback):
        drv.migrate_disk_and_power_off(None, instance, '192.0.2.10', _flavor(2), [])
    assert sorted(os.listdir(imagebackend.instance_dir(instance))) == before
    assert not os.path.exists(coldmigrate.resize_dir(instance))
    assert drv.get_info(instance).state == power_state.RUNNING


def test_disk_of_an_unknown_base_travels_flattened(drv, through_storage_api):  # noqa: F811
    instance = spawn(drv, make_instance())
    instance.image_ref = str(uuid.uuid4())  # say, booted from a since-deleted snapshot
    disk_info = drv.migrate_disk_and_power_off(None, instance, '192.0.2.10',
                                               instance.flavor, [])
    disk = imagebackend.instance_path(instance, 'disk')
    assert not images.qemu_img_info(disk, True).get('backing-filename')
    assert not [n for n in os.listdir(coldmigrate.resize_dir(instance))
                if n.endswith('.flat')]
    drv.finish_migration(None, _migration(False), instance, disk_info, [],
                         objects.ImageMeta.from_dict({}), False, None, power_on=False)
    assert drv.get_info(instance).state == power_state.SHUTDOWN
    subprocess.run(['qemu-img', 'check', disk], check=True, capture_output=True)
