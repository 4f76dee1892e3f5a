"""Helpers the compute API, conductor and compute manager share."""

import contextlib
import sys
import traceback

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf

from nova import audit_period as audit_periods
from nova.compute import bookkeeping
from nova.compute import vm_states
from nova import context as nova_context
from nova import exception
from nova.notifications.objects import base as notification_base
from nova.notifications.objects import exception as notification_exception
from nova.notifications.objects import instance as instance_notification
from nova.notifications.objects import keypair as keypair_notification
from nova.notifications.objects import service as service_notification
from nova import objects
from nova import rpc

CONF = nova.conf.CONF
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


def set_error_with_fault(context, instance, exc, exc_tb=None, host=None, **expected):
    """The fault first, then ERROR with no task: never ERROR without why.

    ``expected`` (``expected_vm_state``, ``expected_task_state``) makes the save
    a compare-and-swap: it raises as ``instance.save`` does when the record has
    moved on (and then only the fault was written).
    """
    add_instance_fault_from_exc(context, instance, exc, exc_tb, host=host)
    instance.vm_state = vm_states.ERROR
    instance.task_state = None
    instance.save(**expected)


@contextlib.contextmanager
def event_reporter(context, event_name, host, instance_uuid, graceful_exit=False):
    """Record an instance action event around a block: start, then finish or failure.

    The records are bookkeeping: one that cannot be written (its reply keeps
    getting lost, the broker refuses it) is logged, and never fails (or
    undoes) the block's work: a build saved ACTIVE is not failed afterwards.
    """
    what = 'event %s of %s' % (event_name, instance_uuid)
    try:
        bookkeeping.best_effort(what, objects.InstanceActionEvent.event_start, context,
                                instance_uuid, event_name, want_result=False, host=host)
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
        bookkeeping.best_effort(
            what, objects.InstanceActionEvent.event_finish_with_failure, context,
            instance_uuid, event_name, exc_val=details,
            exc_tb=''.join(traceback.format_tb(sys.exc_info()[2])), want_result=False)
        raise
    else:
        bookkeeping.best_effort(what, objects.InstanceActionEvent.event_finish, context,
                                instance_uuid, event_name, want_result=False)


# --- versioned notifications ---------------------------------------------------------
# Each helper returns at once when [notifications] notification_format is
# 'unversioned' (upstream's default), so they cost nothing unless enabled.
# A notification that cannot be built or sent is logged, never raised: it
# must not fail the operation it reports on.

def _publisher(host, source):
    return notification_base.NotificationPublisher(host=host or CONF.host, source=source)


def _legacy_source(source):
    """The legacy notifier's publisher name: 'nova-compute' -> 'compute'."""
    return source[len('nova-'):] if source.startswith('nova-') else source


def _priority(phase):
    return 'error' if phase == 'error' else 'info'


def _fault(exc):
    return notification_exception.ExceptionPayload.from_exception(exc) if exc else None


def _emit_instance(context, notification_cls, payload_cls, instance, host, action, phase,
                   source, exc, bdms):
    try:
        payload = payload_cls(context, instance, fault=_fault(exc), bdms=bdms)
        notification_cls(
            priority=_priority(phase), publisher=_publisher(host, source),
            event_type=notification_base.EventType(object='instance', action=action,
                                                   phase=phase),
            payload=payload).emit(context)
    except Exception:
        LOG.exception('Could not send instance.%s.%s for %s', action, phase,
                      getattr(instance, 'uuid', None))


# Legacy (unversioned) notifications: only compute.instance.create.*,
# compute.instance.delete.* and compute.instance.exists, with the commonly
# consumed keys of upstream's payload.

def _legacy_instance_info(instance):
    def loaded(attr):
        return getattr(instance, attr) if instance.obj_attr_is_set(attr) else None
    flavor = loaded('flavor')
    return {
        'tenant_id': loaded('project_id'), 'user_id': loaded('user_id'),
        'instance_id': instance.uuid, 'display_name': loaded('display_name'),
        'reservation_id': loaded('reservation_id'), 'hostname': loaded('hostname'),
        'host': loaded('host'), 'node': loaded('node'),
        'availability_zone': loaded('availability_zone'),
        'instance_type': flavor.name if flavor else None,
        'instance_flavor_id': flavor.flavorid if flavor else None,
        'memory_mb': loaded('memory_mb'), 'vcpus': loaded('vcpus'),
        'root_gb': loaded('root_gb'), 'ephemeral_gb': loaded('ephemeral_gb'),
        'disk_gb': (loaded('root_gb') or 0) + (loaded('ephemeral_gb') or 0),
        'image_ref_url': loaded('image_ref'), 'state': loaded('vm_state'),
        'state_description': loaded('task_state') or '',
        'created_at': str(loaded('created_at') or ''),
        'launched_at': str(loaded('launched_at') or ''),
        'terminated_at': str(loaded('terminated_at') or ''),
        'deleted_at': str(loaded('deleted_at') or ''),
        'metadata': dict(loaded('metadata') or {}),
    }


def notify_legacy_instance_usage(context, instance, host, event_suffix, source='compute',
                                 exception=None):
    """compute.instance.<event_suffix> on the legacy notifier (format unversioned/both)."""
    if not rpc.legacy_notifications_enabled():
        return
    try:
        payload = _legacy_instance_info(instance)
        priority = 'error' if exception is not None else CONF.notifications.default_level
        if exception is not None:
            payload['message'] = str(exception)
        notifier = rpc.get_notifier(source, host)
        getattr(notifier, priority.lower())(context, 'compute.instance.%s' % event_suffix,
                                            payload)
    except Exception:
        LOG.exception('Could not send compute.instance.%s for %s', event_suffix,
                      getattr(instance, 'uuid', None))


def notify_usage_exists(context, instance, host, audit_period=None, source='nova-compute'):
    """compute.instance.exists (legacy) and instance.exists (versioned) for one instance.

    ``audit_period`` is the (beginning, ending) the usage covers; by default
    the period under way. Unlike the other helpers this one raises when a
    notification cannot be built, so the usage audit can count the failure.
    """
    if audit_period is None:
        audit_period = audit_periods.current()
    beginning, ending = audit_period
    if rpc.legacy_notifications_enabled():
        payload = _legacy_instance_info(instance)
        payload.update(audit_period_beginning=str(beginning),
                       audit_period_ending=str(ending), bandwidth={})
        legacy_source = _legacy_source(source)
        notifier = rpc.get_notifier(legacy_source, host)
        getattr(notifier, CONF.notifications.default_level.lower())(
            context, 'compute.instance.exists', payload)
    if rpc.versioned_notifications_enabled():
        payload = instance_notification.InstanceExistsPayload(
            context, instance, instance_notification.AuditPeriodPayload(
                audit_period_beginning=beginning, audit_period_ending=ending))
        instance_notification.InstanceExistsNotification(
            priority='info', publisher=_publisher(host, source),
            event_type=notification_base.EventType(object='instance', action='exists'),
            payload=payload).emit(context)


@rpc.if_notifications_enabled
def notify_about_instance_action(context, instance, host, action, phase=None,
                                 source='nova-compute', exception=None, bdms=None):
    """instance.<action>[.<phase>] (e.g. instance.power_off.start, instance.lock)."""
    _emit_instance(context, instance_notification.InstanceActionNotification,
                   instance_notification.InstanceActionPayload, instance, host, action,
                   phase, source, exception, bdms)


def _load_for_create_payload(context, instance):
    """Fetch keypairs and tags if the instance lacks them, through a remotable query
    (compute has no database), without marking them as changes to save."""
    missing = [attr for attr in ('keypairs', 'tags') if not instance.obj_attr_is_set(attr)]
    if not missing:
        return
    try:
        fetched = objects.Instance.get_by_uuid(context, instance.uuid, expected_attrs=missing)
    except Exception as exc:
        LOG.debug('Could not load %s of %s for a notification: %s', missing, instance.uuid,
                  exc)
        return
    for attr in missing:
        setattr(instance, attr, getattr(fetched, attr))
    instance.obj_reset_changes(missing)


@rpc.if_notifications_enabled
def notify_about_instance_create(context, instance, host, phase=None, exception=None,
                                 bdms=None, source='nova-compute'):
    """instance.create.start/end/error, with keypairs and tags (loaded here if needed)."""
    _load_for_create_payload(context, instance)
    _emit_instance(context, instance_notification.InstanceCreateNotification,
                   instance_notification.InstanceCreatePayload, instance, host, 'create',
                   phase, source, exception, bdms)


@contextlib.contextmanager
def notify_about_instance_delete(context, instance, host=None, source='nova-compute',
                                 delete_type='delete'):
    """instance.delete.start before the block and instance.delete.end after it."""
    legacy_source = _legacy_source(source)
    notify_legacy_instance_usage(context, instance, host, '%s.start' % delete_type,
                                 source=legacy_source)
    notify_about_instance_action(context, instance, host, delete_type, phase='start',
                                 source=source)
    yield
    notify_about_instance_action(context, instance, host, delete_type, phase='end',
                                 source=source)
    notify_legacy_instance_usage(context, instance, host, '%s.end' % delete_type,
                                 source=legacy_source)


@rpc.if_notifications_enabled
def notify_about_keypair_action(context, keypair, action, phase):
    """keypair.create/import/delete.start/end, published by nova-api."""
    try:
        keypair_notification.KeypairNotification(
            priority=_priority(phase), publisher=_publisher(CONF.host, 'nova-api'),
            event_type=notification_base.EventType(object='keypair', action=action,
                                                   phase=phase),
            payload=keypair_notification.KeypairPayload(keypair)).emit(context)
    except Exception:
        LOG.exception('Could not send keypair.%s.%s', action, phase)


@rpc.if_notifications_enabled
def notify_about_service_update(context, service):
    """service.update after an enable, disable or forced-down change, as the service."""
    try:
        service_notification.ServiceStatusNotification(
            priority='info',
            publisher=notification_base.NotificationPublisher.from_service_obj(service),
            event_type=notification_base.EventType(object='service', action='update'),
            payload=service_notification.ServiceStatusPayload(service)).emit(context)
    except Exception:
        LOG.exception('Could not send service.update for %s', getattr(service, 'host', None))


def finish_delete(context, instance, reportclient, **fields):
    """Record the instance DELETED, free its allocation, then remove its record.

    nova-compute calls it once the guest is destroyed, nova-api when no host
    can (never placed, or its host is down). The allocation goes before the
    record: once the server is gone from the API, its resources are back in
    Placement. ``fields`` are saved with the state (e.g. ``power_state``).
    """
    instance.vm_state = vm_states.DELETED
    instance.task_state = None
    instance.terminated_at = timeutils.utcnow()
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    reportclient.delete_allocation_for_instance(context, instance.uuid)
    _end_unfinished_migrations(context, instance, reportclient)
    instance.destroy()


# Migration statuses after which the migration holds nothing in Placement.
MIGRATION_DONE_STATUSES = ('reverted', 'confirmed', 'error', 'failed', 'completed',
                           'cancelled', 'done')


def _end_unfinished_migrations(context, instance, reportclient):
    """A server deleted during a move (e.g. waiting for its resize to be
    confirmed): what its migrations hold on the source goes too."""
    try:
        migrations = objects.MigrationList.get_by_filters(
            context, {'instance_uuid': instance.uuid})
    except Exception as exc:
        LOG.warning('Could not list the migrations of %s: %s', instance.uuid, exc)
        return
    for migration in migrations:
        if migration.status in MIGRATION_DONE_STATUSES:
            continue
        reportclient.delete_allocation_for_instance(context, migration.uuid,
                                                    consumer_type='migration')
        migration.status = 'error'
        migration.save()


def find_cell_record(context, instance_uuid):
    """``(cell_mapping, instance)`` of the cell record of ``instance_uuid``, or ``(None, None)``.

    The instance mapping's cell is asked first. A record the mapping does not
    name yet (its writer stopped between creating it and mapping it) is
    looked for in every cell, cell0 included.
    """
    try:
        mapping = objects.InstanceMapping.get_by_instance_uuid(context, instance_uuid)
        mapped = mapping.cell_mapping
    except exception.InstanceMappingNotFound:
        mapped = None
    cells = [mapped] if mapped is not None else []
    if mapped is None:
        cells = list(objects.CellMappingList.get_all(context))
    for cell in cells:
        with nova_context.target_cell(context, cell) as cctxt:
            try:
                return cell, objects.Instance.get_by_uuid(cctxt, instance_uuid)
            except exception.InstanceNotFound:
                continue
    return None, None
