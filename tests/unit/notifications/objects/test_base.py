"""Versioned notifications' base: every notification object fingerprinted (a change
to a payload needs a version bump; notification objects have their own list, kept
out of the RPC object registry), event types and the publisher on the wire."""


import pytest
from oslo_versionedobjects import fixture

from nova.notifications.objects import base as notification_base
from nova.objects import base


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
