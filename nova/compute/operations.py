"""What every operation family of the compute manager shares.

``InstanceOperations`` is the base of each family mixin of ComputeManager
(build, delete, power, snapshot, ...), so what a family uses of another is
stated here once: one lock per instance (an operation, a delete and a power
sync never overlap on one instance), the guest's power state as the driver
sees it, the state transition that ends an operation (``_settle``) and the
recording of a failed one (a fault, the task state cleared).
``instance_operation`` wraps an RPC method in all of that plus the instance
action event and the versioned notifications.
"""

import functools
import sys
import threading

from oslo_log import log as logging

import nova.conf
from nova.compute import bookkeeping
from nova.compute import power_state
from nova.compute import utils as compute_utils
from nova import exception

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Seconds between two polite shutdown requests to a guest (upstream's default).
SHUTDOWN_RETRY_INTERVAL = 10


def _record_exists(instance):
    """Is the instance still in the database (a driver's InstanceNotFound may only
    mean the hypervisor lost the guest)?"""
    try:
        instance.refresh()
    except exception.InstanceNotFound:
        return False
    return True


def instance_operation(event_name, action=None, error_state=None):
    """Wrap a manager method: per-instance lock, action event, notifications, errors.

    On failure the instance leaves its task state (and goes to ``error_state``
    when given) with a fault recorded, so the user is never stuck with a
    task that nothing is working on.
    """
    def decorator(func):
        @functools.wraps(func)
        def wrapped(self, context, instance, *args, **kwargs):
            with self._instance_lock(instance.uuid):
                compute_utils.notify_about_instance_action(
                    context, instance, self.host, action=action or event_name, phase='start')
                try:
                    with compute_utils.event_reporter(context, event_name, self.host,
                                                      instance.uuid):
                        result = func(self, context, instance, *args, **kwargs)
                except exception.UnexpectedTaskStateError as exc:
                    LOG.info('%s of %s abandoned: %s', event_name, instance.uuid,
                             exc.format_message())
                    return None
                except Exception as exc:
                    if isinstance(exc, exception.InstanceNotFound) and \
                            not _record_exists(instance):
                        LOG.info('Instance %s was deleted during %s', instance.uuid,
                                 event_name)
                        return None
                    LOG.exception('%s of instance %s failed', event_name, instance.uuid)
                    compute_utils.notify_about_instance_action(
                        context, instance, self.host, action=action or event_name,
                        phase='error', exception=exc)
                    self._fail_operation(context, instance, exc, sys.exc_info()[2],
                                         error_state)
                    return None
                compute_utils.notify_about_instance_action(
                    context, instance, self.host, action=action or event_name, phase='end')
                return result
        return wrapped
    return decorator


class InstanceOperations(object):
    """Locks, power state and state transitions every operation family uses."""

    def _init_instance_locks(self):
        self._instance_locks = {}
        self._instance_locks_guard = threading.Lock()

    def _instance_lock(self, instance_uuid):
        """One lock per instance so a delete waits for its build to settle."""
        with self._instance_locks_guard:
            return self._instance_locks.setdefault(instance_uuid, threading.Lock())

    def _forget_instance_lock(self, instance_uuid):
        with self._instance_locks_guard:
            self._instance_locks.pop(instance_uuid, None)

    def _power_off(self, instance, clean_shutdown, missing_ok=False):
        """Stop the guest, politely within ``[DEFAULT] shutdown_timeout`` when
        ``clean_shutdown``; with ``missing_ok`` a guest already gone is stopped."""
        try:
            if clean_shutdown:
                self.driver.power_off(instance, CONF.shutdown_timeout,
                                      SHUTDOWN_RETRY_INTERVAL)
            else:
                self.driver.power_off(instance)
        except exception.InstanceNotFound:
            if not missing_ok:
                raise

    def _fail_operation(self, context, instance, exc, exc_tb, error_state):
        """Record the fault and leave the task state. Both go through conductor: a
        lost reply (MessagingTimeout, a busy conductor) is tried again, or the
        server would keep a task state nothing works on."""
        compute_utils.add_instance_fault_from_exc(context, instance, exc, exc_tb,
                                                  host=self.host)
        try:
            bookkeeping.retried('reading back instance %s' % instance.uuid,
                                instance.refresh)
            if error_state is not None:
                instance.vm_state = error_state
            instance.task_state = None
            instance.power_state = self._get_power_state(instance)
            bookkeeping.retried('clearing the task state of instance %s' % instance.uuid,
                                instance.save)
        except exception.InstanceNotFound:
            pass

    def _get_power_state(self, instance):
        """The guest's power state as the driver sees it; NOSTATE if it has none."""
        try:
            return self.driver.get_info(instance, use_cache=False).state
        except exception.InstanceNotFound:
            return power_state.NOSTATE

    def _settle(self, instance, vm_state, expected_task_state, **extra):
        instance.power_state = self._get_power_state(instance)
        instance.vm_state = vm_state
        instance.task_state = None
        for key, value in extra.items():
            setattr(instance, key, value)
        instance.save(expected_task_state=expected_task_state)

    def _force_power_off(self, instance):
        try:
            self.driver.power_off(instance)
        except exception.InstanceNotFound:
            pass
        except Exception:
            LOG.exception('Could not power off %s', instance.uuid)
