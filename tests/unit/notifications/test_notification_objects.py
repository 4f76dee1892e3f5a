"""Versioned notification payloads: upstream's shapes and versions, and a change
to any payload needs a version bump (own fingerprint list: notification objects
are kept out of the RPC object registry)."""

import datetime
import sys

import pytest
from oslo_versionedobjects import fixture

from nova.compute import utils as compute_utils
from nova import context as nova_context
from nova import exception
from nova.notifications.objects import base as notification_base
from nova.notifications.objects import exception as notification_exception
from nova.notifications.objects import instance as instance_notification
from nova.notifications.objects import keypair as keypair_notification
from nova.notifications.objects import service as service_notification
from nova import objects
from nova.objects import base
from tests.unit.notifications import samples

objects.register_all()

EXPECTED_FINGERPRINTS = {
    'AuditPeriodPayload': '1.0-28345f72ca9d805eeb61b2c2385805dd',
    'BlockDevicePayload': '1.0-ca65fc2e0648258530134d264061d743',
    'EventType': '1.0-a601b01c1849946ca2d59286fbecaa04',
    'ExceptionPayload': '1.1-96f178a12691e3ef0d8e3188fc481b90',
    'FlavorPayload': '1.4-5991225c6902bb223dd0552a8f5d8ce9',
    'InstanceActionNotification': '1.0-256dc22834c64f95b2f0ef3546208cd5',
    'InstanceActionPayload': '1.9-7ab8b7de2219c283b703ed928ce750be',
    'InstanceCreateNotification': '1.0-256dc22834c64f95b2f0ef3546208cd5',
    'InstanceCreatePayload': '1.13-d40191cc8ae4777d93616ed362ee88d8',
    'InstanceExistsNotification': '1.0-256dc22834c64f95b2f0ef3546208cd5',
    'InstanceExistsPayload': '2.1-de6abb888158ef80beaee3188a392e95',
    'InstancePayload': '1.9-de0db7425c4ef20cb14b1d72e6595893',
    'InstanceStateUpdatePayload': '1.0-a934d04e1b314318e42e8062647edd11',
    'InstanceUpdateNotification': '1.0-256dc22834c64f95b2f0ef3546208cd5',
    'InstanceUpdatePayload': '2.1-253001bbcc31604df704ecde67a666fc',
    'IpPayload': '1.0-08b8c3c5b5bf6590d500a2faa736314f',
    'KeypairNotification': '1.0-256dc22834c64f95b2f0ef3546208cd5',
    'KeypairPayload': '1.0-cffb927f3d1937f8c111904d9600d855',
    'NotificationPublisher': '2.0-578ee5fea2922ff32e8917621f140857',
    'ServiceStatusNotification': '1.0-256dc22834c64f95b2f0ef3546208cd5',
    'ServiceStatusPayload': '1.1-01cff2ba7af8ba45b78a3f32bac945de',
}

UUID = '178b0921-8f85-4257-88b6-2e743b5a975c'
CREATED = datetime.datetime(2012, 10, 29, 13, 42, 11, tzinfo=datetime.timezone.utc)


def _notification_classes():
    classes = {}
    for cls in base.NovaObjectRegistry.notification_classes:
        classes.setdefault(cls.obj_name(), []).append(cls)
    return classes


def test_every_notification_object_is_fingerprinted():
    checker = fixture.ObjectVersionChecker(_notification_classes())
    expected, actual = checker.test_hashes(EXPECTED_FINGERPRINTS)
    assert expected == actual, 'A notification object changed: bump its version'


def test_notification_objects_stay_out_of_the_rpc_registry():
    rpc_objects = set(base.NovaObjectRegistry.obj_classes())
    assert not rpc_objects & set(_notification_classes())


def _flavor():
    return objects.Flavor(id=1, flavorid='1', name='m1.tiny', memory_mb=512, vcpus=1,
                          root_gb=1, ephemeral_gb=0, swap=0, rxtx_factor=1.0,
                          vcpu_weight=None, disabled=False, is_public=True, extra_specs={},
                          description=None)


def _instance(**overrides):
    values = dict(
        id=1, uuid=UUID, user_id='fake', project_id='6f70656e737461636b20342065766572',
        reservation_id='r-npxv0e40', display_name='some-server',
        display_description='some-server', hostname='some-server', host='compute',
        node='fake-mini', os_type=None, architecture='x86_64', availability_zone='nova',
        image_ref='155d900f-4e14-4e4c-a73d-069cbf4541e6', key_name='my-key', kernel_id='',
        ramdisk_id='', created_at=CREATED, launched_at=CREATED, terminated_at=None,
        deleted_at=None, updated_at=CREATED, vm_state='active', task_state=None,
        power_state=1, progress=0, metadata={}, system_metadata={}, locked=False,
        auto_disk_config=False, flavor=_flavor(),
        info_cache=objects.InstanceInfoCache(network_info=[{
            'id': 'ce531f90-199f-48c0-816c-13e38010b442', 'address': 'fa:16:3e:4c:2c:30',
            'devname': 'tapce531f90-19', 'meta': {},
            'network': {'label': 'private-network', 'subnets': [{'ips': [{
                'address': '192.168.1.3', 'type': 'fixed', 'version': 4}]}]}}]))
    values.update(overrides)
    return objects.Instance(**values)


def _context():
    return nova_context.RequestContext(user_id='fake',
                                       project_id='6f70656e737461636b20342065766572',
                                       request_id='req-5b6c791d-5709-4f36-8fbe-c3e02869e35d')


def _envelope(primitive, name, version):
    assert primitive['nova_object.name'] == name
    assert primitive['nova_object.namespace'] == 'nova'
    assert primitive['nova_object.version'] == version
    assert set(primitive) == {'nova_object.name', 'nova_object.namespace',
                              'nova_object.version', 'nova_object.data'}
    return primitive['nova_object.data']


def test_instance_action_payload_has_upstreams_shape():
    payload = instance_notification.InstanceActionPayload(_context(), _instance())
    data = _envelope(payload.to_primitive(), 'InstanceActionPayload', '1.9')
    assert set(data) == samples.INSTANCE_ACTION_PAYLOAD_FIELDS
    assert data['uuid'] == UUID
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
        payload = instance_notification.InstanceActionPayload(_context(), _instance(),
                                                              bdms=[bdm, local])
    finally:
        conf.CONF.clear_override('bdms_in_notifications', group='notifications')
    devices = payload.to_primitive()['nova_object.data']['block_devices']
    assert [d['nova_object.data'] for d in devices] == [
        {k: v for k, v in bdm.items() if k != 'destination_type'}]
    assert devices[0]['nova_object.version'] == '1.0'


def test_instance_create_payload_adds_keypairs_tags_and_name():
    keypair = objects.KeyPair(name='my-key', user_id='fake', fingerprint='aa:bb',
                              public_key='ssh-rsa AAAA test', type='ssh')
    instance = _instance(keypairs=objects.KeyPairList(objects=[keypair]),
                         tags=objects.TagList(objects=[objects.Tag(tag='tag')]))
    payload = instance_notification.InstanceCreatePayload(_context(), instance)
    data = _envelope(payload.to_primitive(), 'InstanceCreatePayload', '1.13')
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
        audit_period_ending=CREATED)
    payload = instance_notification.InstanceUpdatePayload(
        _context(), _instance(tags=objects.TagList(objects=[])), state, audit,
        old_display_name='old-name')
    data = _envelope(payload.to_primitive(), 'InstanceUpdatePayload', '2.1')
    assert set(data) == samples.INSTANCE_UPDATE_PAYLOAD_FIELDS
    assert data['state_update'] == samples.STATE_UPDATE_PAYLOAD
    assert _envelope(data['audit_period'], 'AuditPeriodPayload', '1.0') == {
        'audit_period_beginning': '2012-10-01T00:00:00Z',
        'audit_period_ending': '2012-10-29T13:42:11Z'}
    assert data['old_display_name'] == 'old-name' and data['tags'] == []


def test_usage_exists_sends_instance_exists_with_the_audit_period(notifications):
    begin = datetime.datetime(2012, 10, 1)
    end = datetime.datetime(2012, 11, 1)
    compute_utils.notify_usage_exists(_context(), _instance(), 'compute',
                                      audit_period=(begin, end))
    [sent] = notifications()
    assert (sent['event_type'], sent['priority'], sent['publisher_id']) == (
        'instance.exists', 'INFO', 'nova-compute:compute')
    data = _envelope(sent['payload'], 'InstanceExistsPayload', '2.1')
    assert set(data) == samples.INSTANCE_EXISTS_PAYLOAD_FIELDS
    assert _envelope(data['audit_period'], 'AuditPeriodPayload', '1.0') == {
        'audit_period_beginning': '2012-10-01T00:00:00Z',
        'audit_period_ending': '2012-11-01T00:00:00Z'}
    assert data['uuid'] == UUID and data['flavor'] == samples.FLAVOR_PAYLOAD


def test_usage_exists_legacy_notification(notifications):
    from nova import conf
    conf.CONF.set_override('notification_format', 'both', group='notifications')
    begin, end = datetime.datetime(2012, 10, 1), datetime.datetime(2012, 11, 1)
    compute_utils.notify_usage_exists(_context(), _instance(), 'compute',
                                      audit_period=(begin, end))
    legacy, versioned = notifications()
    assert (legacy['event_type'], legacy['publisher_id']) == (
        'compute.instance.exists', 'compute.compute')
    assert legacy['payload']['audit_period_beginning'] == '2012-10-01 00:00:00'
    assert legacy['payload']['audit_period_ending'] == '2012-11-01 00:00:00'
    assert legacy['payload']['bandwidth'] == {}
    assert legacy['payload']['instance_id'] == UUID
    assert versioned['event_type'] == 'instance.exists'


def test_usage_exists_failure_reaches_the_caller(notifications, monkeypatch):
    """The audit counts failures, so this helper must not swallow them."""
    def unbuildable(*args, **kwargs):
        raise exception.InstanceNotFound(instance_id=UUID)

    monkeypatch.setattr(instance_notification, 'InstanceExistsPayload', unbuildable)
    with pytest.raises(exception.InstanceNotFound):
        compute_utils.notify_usage_exists(_context(), _instance(), 'compute',
                                          audit_period=(CREATED, CREATED))
    assert notifications() == []


def test_exception_payload_names_where_it_was_raised():
    def _spawn():
        raise exception.FlavorDiskTooSmall()
    try:
        _spawn()
    except exception.FlavorDiskTooSmall as exc:
        payload = notification_exception.ExceptionPayload.from_exception(
            exc, sys.exc_info()[2])
    data = _envelope(payload.to_primitive(), 'ExceptionPayload', '1.1')
    assert set(data) == samples.EXCEPTION_PAYLOAD_FIELDS
    assert data['exception'] == 'FlavorDiskTooSmall'
    assert data['function_name'] == '_spawn'
    assert data['module_name'] == __name__
    assert data['exception_message'] == exception.FlavorDiskTooSmall().format_message()
    assert data['traceback'].startswith('Traceback (most recent call last)')


def test_service_status_payload_shape():
    service = objects.Service(id=1, uuid='fa69c544-906b-4a6a-a9c6-c1f7a8078c73',
                              host='host2', binary='nova-compute', topic='compute',
                              report_count=0, disabled=True, disabled_reason='maintenance',
                              last_seen_up=None, forced_down=False, version=23,
                              availability_zone=None)
    data = _envelope(service_notification.ServiceStatusPayload(service).to_primitive(),
                     'ServiceStatusPayload', '1.1')
    assert set(data) == samples.SERVICE_STATUS_PAYLOAD_FIELDS
    assert data['disabled'] is True and data['disabled_reason'] == 'maintenance'


def test_keypair_payload_shape():
    keypair = objects.KeyPair(name='my-key', user_id='fake', fingerprint='aa:bb',
                              public_key='ssh-rsa AAAA test', type='ssh')
    assert keypair_notification.KeypairPayload(keypair).to_primitive() == \
        samples.KEYPAIR_PAYLOAD


def test_event_type_and_publisher_on_the_wire():
    event = notification_base.EventType(object='instance', action='power_off',
                                        phase='start')
    assert event.to_notification_event_type_field() == 'instance.power_off.start'
    assert notification_base.EventType(
        object='instance', action='lock').to_notification_event_type_field() == \
        'instance.lock'
    with pytest.raises(ValueError):
        notification_base.EventType(object='instance', action='x', phase='middle')
    publisher = notification_base.NotificationPublisher(host='compute',
                                                        source='nova-compute')
    assert publisher.publisher_id == 'nova-compute:compute'


def test_action_helper_sends_start_and_error_with_fault(notifications):
    context, instance = _context(), _instance()
    compute_utils.notify_about_instance_action(context, instance, 'compute', 'reboot',
                                               phase='start')
    compute_utils.notify_about_instance_action(context, instance, 'compute', 'reboot',
                                               phase='error',
                                               exception=exception.InstanceNotFound(
                                                   instance_id=UUID))
    compute_utils.notify_about_instance_action(context, instance, 'compute', 'lock',
                                               source='nova-api')
    sent = notifications()
    assert [(n['event_type'], n['priority'], n['publisher_id']) for n in sent] == [
        ('instance.reboot.start', 'INFO', 'nova-compute:compute'),
        ('instance.reboot.error', 'ERROR', 'nova-compute:compute'),
        ('instance.lock', 'INFO', 'nova-api:compute')]
    fault = sent[1]['payload']['nova_object.data']['fault']
    assert fault['nova_object.data']['exception'] == 'InstanceNotFound'
    assert sent[0]['payload']['nova_object.version'] == '1.9'


def test_unversioned_format_sends_nothing_versioned(notifications):
    from nova import conf
    conf.CONF.set_override('notification_format', 'unversioned', group='notifications')
    compute_utils.notify_about_instance_action(_context(), _instance(), 'compute',
                                               'reboot', phase='start')
    assert notifications() == []


def test_state_change_on_save_sends_instance_update(notifications, ctxt):
    from nova import conf
    from nova.notifications import base as notifications_base
    notifications_base.install()
    conf.CONF.set_override('notify_on_state_change', 'vm_and_task_state',
                           group='notifications')
    try:
        instance = objects.Instance(ctxt, uuid=UUID, user_id='fake', project_id='p',
                                    vm_state='building', task_state='scheduling',
                                    display_name='one', flavor=_flavor(), metadata={},
                                    system_metadata={})
        instance.create()
        instance.task_state = 'spawning'
        instance.save()
        instance.metadata = {'a': 'b'}
        instance.save()
        instance.vm_state, instance.task_state = 'active', None
        instance.save()
        conf.CONF.set_override('notify_on_state_change', 'vm_state', group='notifications')
        instance.task_state = 'powering-off'
        instance.save()
    finally:
        conf.CONF.clear_override('notify_on_state_change', group='notifications')
    sent = notifications()
    updates = [n['payload']['nova_object.data']['state_update']['nova_object.data']
               for n in sent if n['event_type'] == 'instance.update']
    assert updates == [
        {'old_state': 'building', 'state': 'building', 'old_task_state': 'scheduling',
         'new_task_state': 'spawning'},
        {'old_state': 'building', 'state': 'active', 'old_task_state': 'spawning',
         'new_task_state': None}]
    assert sent[0]['payload']['nova_object.version'] == '2.1'


def test_legacy_create_and_delete_notifications(notifications):
    from nova import conf
    conf.CONF.set_override('notification_format', 'both', group='notifications')
    context, instance = _context(), _instance()
    compute_utils.notify_legacy_instance_usage(context, instance, 'compute', 'create.start')
    with compute_utils.notify_about_instance_delete(context, instance, source='nova-api'):
        pass
    sent = [(n['event_type'], n['publisher_id']) for n in notifications()]
    host = conf.CONF.host
    assert sent == [('compute.instance.create.start', 'compute.compute'),
                    ('compute.instance.delete.start', 'api.%s' % host),
                    ('instance.delete.start', 'nova-api:%s' % host),
                    ('instance.delete.end', 'nova-api:%s' % host),
                    ('compute.instance.delete.end', 'api.%s' % host)]
    legacy = notifications()[0]['payload']
    assert legacy['instance_id'] == UUID and legacy['instance_type'] == 'm1.tiny'
    assert legacy['tenant_id'] == '6f70656e737461636b20342065766572'


def test_versioned_format_sends_no_legacy(notifications):
    compute_utils.notify_legacy_instance_usage(_context(), _instance(), 'compute',
                                               'create.start')
    assert notifications() == []


def test_payload_from_an_instance_without_optional_attributes():
    """The API's instances often lack metadata and the like: defaults, not errors."""
    instance = objects.Instance(id=1, uuid=UUID, vm_state='active', task_state=None)
    data = instance_notification.InstanceActionPayload(_context(), instance).to_primitive()[
        'nova_object.data']
    assert data['metadata'] == {} and data['locked'] is False and data['flavor'] is None
    assert set(data) == samples.INSTANCE_ACTION_PAYLOAD_FIELDS
