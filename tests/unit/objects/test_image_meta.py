"""nova.objects.image_meta: image properties typed, legacy names and required traits
folded in, unknown properties dropped; an instance's image from its system metadata."""

from nova import objects
from nova.objects import image_meta

objects.register_all()


def test_props_are_typed_and_unknown_ones_dropped():
    props = image_meta.ImageMetaProps.from_dict({
        'hw_qemu_guest_agent': 'yes', 'hw_video_ram': '64', 'hw_disk_bus': 'virtio',
        'no_such_property': 'x', 'hw_cdrom_bus': None})
    assert props.hw_qemu_guest_agent is True and props.hw_video_ram == 64
    assert props.hw_disk_bus == 'virtio'
    assert not props.obj_attr_is_set('hw_cdrom_bus')
    assert 'no_such_property' not in props.fields
    assert props.get('hw_cdrom_bus', 'ide') == 'ide'
    assert props.get('no_such_property', 'd') == 'd'
    assert props.get('hw_disk_bus') == 'virtio'


def test_legacy_names_and_required_traits():
    props = image_meta.ImageMetaProps.from_dict({
        'architecture': 'x86_64', 'hypervisor_type': 'qemu', 'vm_mode': 'hvm',
        'trait:HW_CPU_X86_AVX': 'required', 'trait:CUSTOM_GOLD': 'Required',
        'trait:CUSTOM_IGNORED': 'forbidden'})
    assert (props.hw_architecture, props.img_hv_type, props.hw_vm_mode) == (
        'x86_64', 'qemu', 'hvm')
    assert sorted(props.traits_required) == ['CUSTOM_GOLD', 'HW_CPU_X86_AVX']


def test_the_vmware_properties_are_dropped_for_1_0():
    props = image_meta.ImageMetaProps.from_dict({'vmware_disktype': 'sparse',
                                                 'hw_disk_bus': 'scsi'})
    primitive = props.obj_to_primitive(target_version='1.0')['nova_object.data']
    assert 'vmware_disktype' not in primitive and primitive['hw_disk_bus'] == 'scsi'
    assert 'vmware_disktype' in props.obj_to_primitive()['nova_object.data']


def test_image_from_a_glance_dict():
    meta = image_meta.ImageMeta.from_dict({
        'id': '70a599e0-31e7-49b7-b260-868f441e862b', 'name': 'cirros', 'size': '1024',
        'min_ram': '0', 'checksum': None, 'unknown': 1,
        'properties': {'hw_disk_bus': 'ide'}})
    assert meta.size == 1024 and meta.min_ram == 0 and meta.name == 'cirros'
    assert not meta.obj_attr_is_set('checksum')
    assert meta.properties.hw_disk_bus == 'ide'
    assert image_meta.ImageMeta.from_dict(None).properties.get('hw_disk_bus') is None


def test_image_from_an_instances_system_metadata():
    instance = objects.Instance(
        image_ref='70a599e0-31e7-49b7-b260-868f441e862b',
        system_metadata={'image_min_disk': '1', 'image_disk_format': 'qcow2',
                         'image_hw_disk_bus': 'scsi', 'owner_user_name': 'x'})
    meta = image_meta.ImageMeta.from_instance(instance)
    assert meta.id == instance.image_ref and meta.min_disk == 1
    assert meta.disk_format == 'qcow2' and meta.properties.hw_disk_bus == 'scsi'
    bare = image_meta.ImageMeta.from_instance(objects.Instance())
    assert not bare.obj_attr_is_set('id')


def test_image_from_a_reference_asks_the_image_api():
    class _Images(object):
        def get(self, context, ref):
            return {'id': ref, 'name': 'n', 'properties': {}}

    meta = image_meta.ImageMeta.from_image_ref(None, _Images(),
                                               '70a599e0-31e7-49b7-b260-868f441e862b')
    assert meta.name == 'n'


def test_the_rescue_properties_are_dropped_for_1_1():
    props = image_meta.ImageMetaProps.from_dict({'hw_rescue_bus': 'usb',
                                                 'hw_rescue_device': 'disk'})
    assert (props.hw_rescue_bus, props.hw_rescue_device) == ('usb', 'disk')
    primitive = props.obj_to_primitive(target_version='1.1')['nova_object.data']
    assert 'hw_rescue_bus' not in primitive and 'hw_rescue_device' not in primitive
