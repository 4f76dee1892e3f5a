"""What the VMware driver reads from a Glance image, and where it caches it."""

import pytest

from nova import exception
from nova import objects
from nova.virt.vmwareapi import images


def _meta(**kw):
    props = kw.pop('properties', {})
    base = {'id': 'c0ffee00-0000-4000-8000-000000000001', 'disk_format': 'vmdk',
            'container_format': 'bare', 'size': 1024, 'properties': props}
    base.update(kw)
    return objects.ImageMeta.from_dict(base)


def test_defaults_are_upstreams(conf):
    image = images.VMwareImage.from_image_meta(_meta())
    assert (image.disk_type, image.adapter_type, image.os_type) == (
        'preallocated', 'lsiLogic', 'otherGuest')
    assert image.linked_clone is True  # [vmware] use_linked_clone
    assert image.size_bytes == 1024


def test_image_properties_are_honoured(conf):
    image = images.VMwareImage.from_image_meta(_meta(
        virtual_size=4096, properties={'vmware_disktype': 'sparse',
                                       'vmware_adaptertype': 'paraVirtual',
                                       'vmware_ostype': 'rhel8_64Guest',
                                       'img_linked_clone': 'false'}))
    assert (image.disk_type, image.adapter_type, image.os_type) == (
        'sparse', 'paraVirtual', 'rhel8_64Guest')
    assert image.linked_clone is False and image.thin
    assert image.size_bytes == 4096


@pytest.mark.parametrize('meta, error', [
    (dict(disk_format='qcow2'), exception.InvalidDiskFormat),
    (dict(container_format='ova'), exception.ImageUnacceptable),
    (dict(properties={'vmware_disktype': 'mystery'}), exception.ImageUnacceptable),
    (dict(properties={'vmware_adaptertype': 'floppy'}), exception.ImageUnacceptable),
])
def test_images_the_driver_cannot_use(conf, meta, error):
    with pytest.raises(error):
        images.VMwareImage.from_image_meta(_meta(**meta))


def test_cache_folder_takes_the_prefix(conf):
    assert images.cache_folder() == '_base'
    conf.set_override('cache_prefix', 'compute1', group='vmware')
    try:
        assert images.cache_folder() == 'compute1_base'
    finally:
        conf.clear_override('cache_prefix', group='vmware')


def test_virtual_disk_manager_adapter_types():
    assert images.disk_manager_adapter('paraVirtual') == 'lsiLogic'
    assert images.disk_manager_adapter('lsiLogicsas') == 'lsiLogic'
    assert images.disk_manager_adapter('busLogic') == 'busLogic'
    assert images.disk_manager_adapter('ide') == 'ide'


def test_vmware_properties_are_dropped_for_older_readers():
    props = objects.ImageMetaProps.from_dict({'vmware_disktype': 'sparse',
                                              'hw_disk_bus': 'scsi'})
    primitive = props.obj_to_primitive(target_version='1.0')['nova_object.data']
    assert 'vmware_disktype' not in primitive and primitive['hw_disk_bus'] == 'scsi'
