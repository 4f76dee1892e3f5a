"""instance.update notifications on state changes, and the audit period they report.

``Instance.save`` calls the hooks in ``nova.objects.instance.STATE_CHANGE_HOOKS``
after a save that changed the vm_state, task_state or display name; ``install``
puts ``send_update`` there. This keeps the object layer free of any import of the
notification layer (imports flow downward).
"""

from oslo_log import log as logging

from nova import audit_period
import nova.conf
from nova.notifications.objects import base as notification_base
from nova.notifications.objects import instance as instance_notification
from nova.objects import instance as instance_obj
from nova import rpc

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _state_changed(old, instance):
    """Whether [notifications] notify_on_state_change asks for this change."""
    mode = CONF.notifications.notify_on_state_change
    if not mode:
        return False
    if old.get('vm_state') != instance.vm_state:
        return True
    if mode == 'vm_and_task_state' and old.get('task_state') != instance.task_state:
        return True
    return old.get('display_name') != instance.display_name


def send_update(context, instance, old, host=None, source='nova-compute'):
    """Emit instance.update for a save that changed ``old`` (vm_state, task_state, name)."""
    if not rpc.versioned_notifications_enabled() or not _state_changed(old, instance):
        return
    try:
        state_update = instance_notification.InstanceStateUpdatePayload(
            old_state=old.get('vm_state'), state=instance.vm_state,
            old_task_state=old.get('task_state'), new_task_state=instance.task_state)
        begin, end = audit_period.current()
        period = instance_notification.AuditPeriodPayload(
            audit_period_beginning=begin, audit_period_ending=end)
        old_name = old.get('display_name')
        payload = instance_notification.InstanceUpdatePayload(
            context, instance, state_update, period,
            old_display_name=old_name if old_name != instance.display_name else None)
        instance_notification.InstanceUpdateNotification(
            priority='info',
            publisher=notification_base.NotificationPublisher(host=host or CONF.host,
                                                              source=source),
            event_type=notification_base.EventType(object='instance', action='update'),
            payload=payload).emit(context)
    except Exception:
        LOG.exception('Could not send instance.update for %s', instance.uuid)


def install():
    """Have Instance.save send instance.update (idempotent; called at service start)."""
    if send_update not in instance_obj.STATE_CHANGE_HOOKS:
        instance_obj.STATE_CHANGE_HOOKS.append(send_update)
