"""Upstream-shaped payload samples, written from the documented field lists of
upstream's doc/notification_samples (names, nesting and versions; values are ours)."""

FLAVOR_PAYLOAD = {
    'nova_object.name': 'FlavorPayload', 'nova_object.namespace': 'nova',
    'nova_object.version': '1.4',
    'nova_object.data': {
        'flavorid': '1', 'name': 'm1.tiny', 'root_gb': 1, 'vcpus': 1, 'ephemeral_gb': 0,
        'memory_mb': 512, 'disabled': False, 'rxtx_factor': 1.0, 'extra_specs': {},
        'projects': None, 'swap': 0, 'is_public': True, 'vcpu_weight': 0,
        'description': None,
    },
}

INSTANCE_PAYLOAD_FIELDS = {
    'architecture', 'availability_zone', 'block_devices', 'created_at', 'deleted_at',
    'display_name', 'display_description', 'host', 'host_name', 'ip_addresses',
    'kernel_id', 'key_name', 'launched_at', 'image_uuid', 'metadata', 'locked', 'node',
    'os_type', 'progress', 'ramdisk_id', 'reservation_id', 'state', 'task_state',
    'power_state', 'tenant_id', 'terminated_at', 'auto_disk_config', 'flavor',
    'updated_at', 'user_id', 'uuid', 'request_id', 'action_initiator_user',
    'action_initiator_project', 'locked_reason',
}

INSTANCE_ACTION_PAYLOAD_FIELDS = INSTANCE_PAYLOAD_FIELDS | {'fault'}
INSTANCE_CREATE_PAYLOAD_FIELDS = INSTANCE_ACTION_PAYLOAD_FIELDS | {
    'keypairs', 'tags', 'trusted_image_certificates', 'instance_name'}
INSTANCE_UPDATE_PAYLOAD_FIELDS = INSTANCE_PAYLOAD_FIELDS | {
    'audit_period', 'old_display_name', 'state_update', 'tags'}
# instance-exists.json: InstancePayload plus the audit period (bandwidth went in 2.0).
INSTANCE_EXISTS_PAYLOAD_FIELDS = INSTANCE_PAYLOAD_FIELDS | {'audit_period'}

IP_PAYLOAD = {
    'nova_object.name': 'IpPayload', 'nova_object.namespace': 'nova',
    'nova_object.version': '1.0',
    'nova_object.data': {
        'mac': 'fa:16:3e:4c:2c:30', 'address': '192.168.1.3',
        'port_uuid': 'ce531f90-199f-48c0-816c-13e38010b442', 'meta': {}, 'version': 4,
        'label': 'private-network', 'device_name': 'tapce531f90-19',
    },
}

EXCEPTION_PAYLOAD_FIELDS = {'function_name', 'module_name', 'exception',
                            'exception_message', 'traceback'}

KEYPAIR_PAYLOAD = {
    'nova_object.name': 'KeypairPayload', 'nova_object.namespace': 'nova',
    'nova_object.version': '1.0',
    'nova_object.data': {'user_id': 'fake', 'name': 'my-key', 'fingerprint': 'aa:bb',
                         'public_key': 'ssh-rsa AAAA test', 'type': 'ssh'},
}

SERVICE_STATUS_PAYLOAD_FIELDS = {
    'host', 'disabled', 'binary', 'topic', 'disabled_reason', 'forced_down', 'version',
    'availability_zone', 'uuid', 'last_seen_up', 'report_count'}

STATE_UPDATE_PAYLOAD = {
    'nova_object.name': 'InstanceStateUpdatePayload', 'nova_object.namespace': 'nova',
    'nova_object.version': '1.0',
    'nova_object.data': {'old_state': 'building', 'state': 'active',
                         'old_task_state': 'spawning', 'new_task_state': None},
}
