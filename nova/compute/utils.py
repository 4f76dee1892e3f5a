"""Helpers the compute API, conductor and compute manager share."""

import contextlib
import sys
import traceback

from oslo_log import log as logging

from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)


def exception_to_fault_values(exc, exc_tb=None):
    """(code, message, details) for an instance fault, as upstream records them."""
    code = getattr(exc, 'code', 500) if isinstance(exc, exception.NovaException) else 500
    if isinstance(exc, exception.NovaException):
        message = exc.format_message()
    else:
        message = exc.__class__.__name__
    if isinstance(exc, exception.NovaException) and code != 500:
        details = ''
    elif exc_tb is not None:
        details = ''.join(traceback.format_exception(type(exc), exc, exc_tb))
    else:
        details = str(exc)
    return code, message, details


def add_instance_fault_from_exc(context, instance, exc, exc_tb=None, host=None):
    """Record why an operation failed, so `server show` can tell the user."""
    code, message, details = exception_to_fault_values(exc, exc_tb)
    fault = objects.InstanceFault(context)
    fault.instance_uuid = instance.uuid
    fault.code = code
    fault.message = message
    fault.details = details
    fault.host = host
    try:
        fault.create()
    except Exception:
        LOG.exception('Could not record a fault for instance %s', instance.uuid)


@contextlib.contextmanager
def event_reporter(context, event_name, host, instance_uuid, graceful_exit=False):
    """Record an instance action event around a block: start, then finish or failure."""
    try:
        objects.InstanceActionEvent.event_start(context, instance_uuid, event_name,
                                                want_result=False, host=host)
    except exception.InstanceActionNotFound:
        LOG.debug('No action to attach event %s of %s to', event_name, instance_uuid)
        yield
        return
    try:
        yield
    except Exception as exc:
        # Strings, not exception/traceback objects: this may cross RPC to conductor.
        details = (exc.format_message() if isinstance(exc, exception.NovaException)
                   else type(exc).__name__)
        objects.InstanceActionEvent.event_finish_with_failure(
            context, instance_uuid, event_name, exc_val=details,
            exc_tb=''.join(traceback.format_tb(sys.exc_info()[2])), want_result=False)
        raise
    else:
        objects.InstanceActionEvent.event_finish(context, instance_uuid, event_name,
                                                 want_result=False)
