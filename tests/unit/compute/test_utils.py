"""find_cell_record (the mapping's cell first, every cell for an unmapped record), and
the notification helpers: which notifications (versioned, legacy, both) a helper sends
for an action, a delete and an audit period's usage."""

import datetime

import pytest

from nova.compute import utils as compute_utils
from nova import exception
from nova.notifications.objects import instance as instance_notification
from tests.unit.compute import booting
from tests.unit.notifications import records
from tests.unit.notifications import samples


@pytest.fixture
def flavor(ctxt):
    return booting.flavor(ctxt)


@pytest.mark.parametrize('mapped', [True, False])
def test_a_record_is_found_mapped_or_not(fake_rpc, ctxt, flavor, two_cells, mapped):
    request, _spec = booting.build_request(ctxt, flavor)
    booting.write_to_cell(ctxt, two_cells[1], request, map_it=mapped)
    cell, record = compute_utils.find_cell_record(ctxt, request.instance_uuid)
    assert cell.uuid == two_cells[1].uuid and record.uuid == request.instance_uuid


def test_no_record_anywhere(fake_rpc, ctxt, flavor, two_cells):
    request, _spec = booting.build_request(ctxt, flavor)
    assert compute_utils.find_cell_record(ctxt, request.instance_uuid) == (None, None)
    assert compute_utils.find_cell_record(
        ctxt, '00000000-0000-0000-0000-000000000001') == (None, None)


def test_usage_exists_sends_instance_exists_with_the_audit_period(notifications):
    begin = datetime.datetime(2012, 10, 1)
    end = datetime.datetime(2012, 11, 1)
    compute_utils.notify_usage_exists(records.context(), records.instance(), 'compute',
                                      audit_period=(begin, end))
    [sent] = notifications()
    assert (sent['event_type'], sent['priority'], sent['publisher_id']) == (
        'instance.exists', 'INFO', 'nova-compute:compute')
    data = records.envelope(sent['payload'], 'InstanceExistsPayload', '2.1')
    assert set(data) == samples.INSTANCE_EXISTS_PAYLOAD_FIELDS
    assert records.envelope(data['audit_period'], 'AuditPeriodPayload', '1.0') == {
        'audit_period_beginning': '2012-10-01T00:00:00Z',
        'audit_period_ending': '2012-11-01T00:00:00Z'}
    assert data['uuid'] == records.UUID and data['flavor'] == samples.FLAVOR_PAYLOAD


def test_usage_exists_legacy_notification(notifications):
    from nova import conf
    conf.CONF.set_override('notification_format', 'both', group='notifications')
    begin, end = datetime.datetime(2012, 10, 1), datetime.datetime(2012, 11, 1)
    compute_utils.notify_usage_exists(records.context(), records.instance(), 'compute',
                                      audit_period=(begin, end))
    legacy, versioned = notifications()
    assert (legacy['event_type'], legacy['publisher_id']) == (
        'compute.instance.exists', 'compute.compute')
    assert legacy['payload']['audit_period_beginning'] == '2012-10-01 00:00:00'
    assert legacy['payload']['audit_period_ending'] == '2012-11-01 00:00:00'
    assert legacy['payload']['bandwidth'] == {}
    assert legacy['payload']['instance_id'] == records.UUID
    assert versioned['event_type'] == 'instance.exists'


def test_usage_exists_failure_reaches_the_caller(notifications, monkeypatch):
    """The audit counts failures, so this helper must not swallow them."""
    def unbuildable(*args, **kwargs):
        raise exception.InstanceNotFound(instance_id=records.UUID)

    monkeypatch.setattr(instance_notification, 'InstanceExistsPayload', unbuildable)
    with pytest.raises(exception.InstanceNotFound):
        compute_utils.notify_usage_exists(records.context(), records.instance(), 'compute',
                                          audit_period=(records.CREATED, records.CREATED))
    assert notifications() == []


def test_action_helper_sends_start_and_error_with_fault(notifications):
    context, instance = records.context(), records.instance()
    compute_utils.notify_about_instance_action(context, instance, 'compute', 'reboot',
                                               phase='start')
    compute_utils.notify_about_instance_action(context, instance, 'compute', 'reboot',
                                               phase='error',
                                               exception=exception.InstanceNotFound(
                                                   instance_id=records.UUID))
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
    compute_utils.notify_about_instance_action(records.context(), records.instance(), 'compute',
                                               'reboot', phase='start')
    assert notifications() == []


def test_legacy_create_and_delete_notifications(notifications):
    from nova import conf
    conf.CONF.set_override('notification_format', 'both', group='notifications')
    context, instance = records.context(), records.instance()
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
    assert legacy['instance_id'] == records.UUID and legacy['instance_type'] == 'm1.tiny'
    assert legacy['tenant_id'] == '6f70656e737461636b20342065766572'


def test_versioned_format_sends_no_legacy(notifications):
    compute_utils.notify_legacy_instance_usage(records.context(), records.instance(), 'compute',
                                               'create.start')
    assert notifications() == []
