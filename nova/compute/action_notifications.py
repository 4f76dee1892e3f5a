"""Start/end/error notifications of server actions, through the notifications
helper (``nova.compute.utils.notify_about_instance_action``) when it exists."""

from oslo_log import log as logging

from nova.compute import utils as compute_utils

LOG = logging.getLogger(__name__)


def notify_action(context, instance, host, action, phase, **kwargs):
    """Hand start/end/error of an action to the notifications helper when it exists."""
    notify = getattr(compute_utils, 'notify_about_instance_action', None)
    if notify is None:
        return
    try:
        notify(context, instance, host, action=action, phase=phase, **kwargs)
    except Exception:
        LOG.debug('Could not notify %s.%s for %s', action, phase, instance.uuid,
                  exc_info=True)
