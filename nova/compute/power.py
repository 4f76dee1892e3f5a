"""The compute manager's power operations: reboot, stop/start, pause, suspend,
crash dumps, console output, diagnostics, soft delete and restore (and the
injection of network info into a guest).

A mixin of ComputeManager. The API has already moved the instance into the
operation's task state (REBOOTING, POWERING_OFF, PAUSING, ...); each method
here has the driver do the work, then saves the resulting vm_state and the
guest's real power state, expecting the task state the API set so a
concurrent change is never overwritten. Every operation is recorded as an
instance action event (``compute_<method>``), as upstream names them.
"""

import functools
import sys

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import timeutils

import nova.conf
from nova.compute import power_state
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import exception

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Seconds between two polite shutdown requests to a guest (upstream's default).
SHUTDOWN_RETRY_INTERVAL = 10

# What the API may see come back from the diagnostics calls (oslo.messaging logs
# any other exception as unexpected): a guest not running, gone, or a driver that
# cannot read diagnostics.
_DIAGNOSTICS_EXPECTED = (exception.InstanceInvalidState, exception.InstanceNotFound,
                         NotImplementedError)


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


class PowerOperations(object):
    """RPC methods (6.1) of ComputeManager for the power family of server actions."""

    def _fail_operation(self, context, instance, exc, exc_tb, error_state):
        compute_utils.add_instance_fault_from_exc(context, instance, exc, exc_tb,
                                                  host=self.host)
        try:
            instance.refresh()
            if error_state is not None:
                instance.vm_state = error_state
            instance.task_state = None
            instance.power_state = self._get_power_state(instance)
            instance.save()
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

    # --- reboot ---------------------------------------------------------------------

    @instance_operation('compute_reboot_instance', 'reboot', error_state=vm_states.ERROR)
    def reboot_instance(self, context, instance, block_device_info=None, reboot_type='SOFT'):
        soft = reboot_type == 'SOFT'
        pending = task_states.REBOOT_PENDING if soft else task_states.REBOOT_PENDING_HARD
        started = task_states.REBOOT_STARTED if soft else task_states.REBOOT_STARTED_HARD
        expected = ((task_states.REBOOTING,) if soft else
                    (task_states.REBOOTING_HARD, task_states.REBOOTING))
        instance.power_state = self._get_power_state(instance)
        instance.task_state = pending
        instance.save(expected_task_state=expected)
        instance.task_state = started
        instance.save(expected_task_state=pending)
        self.driver.reboot(context, instance, [], reboot_type,
                           block_device_info=block_device_info)
        self._settle(instance, vm_states.ACTIVE, started)

    # --- stop / start ---------------------------------------------------------------

    def _power_off(self, instance, clean_shutdown):
        if clean_shutdown:
            self.driver.power_off(instance, CONF.shutdown_timeout, SHUTDOWN_RETRY_INTERVAL)
        else:
            self.driver.power_off(instance)

    @instance_operation('compute_stop_instance', 'power_off')
    def stop_instance(self, context, instance, clean_shutdown=True):
        self._power_off(instance, clean_shutdown)
        self._settle(instance, vm_states.STOPPED, task_states.POWERING_OFF)

    @instance_operation('compute_start_instance', 'power_on')
    def start_instance(self, context, instance):
        self.driver.power_on(context, instance, [])
        self._settle(instance, vm_states.ACTIVE, task_states.POWERING_ON)

    # --- pause / suspend ----------------------------------------------------------

    @instance_operation('compute_pause_instance', 'pause')
    def pause_instance(self, context, instance):
        self.driver.pause(instance)
        self._settle(instance, vm_states.PAUSED, task_states.PAUSING)

    @instance_operation('compute_unpause_instance', 'unpause')
    def unpause_instance(self, context, instance):
        self.driver.unpause(instance)
        self._settle(instance, vm_states.ACTIVE, task_states.UNPAUSING)

    @instance_operation('compute_suspend_instance', 'suspend')
    def suspend_instance(self, context, instance):
        self.driver.suspend(context, instance)
        self._settle(instance, vm_states.SUSPENDED, task_states.SUSPENDING)

    @instance_operation('compute_resume_instance', 'resume', error_state=vm_states.ERROR)
    def resume_instance(self, context, instance):
        self.driver.resume(context, instance, [])
        self._settle(instance, vm_states.ACTIVE, task_states.RESUMING)

    # --- diagnostics ----------------------------------------------------------------

    @instance_operation('compute_trigger_crash_dump', 'trigger_crash_dump')
    def trigger_crash_dump(self, context, instance):
        self.driver.trigger_crash_dump(instance)

    def get_console_output(self, context, instance, tail_length=None):
        """RPC call: the last ``tail_length`` lines of the guest's console (all if None)."""
        if self._get_power_state(instance) == power_state.NOSTATE:
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        output = self.driver.get_console_output(context, instance)
        if isinstance(output, bytes):
            output = output.decode('utf-8', 'replace')
        if tail_length is not None:
            lines = output.splitlines()
            output = '\n'.join(lines[-tail_length:] if tail_length > 0 else [])
        return output

    def _require_running(self, instance, method):
        """Diagnostics are only read from a running guest (InstanceInvalidState, a 409)."""
        state = self._get_power_state(instance)
        if state != power_state.RUNNING:
            raise exception.InstanceInvalidState(
                attr='power state', instance_uuid=instance.uuid,
                state=power_state.STATE_MAP.get(state, 'pending'), method=method)

    @messaging.expected_exceptions(*_DIAGNOSTICS_EXPECTED)
    def get_diagnostics(self, context, instance):
        """RPC call (6.5): the driver's free-form diagnostics of the running guest."""
        self._require_running(instance, 'get_diagnostics')
        LOG.info('Retrieving diagnostics of %s', instance.uuid)
        return self.driver.get_diagnostics(instance)

    @messaging.expected_exceptions(*_DIAGNOSTICS_EXPECTED)
    def get_instance_diagnostics(self, context, instance):
        """RPC call (6.5): the standard (2.48) diagnostics of the running guest."""
        self._require_running(instance, 'get_instance_diagnostics')
        LOG.info('Retrieving diagnostics of %s', instance.uuid)
        return self.driver.get_instance_diagnostics(instance)

    # --- network info -----------------------------------------------------------------

    def inject_network_info(self, context, instance):
        """RPC cast (6.5): hand the guest its cached network info (an admin action).

        Most drivers have nothing to do (guests read it from the metadata service
        or config drive). The API has already answered 202, so a failure is
        recorded as an instance fault for the operator to see.
        """
        network_info = []
        if instance.obj_attr_is_set('info_cache') and instance.info_cache is not None:
            network_info = list(instance.info_cache.network_info or [])
        try:
            self.driver.inject_network_info(instance, network_info)
        except Exception as exc:
            LOG.exception('Injecting network info into %s failed', instance.uuid)
            compute_utils.add_instance_fault_from_exc(context, instance, exc,
                                                      sys.exc_info()[2], host=self.host)

    # --- soft delete / restore ------------------------------------------------------

    @instance_operation('compute_soft_delete_instance', 'soft_delete')
    def soft_delete_instance(self, context, instance):
        """Power the guest off and keep it until restored or reclaimed."""
        try:
            self.driver.power_off(instance)
        except exception.InstanceNotFound:
            pass
        self._settle(instance, vm_states.SOFT_DELETED, task_states.SOFT_DELETING,
                     deleted_at=timeutils.utcnow())

    @instance_operation('compute_restore_instance', 'restore')
    def restore_instance(self, context, instance):
        self.driver.power_on(context, instance, [])
        self._settle(instance, vm_states.ACTIVE, task_states.RESTORING, deleted_at=None)
