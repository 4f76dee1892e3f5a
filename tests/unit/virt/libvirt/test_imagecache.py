"""The image cache pass: bases in use are kept (and touched), unused ones go
only once older than remove_unused_original_minimum_age_seconds."""

import os
import time

import pytest

from nova import objects
from nova.virt.libvirt import driver as libvirt_driver
from nova.virt.libvirt import imagebackend
from tests.unit.virt.libvirt.conftest import make_instance


@pytest.fixture
def drv(conf, local_fetch):
    d = libvirt_driver.LibvirtDriver(None)
    d.image_fetch = local_fetch
    d.init_host('host-a')
    yield d
    d.cleanup_host('host-a')


def _age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_unused_old_bases_go_used_and_young_ones_stay(drv, conf):
    conf.set_override('remove_unused_original_minimum_age_seconds', 3600,
                      group='image_cache')
    used = make_instance()
    drv.spawn(None, used, objects.ImageMeta.from_dict({'id': used.image_ref}), [], None,
              None)
    try:
        base = imagebackend.base_dir()
        used_base = os.path.join(base, imagebackend.image_cache_name(used.image_ref))
        old = os.path.join(base, imagebackend.image_cache_name('old-image'))
        young = os.path.join(base, imagebackend.image_cache_name('young-image'))
        for path in (old, young):
            open(path, 'wb').close()
        _age(old, 7200)
        _age(used_base, 7200)
        removed = drv.manage_image_cache(None, [used])
        assert removed is None  # the driver call returns nothing, as upstream
        assert not os.path.exists(old)
        assert os.path.exists(young)
        assert os.path.exists(used_base)
        assert time.time() - os.path.getmtime(used_base) < 3600  # touched: in use
        # The instance list can be stale: its disk's backing file alone keeps the base.
        _age(used_base, 7200)
        assert drv.image_cache_manager.update(None, []) == []
        assert os.path.exists(used_base)
    finally:
        drv.destroy(None, used, [])
        conf.clear_override('remove_unused_original_minimum_age_seconds', group='image_cache')
    _age(used_base, 2 * 86400)  # older than the default minimum age
    assert drv.image_cache_manager.update(None, []) == [os.path.basename(used_base)]


def test_nothing_removed_when_disabled(drv, conf):
    conf.set_override('remove_unused_base_images', False, group='image_cache')
    try:
        os.makedirs(imagebackend.base_dir())
        stale = os.path.join(imagebackend.base_dir(), 'swap_512')
        open(stale, 'wb').close()
        _age(stale, 10 ** 6)
        assert drv.image_cache_manager.update(None, []) == []
        assert os.path.exists(stale)
    finally:
        conf.clear_override('remove_unused_base_images', group='image_cache')
