"""The exception payload names the function and module the error was raised in."""

import sys


from nova import exception
from nova.notifications.objects import exception as notification_exception
from tests.unit.notifications import records
from tests.unit.notifications import samples


def test_exception_payload_names_where_it_was_raised():
    def _spawn():
        raise exception.FlavorDiskTooSmall()
    try:
        _spawn()
    except exception.FlavorDiskTooSmall as exc:
        payload = notification_exception.ExceptionPayload.from_exception(
            exc, sys.exc_info()[2])
    data = records.envelope(payload.to_primitive(), 'ExceptionPayload', '1.1')
    assert set(data) == samples.EXCEPTION_PAYLOAD_FIELDS
    assert data['exception'] == 'FlavorDiskTooSmall'
    assert data['function_name'] == '_spawn'
    assert data['module_name'] == __name__
    assert data['exception_message'] == exception.FlavorDiskTooSmall().format_message()
    assert data['traceback'].startswith('Traceback (most recent call last)')
