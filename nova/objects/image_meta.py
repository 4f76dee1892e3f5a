"""Image metadata as the scheduler and virt drivers see it (from Glance, or sysmeta).

``ImageMetaProps`` types the image properties Nova acts on; properties it
does not know are dropped, as upstream does. Add fields (with a version bump)
when a driver starts honouring a new property.
"""

from oslo_utils import strutils

from nova.objects import base
from nova.objects import fields

# Prefix of instance system_metadata keys holding the boot image's properties.
SYSMETA_IMAGE_PREFIX = 'image_'

_BOOL_PROPS = ('hw_qemu_guest_agent', 'hw_boot_menu', 'img_config_drive_required',
               'hw_vif_multiqueue_enabled', 'os_require_quiesce', 'hw_pmu',
               'hw_mem_encryption', 'os_secure_boot_required', 'img_linked_clone')
_INT_PROPS = ('hw_video_ram', 'hw_rng_rate_bytes', 'hw_rng_rate_period', 'hw_cpu_cores',
              'hw_cpu_sockets', 'hw_cpu_threads', 'hw_numa_nodes', 'hw_watchdog_action_int')
_STRING_PROPS = ('hw_architecture', 'hw_cdrom_bus', 'hw_disk_bus', 'hw_firmware_type',
                 'hw_machine_type', 'hw_pointer_model', 'hw_rng_model', 'hw_scsi_model',
                 'hw_serial_port_count', 'hw_video_model', 'hw_vif_model',
                 'hw_watchdog_action', 'hw_cpu_policy', 'hw_cpu_thread_policy',
                 'hw_mem_page_size', 'hw_tpm_model', 'hw_tpm_version', 'hw_input_bus',
                 'hw_vm_mode', 'img_hv_type', 'img_config_drive', 'img_signature',
                 'img_signature_hash_method', 'img_signature_key_type',
                 'img_signature_certificate_uuid', 'os_distro', 'os_type',
                 'os_admin_user', 'os_command_line', 'img_hide_hypervisor_id',
                 'traits_required', 'vmware_adaptertype', 'vmware_disktype',
                 'vmware_ostype', 'vmware_image_version', 'hw_rescue_bus',
                 'hw_rescue_device')
# Added in 1.1 (the VMware driver's image properties).
_PROPS_1_1 = ('img_linked_clone', 'vmware_adaptertype', 'vmware_disktype', 'vmware_ostype',
              'vmware_image_version')
# Added in 1.2 (stable device rescue, 2.87).
_PROPS_1_2 = ('hw_rescue_bus', 'hw_rescue_device')
# Legacy property names still found on images, mapped to the current ones.
_LEGACY_NAMES = {'architecture': 'hw_architecture', 'hypervisor_type': 'img_hv_type',
                 'vm_mode': 'hw_vm_mode', 'hw_watchdog_action': 'hw_watchdog_action'}


@base.NovaObjectRegistry.register
class ImageMetaProps(base.NovaObject):
    # Version 1.0: initial version
    # Version 1.1: img_linked_clone, vmware_adaptertype/disktype/ostype/image_version
    # Version 1.2: hw_rescue_bus, hw_rescue_device
    VERSION = '1.2'

    fields = dict(
        [(name, fields.FlexibleBooleanField(nullable=True)) for name in _BOOL_PROPS] +
        [(name, fields.IntegerField(nullable=True)) for name in _INT_PROPS
         if name != 'hw_watchdog_action_int'] +
        [(name, fields.StringField(nullable=True)) for name in _STRING_PROPS
         if name != 'traits_required'] +
        [('traits_required', fields.ListOfStringsField(nullable=True))])

    @classmethod
    def from_dict(cls, image_props):
        props = cls()
        for key, value in (image_props or {}).items():
            key = _LEGACY_NAMES.get(key, key)
            if key.startswith('trait:') and str(value).lower() == 'required':
                traits = list(props.traits_required) if props.obj_attr_is_set(
                    'traits_required') and props.traits_required else []
                props.traits_required = traits + [key[len('trait:'):]]
                continue
            if key not in cls.fields or value is None:
                continue
            if key in _BOOL_PROPS:
                value = strutils.bool_from_string(value)
            setattr(props, key, value)
        return props

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
        version = tuple(int(p) for p in target_version.split('.'))
        for added, names in (((1, 1), _PROPS_1_1), ((1, 2), _PROPS_1_2)):
            if version < added:
                for name in names:
                    primitive.pop(name, None)

    def get(self, name, defvalue=None):
        """A property's value, or ``defvalue`` when the image does not set it."""
        if name not in self.fields or not self.obj_attr_is_set(name):
            return defvalue
        return getattr(self, name)


@base.NovaObjectRegistry.register
class ImageMeta(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.UUIDField(),
        'name': fields.StringField(),
        'status': fields.StringField(),
        'visibility': fields.StringField(),
        'protected': fields.FlexibleBooleanField(),
        'checksum': fields.StringField(nullable=True),
        'owner': fields.StringField(nullable=True),
        'size': fields.IntegerField(),
        'virtual_size': fields.IntegerField(nullable=True),
        'container_format': fields.StringField(nullable=True),
        'disk_format': fields.StringField(nullable=True),
        'created_at': fields.DateTimeField(nullable=True),
        'updated_at': fields.DateTimeField(nullable=True),
        'tags': fields.ListOfStringsField(),
        'direct_url': fields.StringField(),
        'min_ram': fields.IntegerField(),
        'min_disk': fields.IntegerField(),
        'properties': fields.ObjectField('ImageMetaProps'),
    }

    @classmethod
    def from_dict(cls, image_meta):
        """Build from a Glance image dict (unknown keys ignored, None values skipped)."""
        image_meta = dict(image_meta or {})
        props = image_meta.pop('properties', None) or {}
        meta = cls()
        for key, value in image_meta.items():
            if key in cls.fields and key != 'properties' and value is not None:
                if key in ('size', 'min_ram', 'min_disk', 'virtual_size'):
                    value = int(value)
                setattr(meta, key, value)
        meta.properties = ImageMetaProps.from_dict(props)
        return meta

    @classmethod
    def from_instance(cls, instance):
        """What the instance remembers of its image, from ``image_*`` system metadata."""
        sysmeta = instance.system_metadata if instance.obj_attr_is_set(
            'system_metadata') else {}
        image = {'properties': {}}
        for key, value in sysmeta.items():
            if not key.startswith(SYSMETA_IMAGE_PREFIX):
                continue
            name = key[len(SYSMETA_IMAGE_PREFIX):]
            if name in cls.fields and name != 'properties':
                image[name] = value
            else:
                image['properties'][name] = value
        if instance.obj_attr_is_set('image_ref') and instance.image_ref:
            image.setdefault('id', instance.image_ref)
        return cls.from_dict(image)

    @classmethod
    def from_image_ref(cls, context, image_api, image_ref):
        return cls.from_dict(image_api.get(context, image_ref))
