"""Instance payloads in upstream's shapes and versions: action, create, update;
volumes only when asked, defaults for an instance the API holds without them."""

import datetime


from nova.notifications.objects import instance as instance_notification
from nova import objects
from tests.unit.notifications import records
from tests.unit.notifications import samples


def test_instance_action_payload_has_upstreams_shape():
    payload = instance_notification.InstanceActionPayload(records.context(), records.instance())
    data = records.envelope(payload.to_primitive(), 'InstanceActionPayload', '1.9')
    assert set(data) == samples.INSTANCE_ACTION_PAYLOAD_FIELDS
    assert data['uuid'] == records.UUID
    assert data['tenant_id'] == '6f70656e737461636b20342065766572'
    assert data['state'] == 'active' and data['power_state'] == 'running'
    assert data['auto_disk_config'] == 'MANUAL'
    assert data['host_name'] == 'some-server'
    assert data['image_uuid'] == '155d900f-4e14-4e4c-a73d-069cbf4541e6'
    assert data['created_at'] == '2012-10-29T13:42:11Z'
    assert data['request_id'] == 'req-5b6c791d-5709-4f36-8fbe-c3e02869e35d'
    assert data['action_initiator_user'] == 'fake'
    assert data['fault'] is None and data['block_devices'] is None
    assert data['flavor'] == samples.FLAVOR_PAYLOAD
    assert data['ip_addresses'] == [samples.IP_PAYLOAD]


def test_instance_payload_lists_volumes_only_when_asked(notifications):
    from nova import conf
    bdm = {'destination_type': 'volume', 'volume_id': 'a07f71dc-8151-4e7d-a0cc-cd24a3f11113',
           'device_name': '/dev/sdb', 'boot_index': None, 'delete_on_termination': False,
           'tag': None}
    local = {'destination_type': 'local', 'volume_id': None}
    conf.CONF.set_override('bdms_in_notifications', True, group='notifications')
    try:
        payload = instance_notification.InstanceActionPayload(
            records.context(), records.instance(), bdms=[bdm, local])
    finally:
        conf.CONF.clear_override('bdms_in_notifications', group='notifications')
    devices = payload.to_primitive()['nova_object.data']['block_devices']
    assert [d['nova_object.data'] for d in devices] == [
        {k: v for k, v in bdm.items() if k != 'destination_type'}]
    assert devices[0]['nova_object.version'] == '1.0'


def test_instance_create_payload_adds_keypairs_tags_and_name():
    keypair = objects.KeyPair(name='my-key', user_id='fake', fingerprint='aa:bb',
                              public_key='ssh-rsa AAAA test', type='ssh')
    instance = records.instance(keypairs=objects.KeyPairList(objects=[keypair]),
                         tags=objects.TagList(objects=[objects.Tag(tag='tag')]))
    payload = instance_notification.InstanceCreatePayload(records.context(), instance)
    data = records.envelope(payload.to_primitive(), 'InstanceCreatePayload', '1.13')
    assert set(data) == samples.INSTANCE_CREATE_PAYLOAD_FIELDS
    assert data['keypairs'] == [samples.KEYPAIR_PAYLOAD]
    assert data['tags'] == ['tag']
    assert data['instance_name'] == 'instance-00000001'
    assert data['trusted_image_certificates'] is None


def test_instance_update_payload_carries_state_change_and_audit_period():
    state = instance_notification.InstanceStateUpdatePayload(
        old_state='building', state='active', old_task_state='spawning',
        new_task_state=None)
    audit = instance_notification.AuditPeriodPayload(
        audit_period_beginning=datetime.datetime(2012, 10, 1, tzinfo=datetime.timezone.utc),
        audit_period_ending=records.CREATED)
    payload = instance_notification.InstanceUpdatePayload(
        records.context(), records.instance(tags=objects.TagList(objects=[])), state, audit,
        old_display_name='old-name')
    data = records.envelope(payload.to_primitive(), 'InstanceUpdatePayload', '2.1')
    assert set(data) == samples.INSTANCE_UPDATE_PAYLOAD_FIELDS
    assert data['state_update'] == samples.STATE_UPDATE_PAYLOAD
    assert records.envelope(data['audit_period'], 'AuditPeriodPayload', '1.0') == {
        'audit_period_beginning': '2012-10-01T00:00:00Z',
        'audit_period_ending': '2012-10-29T13:42:11Z'}
    assert data['old_display_name'] == 'old-name' and data['tags'] == []


def test_payload_from_an_instance_without_optional_attributes():
    """The API's instances often lack metadata and the like: defaults, not errors."""
    instance = objects.Instance(id=1, uuid=records.UUID, vm_state='active', task_state=None)
    data = instance_notification.InstanceActionPayload(records.context(), instance).to_primitive()[
        'nova_object.data']
    assert data['metadata'] == {} and data['locked'] is False and data['flavor'] is None
    assert set(data) == samples.INSTANCE_ACTION_PAYLOAD_FIELDS
