"""The service status payload's shape."""



from nova.notifications.objects import service as service_notification
from nova import objects
from tests.unit.notifications import records
from tests.unit.notifications import samples


def test_service_status_payload_shape():
    service = objects.Service(id=1, uuid='fa69c544-906b-4a6a-a9c6-c1f7a8078c73',
                              host='host2', binary='nova-compute', topic='compute',
                              report_count=0, disabled=True, disabled_reason='maintenance',
                              last_seen_up=None, forced_down=False, version=23,
                              availability_zone=None)
    data = records.envelope(service_notification.ServiceStatusPayload(service).to_primitive(),
                     'ServiceStatusPayload', '1.1')
    assert set(data) == samples.SERVICE_STATUS_PAYLOAD_FIELDS
    assert data['disabled'] is True and data['disabled_reason'] == 'maintenance'
