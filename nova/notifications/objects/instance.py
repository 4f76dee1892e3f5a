"""Instance payloads and notifications: instance.<action>[.<phase>], instance.update and
instance.exists (the usage audit).

Field names and versions follow upstream's documented notification samples so
consumers written for Nova (ceilometer, watcher, ...) read them unchanged.
"""

import nova.conf
from nova.compute import power_state as power_state_names
from nova.notifications.objects import base
from nova.notifications.objects import flavor as flavor_payload
from nova.notifications.objects import keypair as keypair_payload
from nova.objects import base as nova_base
from nova.objects import fields

CONF = nova.conf.CONF


@nova_base.NovaObjectRegistry.register_notification
class IpPayload(base.NotificationPayloadBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'label': fields.StringField(nullable=True),
        'mac': fields.StringField(nullable=True),
        'meta': fields.DictOfStringsField(),
        'port_uuid': fields.UUIDField(nullable=True),
        'version': fields.IntegerField(),
        'address': fields.IPAddressField(),
        'device_name': fields.StringField(nullable=True),
    }

    @classmethod
    def from_network_info(cls, network_info):
        """One payload per fixed IP of every VIF in a network info list."""
        payloads = []
        for vif in network_info or []:
            network = vif.get('network') or {}
            for subnet in network.get('subnets') or []:
                for ip in subnet.get('ips') or []:
                    payload = cls()
                    payload.label = network.get('label')
                    payload.mac = vif.get('address')
                    payload.meta = {k: str(v) for k, v in (vif.get('meta') or {}).items()}
                    payload.port_uuid = vif.get('id')
                    payload.version = ip.get('version') or (
                        6 if ':' in ip.get('address', '') else 4)
                    payload.address = ip.get('address')
                    payload.device_name = vif.get('devname')
                    payloads.append(payload)
        return payloads


@nova_base.NovaObjectRegistry.register_notification
class BlockDevicePayload(base.NotificationPayloadBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    SCHEMA = {
        'device_name': ('bdm', 'device_name'),
        'boot_index': ('bdm', 'boot_index'),
        'delete_on_termination': ('bdm', 'delete_on_termination'),
        'volume_id': ('bdm', 'volume_id'),
        'tag': ('bdm', 'tag'),
    }

    fields = {
        'device_name': fields.StringField(nullable=True),
        'boot_index': fields.IntegerField(nullable=True),
        'delete_on_termination': fields.BooleanField(default=False),
        'volume_id': fields.UUIDField(),
        'tag': fields.StringField(nullable=True),
    }

    def __init__(self, bdm):
        super().__init__()
        self.populate_schema(bdm=bdm)

    @classmethod
    def from_bdms(cls, bdms):
        """Volume mappings only, and only when [notifications] bdms_in_notifications."""
        if not CONF.notifications.bdms_in_notifications:
            return None
        return [cls(bdm) for bdm in bdms or []
                if _get(bdm, 'destination_type') == 'volume' and _get(bdm, 'volume_id')]


def _get(source, attr):
    if isinstance(source, dict):
        return source.get(attr)
    return getattr(source, attr, None)


@nova_base.NovaObjectRegistry.register_notification
class InstancePayload(base.NotificationPayloadBase):
    # Version 1.0: initial version
    # Version 1.1: locked and display_description
    # Version 1.2: auto_disk_config
    # Version 1.3: key_name
    # Version 1.4: block_devices
    # Version 1.5: updated_at
    # Version 1.6: request_id
    # Version 1.7: action_initiator_user and action_initiator_project
    # Version 1.8: locked_reason
    # Version 1.9: shares (sent when [notifications] include_share_mapping)
    VERSION = '1.9'

    SCHEMA = {
        'uuid': ('instance', 'uuid'),
        'user_id': ('instance', 'user_id'),
        'tenant_id': ('instance', 'project_id'),
        'reservation_id': ('instance', 'reservation_id'),
        'display_name': ('instance', 'display_name'),
        'display_description': ('instance', 'display_description'),
        'host_name': ('instance', 'hostname'),
        'host': ('instance', 'host'),
        'node': ('instance', 'node'),
        'os_type': ('instance', 'os_type'),
        'architecture': ('instance', 'architecture'),
        'availability_zone': ('instance', 'availability_zone'),
        'image_uuid': ('instance', 'image_ref'),
        'key_name': ('instance', 'key_name'),
        'kernel_id': ('instance', 'kernel_id'),
        'ramdisk_id': ('instance', 'ramdisk_id'),
        'created_at': ('instance', 'created_at'),
        'launched_at': ('instance', 'launched_at'),
        'terminated_at': ('instance', 'terminated_at'),
        'deleted_at': ('instance', 'deleted_at'),
        'updated_at': ('instance', 'updated_at'),
        'state': ('instance', 'vm_state'),
        'task_state': ('instance', 'task_state'),
        'progress': ('instance', 'progress'),
        'metadata': ('instance', 'metadata'),
        'locked': ('instance', 'locked'),
    }

    fields = {
        'uuid': fields.UUIDField(),
        'user_id': fields.StringField(nullable=True),
        'tenant_id': fields.StringField(nullable=True),
        'reservation_id': fields.StringField(nullable=True),
        'display_name': fields.StringField(nullable=True),
        'display_description': fields.StringField(nullable=True),
        'host_name': fields.StringField(nullable=True),
        'host': fields.StringField(nullable=True),
        'node': fields.StringField(nullable=True),
        'os_type': fields.StringField(nullable=True),
        'architecture': fields.StringField(nullable=True),
        'availability_zone': fields.StringField(nullable=True),
        'flavor': fields.ObjectField('FlavorPayload', nullable=True),
        'image_uuid': fields.StringField(nullable=True),
        'key_name': fields.StringField(nullable=True),
        'kernel_id': fields.StringField(nullable=True),
        'ramdisk_id': fields.StringField(nullable=True),
        'created_at': fields.DateTimeField(nullable=True),
        'launched_at': fields.DateTimeField(nullable=True),
        'terminated_at': fields.DateTimeField(nullable=True),
        'deleted_at': fields.DateTimeField(nullable=True),
        'updated_at': fields.DateTimeField(nullable=True),
        'state': fields.StringField(nullable=True),
        'power_state': fields.StringField(nullable=True),
        'task_state': fields.StringField(nullable=True),
        'progress': fields.IntegerField(nullable=True),
        'ip_addresses': fields.ListOfObjectsField('IpPayload'),
        'block_devices': fields.ListOfObjectsField('BlockDevicePayload', nullable=True),
        'metadata': fields.DictOfStringsField(),
        'locked': fields.BooleanField(),
        'auto_disk_config': fields.StringField(),
        'request_id': fields.StringField(nullable=True),
        'action_initiator_user': fields.StringField(nullable=True),
        'action_initiator_project': fields.StringField(nullable=True),
        'locked_reason': fields.StringField(nullable=True),
        'shares': fields.ListOfDictOfNullableStringsField(nullable=True),
    }

    def __init__(self, context, instance, bdms=None):
        super().__init__()
        self.populate_schema(instance=instance)
        if not self.obj_attr_is_set('metadata'):
            self.metadata = {}
        self.locked = bool(_loaded(instance, 'locked'))
        self.power_state = _power_state_name(instance)
        self.auto_disk_config = 'AUTO' if _loaded(instance, 'auto_disk_config') else 'MANUAL'
        self.flavor = (flavor_payload.FlavorPayload(instance.flavor)
                       if _is_set(instance, 'flavor') and instance.flavor is not None else None)
        self.ip_addresses = IpPayload.from_network_info(_network_info(instance))
        self.block_devices = BlockDevicePayload.from_bdms(bdms)
        self.request_id = getattr(context, 'request_id', None)
        self.action_initiator_user = getattr(context, 'user_id', None)
        self.action_initiator_project = getattr(context, 'project_id', None)
        sysmeta = (instance.system_metadata if _is_set(instance, 'system_metadata') else {}) or {}
        self.locked_reason = sysmeta.get('locked_reason') if self.locked else None
        if CONF.notifications.include_share_mapping:
            # No share attachments exist in this implementation yet: always empty.
            self.shares = []


def _is_set(instance, attr):
    return not hasattr(instance, 'obj_attr_is_set') or instance.obj_attr_is_set(attr)


def _loaded(instance, attr):
    return getattr(instance, attr, None) if _is_set(instance, attr) else None


def _power_state_name(instance):
    state = _loaded(instance, 'power_state')
    if state is None:
        return None
    return power_state_names.STATE_MAP.get(state, 'pending')


def _network_info(instance):
    if not _is_set(instance, 'info_cache') or instance.info_cache is None:
        return []
    cache = instance.info_cache
    if hasattr(cache, 'obj_attr_is_set') and not cache.obj_attr_is_set('network_info'):
        return []
    return cache.network_info or []


@nova_base.NovaObjectRegistry.register_notification
class InstanceActionPayload(InstancePayload):
    # Versions follow InstancePayload's (1.9: shares); adds the fault.
    VERSION = '1.9'

    fields = {
        'fault': fields.ObjectField('ExceptionPayload', nullable=True),
    }

    def __init__(self, context, instance, fault=None, bdms=None):
        super().__init__(context, instance, bdms=bdms)
        self.fault = fault


@nova_base.NovaObjectRegistry.register_notification
class InstanceCreatePayload(InstanceActionPayload):
    # Version 1.2: initial version (numbered after InstanceActionPayload of the time)
    # Version 1.3: keypairs
    # Version 1.4: key_name
    # Version 1.5: block_devices
    # Version 1.6: tags
    # Version 1.7: updated_at
    # Version 1.8: request_id
    # Version 1.9: trusted_image_certificates
    # Version 1.10: action_initiator_user and action_initiator_project
    # Version 1.11: instance_name
    # Version 1.12: locked_reason
    # Version 1.13: shares
    VERSION = '1.13'

    fields = {
        'keypairs': fields.ListOfObjectsField('KeypairPayload'),
        'tags': fields.ListOfStringsField(),
        'trusted_image_certificates': fields.ListOfStringsField(nullable=True),
        'instance_name': fields.StringField(nullable=True),
    }

    def __init__(self, context, instance, fault=None, bdms=None):
        super().__init__(context, instance, fault=fault, bdms=bdms)
        keypairs = instance.keypairs if _is_set(instance, 'keypairs') else []
        self.keypairs = [keypair_payload.KeypairPayload(kp) for kp in keypairs or []]
        tags = instance.tags if _is_set(instance, 'tags') else []
        self.tags = [tag.tag if hasattr(tag, 'tag') else str(tag) for tag in tags or []]
        certs = _loaded(instance, 'trusted_certs')
        self.trusted_image_certificates = list(certs.ids) if certs is not None else None
        self.instance_name = instance.name if _is_set(instance, 'id') else None


@nova_base.NovaObjectRegistry.register_notification
class InstanceStateUpdatePayload(base.NotificationPayloadBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'old_state': fields.StringField(nullable=True),
        'state': fields.StringField(nullable=True),
        'old_task_state': fields.StringField(nullable=True),
        'new_task_state': fields.StringField(nullable=True),
    }


@nova_base.NovaObjectRegistry.register_notification
class AuditPeriodPayload(base.NotificationPayloadBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'audit_period_beginning': fields.DateTimeField(),
        'audit_period_ending': fields.DateTimeField(),
    }


@nova_base.NovaObjectRegistry.register_notification
class InstanceUpdatePayload(InstancePayload):
    # Version 1.0: initial version
    # Versions 1.1-1.9 followed InstancePayload (locked ... locked_reason)
    # Version 2.0: bandwidth removed
    # Version 2.1: shares
    VERSION = '2.1'

    fields = {
        'state_update': fields.ObjectField('InstanceStateUpdatePayload'),
        'audit_period': fields.ObjectField('AuditPeriodPayload'),
        'old_display_name': fields.StringField(nullable=True),
        'tags': fields.ListOfStringsField(),
    }

    def __init__(self, context, instance, state_update, audit_period, old_display_name=None,
                 bdms=None):
        super().__init__(context, instance, bdms=bdms)
        self.state_update = state_update
        self.audit_period = audit_period
        self.old_display_name = old_display_name
        tags = instance.tags if _is_set(instance, 'tags') else []
        self.tags = [tag.tag if hasattr(tag, 'tag') else str(tag) for tag in tags or []]


@nova_base.NovaObjectRegistry.register_notification
class InstanceExistsPayload(InstancePayload):
    # Version 1.0: initial version
    # Versions 1.1-1.2 followed InstancePayload (action initiator, locked_reason)
    # Version 2.0: bandwidth removed
    # Version 2.1: shares
    VERSION = '2.1'

    fields = {
        'audit_period': fields.ObjectField('AuditPeriodPayload'),
    }

    def __init__(self, context, instance, audit_period, bdms=None):
        super().__init__(context, instance, bdms=bdms)
        self.audit_period = audit_period


@nova_base.NovaObjectRegistry.register_notification
class InstanceActionNotification(base.NotificationBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'payload': fields.ObjectField('InstanceActionPayload'),
    }


@nova_base.NovaObjectRegistry.register_notification
class InstanceCreateNotification(base.NotificationBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'payload': fields.ObjectField('InstanceCreatePayload'),
    }


@nova_base.NovaObjectRegistry.register_notification
class InstanceUpdateNotification(base.NotificationBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'payload': fields.ObjectField('InstanceUpdatePayload'),
    }


@nova_base.NovaObjectRegistry.register_notification
class InstanceExistsNotification(base.NotificationBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'payload': fields.ObjectField('InstanceExistsPayload'),
    }
