"""The instance's disk files: the image cached once (and only when whole), overlays
or full copies as images_type says, grown to the flavor but never shrunk, ephemeral
and swap disks from cached blanks, what a rebuild removes.  Real qemu-img on tiny
files in a temporary instances_path."""

import os
import uuid

import pytest

from nova import exception
from nova import objects
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import images
from tests.unit.virt.libvirt.conftest import make_instance

MiB = 1024 * 1024
IMG = [str(uuid.uuid4()) for _ in range(6)]
objects.register_all()


@pytest.fixture
def quick_ephemeral(conf):
    """A FAT ephemeral disk: mkfs.ext4 on a gigabyte takes seconds, mkfs.vfat does not."""
    conf.set_override('default_ephemeral_format', 'vfat')
    yield
    conf.clear_override('default_ephemeral_format')


def _meta(image_id, disk_format='qcow2'):
    return objects.ImageMeta.from_dict({'id': image_id, 'disk_format': disk_format})


@pytest.mark.parametrize('images_type, use_cow, expected', [
    ('default', True, 'qcow2'), ('default', False, 'raw'), ('raw', True, 'raw'),
    ('flat', True, 'raw'), ('qcow2', False, 'qcow2')])
def test_disk_format_follows_images_type(conf, images_type, use_cow, expected):
    conf.set_override('images_type', images_type, group='libvirt')
    conf.set_override('use_cow_images', use_cow)
    try:
        assert imagebackend.disk_format() == expected
    finally:
        conf.clear_override('images_type', group='libvirt')
        conf.clear_override('use_cow_images')


def test_an_unsupported_images_type_is_refused(conf):
    conf.set_override('images_type', 'lvm', group='libvirt')
    try:
        with pytest.raises(NotImplementedError):
            imagebackend.disk_format()
    finally:
        conf.clear_override('images_type', group='libvirt')


def test_the_cache_names_an_image_by_the_sha1_of_its_id():
    assert imagebackend.image_cache_name('abc') == 'a9993e364706816aba3e25717850c26c9cd0d89d'


def test_an_image_is_fetched_once(conf, local_fetch):
    first = imagebackend.fetch_base_image(None, _meta(IMG[1]), local_fetch)
    again = imagebackend.fetch_base_image(None, _meta(IMG[1]), local_fetch)
    assert first == again and local_fetch.calls == [IMG[1]]
    assert os.path.dirname(first) == imagebackend.base_dir()
    assert [n for n in os.listdir(imagebackend.base_dir()) if '.part' in n] == []


def test_a_failed_download_leaves_nothing_that_looks_cached(conf):
    def broken(context, image_id, path):
        with open(path, 'wb') as f:
            f.write(b'half')
        raise IOError('connection reset')
    with pytest.raises(IOError):
        imagebackend.fetch_base_image(None, _meta(IMG[2]), broken)
    assert [n for n in os.listdir(imagebackend.base_dir()) if n != 'locks'] == []


def test_an_image_that_is_not_what_glance_says_is_refused(conf, local_fetch):
    with pytest.raises(exception.ImageUnacceptable):
        imagebackend.fetch_base_image(None, _meta(IMG[3], disk_format='vmdk'), local_fetch)
    assert [n for n in os.listdir(imagebackend.base_dir()) if n != 'locks'] == []


def test_force_raw_images_converts_the_cached_copy(conf, local_fetch):
    conf.set_override('force_raw_images', True)
    try:
        path = imagebackend.fetch_base_image(None, _meta(IMG[4]), local_fetch)
    finally:
        conf.clear_override('force_raw_images')
    assert images.qemu_img_info(path)['format'] == 'raw'


def test_disks_of_a_flavor(conf, local_fetch, quick_ephemeral):
    instance = make_instance(root_gb=1, ephemeral_gb=1, swap=8)
    created = imagebackend.create_image_disks(None, instance, _meta(instance.image_ref),
                                              local_fetch)
    assert created == {'disk': 'qcow2', 'disk.eph0': 'qcow2', 'disk.swap': 'qcow2'}
    root = imagebackend.instance_path(instance, 'disk')
    assert images.virtual_size(root) == 1024 * MiB
    assert images.qemu_img_info(root)['backing-filename'].startswith(
        imagebackend.base_dir())
    assert images.virtual_size(imagebackend.instance_path(instance, 'disk.swap')) == 8 * MiB
    # The blanks are cached too, for the next instance of the flavor.
    assert {'ephemeral_1_vfat', 'swap_8'} <= set(os.listdir(imagebackend.base_dir()))
    assert imagebackend.existing_disks(instance) == created
    # Made again (a second spawn, a rebuild): what exists is kept.
    assert imagebackend.create_image_disks(None, instance, _meta(instance.image_ref),
                                           local_fetch) == created


def test_a_root_disk_smaller_than_the_image_keeps_the_image_size(conf, local_fetch):
    instance = make_instance(root_gb=0)
    imagebackend.create_image_disks(None, instance, _meta(instance.image_ref), local_fetch)
    assert images.virtual_size(imagebackend.instance_path(instance, 'disk')) == 16 * MiB


def test_raw_disks_are_full_copies(conf, local_fetch):
    conf.set_override('images_type', 'raw', group='libvirt')
    try:
        instance = make_instance(root_gb=1)
        created = imagebackend.create_image_disks(None, instance, _meta(instance.image_ref),
                                                  local_fetch)
    finally:
        conf.clear_override('images_type', group='libvirt')
    info = images.qemu_img_info(imagebackend.instance_path(instance, 'disk'))
    assert created == {'disk': 'raw'} and 'backing-filename' not in info
    assert info['virtual-size'] == 1024 * MiB


def test_no_image_at_all_is_refused(conf, local_fetch):
    instance = make_instance()
    instance.image_ref = ''
    with pytest.raises(exception.InvalidInput):
        imagebackend.create_image_disks(None, instance, objects.ImageMeta(), local_fetch)
    assert imagebackend.create_image_disks(None, instance, objects.ImageMeta(), local_fetch,
                                           with_root=False) == {}


@pytest.mark.parametrize('preserve', [True, False])
def test_a_rebuild_removes_what_the_new_image_makes_again(conf, local_fetch, quick_ephemeral,
                                                        preserve):
    instance = make_instance(ephemeral_gb=1)
    imagebackend.create_image_disks(None, instance, _meta(instance.image_ref), local_fetch)
    for name in ('disk.config', 'libvirt.xml', 'console.log'):
        open(imagebackend.instance_path(instance, name), 'w').close()
    imagebackend.remove_for_rebuild(instance, preserve_ephemeral=preserve)
    left = set(os.listdir(imagebackend.instance_dir(instance)))
    assert left == ({'console.log', 'disk.eph0'} if preserve else {'console.log'})
    imagebackend.remove_instance_dir(instance)
    assert not os.path.exists(imagebackend.instance_dir(instance))


def test_a_rescue_disk_replaces_a_leftover_one(conf, local_fetch):
    instance = make_instance()
    os.makedirs(imagebackend.instance_dir(instance))
    leftover = imagebackend.instance_path(instance, 'disk.rescue')
    with open(leftover, 'w') as f:
        f.write('old')
    assert imagebackend.create_rescue_disk(None, instance, _meta(IMG[5]),
                                           local_fetch) == 'qcow2'
    assert images.qemu_img_info(leftover)['format'] == 'qcow2'
