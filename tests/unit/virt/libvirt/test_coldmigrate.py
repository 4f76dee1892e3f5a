"""The libvirt cold migration's decisions that need no libvirtd: which disks keep
their base, what a blank base's name says, and the refusal to shrink a disk."""

import os

import pytest

from nova import exception
from nova import objects
from nova.virt.libvirt import coldmigrate
from nova.virt.libvirt import imagebackend
from tests.unit.virt.libvirt.conftest import make_instance

GiB = 1024 ** 3


@pytest.mark.parametrize('name, spec', [
    ('ephemeral_2_ext4', (2 * GiB, 'ext4', 'ephemeral0')),
    ('swap_512', (512 * 1024 ** 2, 'swap', None)),
    ('ephemeral_x_ext4', None),
    ('swap', None),
    ('0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33', None),
])
def test_blank_base_spec(name, spec):
    assert imagebackend.blank_base_spec(name) == spec


def test_the_image_base_and_blank_bases_are_made_again_others_are_not():
    instance = make_instance()
    image_base = imagebackend.image_cache_name(instance.image_ref)
    assert coldmigrate._base_kind(instance, image_base) == {'image_id': instance.image_ref}
    assert coldmigrate._base_kind(instance, 'swap_512') == {'blank': 'swap_512'}
    # A base of another image (a deleted snapshot the server was unshelved from).
    other = imagebackend.image_cache_name('5f0e5d2c-0000-4000-8000-000000000000')
    assert coldmigrate._base_kind(instance, other) is None


def _flavor(root_gb, ephemeral_gb=0):
    return objects.Flavor(name='f', memory_mb=64, vcpus=1, root_gb=root_gb,
                          ephemeral_gb=ephemeral_gb, swap=0, flavorid='f')


def _with_root_disk(instance):
    os.makedirs(imagebackend.instance_dir(instance))
    open(imagebackend.instance_path(instance, imagebackend.DISK), 'w').close()


def test_a_smaller_root_disk_is_refused(conf):
    instance = make_instance(root_gb=2)
    _with_root_disk(instance)
    with pytest.raises(exception.InstanceFaultRollback) as caught:
        coldmigrate._check_no_shrink(instance, _flavor(1))
    assert isinstance(caught.value.inner_exception, exception.ResizeError)
    coldmigrate._check_no_shrink(instance, _flavor(2))
    coldmigrate._check_no_shrink(instance, _flavor(3))


def test_a_smaller_ephemeral_disk_is_refused(conf):
    instance = make_instance(root_gb=1, ephemeral_gb=2)
    _with_root_disk(instance)
    with pytest.raises(exception.InstanceFaultRollback):
        coldmigrate._check_no_shrink(instance, _flavor(1, ephemeral_gb=1))


def test_a_volume_backed_root_may_take_a_flavor_without_a_disk(conf):
    instance = make_instance(root_gb=1)  # no local root disk file: a volume
    coldmigrate._check_no_shrink(instance, _flavor(0))


def test_the_kept_directory_is_beside_the_instance_directory(conf):
    instance = make_instance()
    assert coldmigrate.resize_dir(instance) == imagebackend.instance_dir(instance) + '_resize'
