"""Keeping the database's view of guests true to the hypervisor's.

A mixin of ComputeManager:

- lifecycle events from the driver (a guest stopped, paused, resumed...)
  and the periodic ``_sync_power_states`` (``[DEFAULT]
  sync_power_state_interval``) record the guest's real power state, and, as
  upstream, stop an ACTIVE server whose guest shut down by itself so its
  status becomes SHUTOFF;
- ``_poll_rebooting_instances`` hands servers stuck rebooting longer than
  ``[DEFAULT] reboot_timeout`` to the driver;
- ``_reclaim_queued_deletes`` deletes soft-deleted servers older than
  ``[DEFAULT] reclaim_instance_interval``;
- at start-up ``_init_instances`` reports every guest truthfully, settles
  power operations a previous run left half done, and with
  ``resume_guests_state_on_host_boot`` restarts guests that should run.
"""

import concurrent.futures

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova.compute import instance_actions
from nova.compute import power_state
from nova.compute import task_states
from nova.compute import vm_states
from nova import context as nova_context
from nova import exception
from nova import manager
from nova import objects
from nova.virt import event as virtevent

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_EVENT_POWER_STATES = {
    virtevent.EVENT_LIFECYCLE_STARTED: power_state.RUNNING,
    virtevent.EVENT_LIFECYCLE_STOPPED: power_state.SHUTDOWN,
    virtevent.EVENT_LIFECYCLE_PAUSED: power_state.PAUSED,
    virtevent.EVENT_LIFECYCLE_RESUMED: power_state.RUNNING,
    virtevent.EVENT_LIFECYCLE_SUSPENDED: power_state.SUSPENDED,
}
_REBOOTING = (task_states.REBOOTING, task_states.REBOOT_PENDING, task_states.REBOOT_STARTED,
              task_states.REBOOTING_HARD, task_states.REBOOT_PENDING_HARD,
              task_states.REBOOT_STARTED_HARD)
# Interrupted operations whose outcome is simply what the guest is now.
_SETTLE_FROM_GUEST = _REBOOTING + (task_states.PAUSING, task_states.UNPAUSING,
                                   task_states.SUSPENDING, task_states.RESUMING,
                                   task_states.IMAGE_SNAPSHOT,
                                   task_states.IMAGE_SNAPSHOT_PENDING,
                                   task_states.IMAGE_PENDING_UPLOAD,
                                   task_states.IMAGE_UPLOADING, task_states.IMAGE_BACKUP)
_VM_STATE_OF_POWER = {
    power_state.RUNNING: vm_states.ACTIVE,
    power_state.PAUSED: vm_states.PAUSED,
    power_state.SUSPENDED: vm_states.SUSPENDED,
    power_state.SHUTDOWN: vm_states.STOPPED,
    power_state.CRASHED: vm_states.STOPPED,
}
STOP_EVENT = 'compute_stop_instance'


class PowerSyncOperations(object):
    """Power-state reconciliation for ComputeManager."""

    def _init_power_sync(self):
        """Periodic spacings follow the options as parsed now, not at import time."""
        self._sync_executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=max(1, CONF.sync_power_state_pool_size),
            thread_name_prefix='power-sync')
        self.set_periodic_spacing('_sync_power_states', CONF.sync_power_state_interval)
        self.set_periodic_spacing('_reclaim_queued_deletes',
                                  CONF.reclaim_instance_interval or -1)
        self.set_periodic_spacing('_poll_rebooting_instances', CONF.reboot_timeout or -1)

    # --- lifecycle events ---------------------------------------------------------

    def handle_lifecycle_event(self, event):
        """Driver callback: sync that guest's power state off the driver's thread."""
        if not isinstance(event, virtevent.LifecycleEvent):
            return
        state = _EVENT_POWER_STATES.get(event.transition)
        if state is None:
            return
        LOG.info('VM %s (Lifecycle Event) for %s', event.get_name(), event.uuid)
        try:
            self._sync_executor.submit(self._sync_after_event, event.uuid)
        except RuntimeError:
            LOG.debug('Ignoring %s: the service is stopping', event)

    def _sync_after_event(self, instance_uuid):
        context = nova_context.get_admin_context()
        try:
            instance = objects.Instance.get_by_uuid(context, instance_uuid,
                                                    expected_attrs=['system_metadata'])
            # The event only says "look now": by the time this runs the guest
            # may have moved on (a hard reboot stops, then starts it).
            self._sync_instance_power_state(context, instance)
        except exception.InstanceNotFound:
            pass
        except Exception:
            LOG.exception('Could not sync the power state of %s', instance_uuid)

    # --- periodic sync --------------------------------------------------------------

    @manager.periodic_task_decorator(spacing=CONF.sync_power_state_interval,
                                     run_immediately=True)
    def _sync_power_states(self, context):
        """Compare every instance of this host with the hypervisor."""
        try:
            instances = objects.InstanceList.get_by_host(context, self.host,
                                                         expected_attrs=['system_metadata'])
        except Exception as exc:
            LOG.warning('Could not list instances for the power state sync: %s', exc)
            return
        futures = []
        for instance in instances:
            if instance.task_state is not None:
                LOG.debug('Skipping power sync of %s: task %s under way', instance.uuid,
                          instance.task_state)
                continue
            futures.append(self._sync_executor.submit(
                self._sync_one, context, instance))
        concurrent.futures.wait(futures)

    def _sync_one(self, context, instance):
        try:
            self._sync_instance_power_state(context, instance)
        except exception.InstanceNotFound:
            pass
        except Exception:
            LOG.exception('Power state sync of %s failed', instance.uuid)

    def _sync_instance_power_state(self, context, instance):
        """Record the guest's power state; stop an ACTIVE server whose guest is down.

        The driver is asked under the instance lock, after any operation on the
        instance has finished, so a state it reports is never a stale one.
        """
        with self._instance_lock(instance.uuid):
            instance.refresh()
            if instance.host != self.host or instance.task_state is not None:
                return
            vm_power_state = self._get_power_state(instance)
            if instance.power_state != vm_power_state:
                instance.power_state = vm_power_state
                instance.save()
            vm_state = instance.vm_state
        if vm_state == vm_states.ACTIVE:
            if vm_power_state in (power_state.SHUTDOWN, power_state.CRASHED,
                                  power_state.SUSPENDED):
                LOG.warning('Instance %s shut down by itself; stopping it', instance.uuid)
                self._stop_from_sync(context, instance)
            elif vm_power_state == power_state.NOSTATE:
                LOG.warning('Instance %s is unexpectedly not found on the hypervisor',
                            instance.uuid)
        elif vm_state == vm_states.STOPPED:
            if vm_power_state not in (power_state.NOSTATE, power_state.SHUTDOWN,
                                      power_state.CRASHED):
                LOG.warning('Instance %s is not stopped; powering it off', instance.uuid)
                self._force_power_off(instance)
        elif vm_state == vm_states.PAUSED:
            if vm_power_state in (power_state.SHUTDOWN, power_state.CRASHED):
                LOG.warning('Paused instance %s shut down by itself; stopping it',
                            instance.uuid)
                self._force_power_off(instance)
                self._stop_from_sync(context, instance, from_state=vm_states.PAUSED)
        elif vm_state in (vm_states.SOFT_DELETED, vm_states.DELETED):
            if vm_power_state not in (power_state.NOSTATE, power_state.SHUTDOWN):
                LOG.warning('Instance %s is not (soft-)deleted but running', instance.uuid)

    def _stop_from_sync(self, context, instance, from_state=vm_states.ACTIVE):
        """What upstream's 'call the stop API' does, recorded as a 'stop' action."""
        instance.task_state = task_states.POWERING_OFF
        try:
            instance.save(expected_task_state=[None], expected_vm_state=[from_state])
        except (exception.UnexpectedTaskStateError, exception.InstanceNotFound,
                exception.NovaException) as exc:
            LOG.info('Not stopping %s: %s', instance.uuid, exc)
            return
        ctxt = nova_context.get_admin_context()
        try:
            objects.InstanceAction.action_start(ctxt, instance.uuid, instance_actions.STOP,
                                                want_result=False)
        except Exception:
            LOG.debug('Could not record the stop action of %s', instance.uuid,
                      exc_info=True)
        self.stop_instance(ctxt, instance, clean_shutdown=False)

    def _force_power_off(self, instance):
        try:
            self.driver.power_off(instance)
        except exception.InstanceNotFound:
            pass
        except Exception:
            LOG.exception('Could not power off %s', instance.uuid)

    # --- stuck reboots and deferred deletes ---------------------------------------------

    @manager.periodic_task_decorator(spacing=60)
    def _poll_rebooting_instances(self, context):
        if CONF.reboot_timeout <= 0:
            return
        instances = [i for i in objects.InstanceList.get_by_host(context, self.host)
                     if i.task_state in _REBOOTING and i.updated_at and
                     timeutils.is_older_than(i.updated_at, CONF.reboot_timeout)]
        if instances:
            LOG.info('Found %d instances rebooting for more than %ds', len(instances),
                     CONF.reboot_timeout)
            self.driver.poll_rebooting_instances(CONF.reboot_timeout, instances)

    @manager.periodic_task_decorator(spacing=60)
    def _reclaim_queued_deletes(self, context):
        """Delete soft-deleted servers once ``reclaim_instance_interval`` has passed."""
        interval = CONF.reclaim_instance_interval
        if interval <= 0:
            return
        for instance in objects.InstanceList.get_by_host(context, self.host,
                                                         expected_attrs=['flavor']):
            if instance.vm_state != vm_states.SOFT_DELETED or instance.task_state:
                continue
            deleted_at = instance.deleted_at
            if deleted_at and not timeutils.is_older_than(deleted_at, interval):
                continue
            LOG.info('Reclaiming deleted instance %s', instance.uuid)
            try:
                with self._instance_lock(instance.uuid):
                    instance.refresh()
                    if instance.vm_state != vm_states.SOFT_DELETED:
                        continue
                    self._delete_instance(context, instance)
            except exception.InstanceNotFound:
                pass
            except Exception:
                LOG.exception('Periodic reclaim of %s failed', instance.uuid)
            finally:
                self._forget_instance_lock(instance.uuid)

    # --- start-up ---------------------------------------------------------------------

    def _init_instances(self, context):
        """Make every instance of this host tell the truth about its guest."""
        try:
            instances = objects.InstanceList.get_by_host(context, self.host,
                                                         expected_attrs=['system_metadata'])
        except Exception as exc:
            LOG.warning('Could not list the instances of %s at start-up: %s', self.host,
                        exc)
            return
        for instance in instances:
            if instance.vm_state in (vm_states.BUILDING, vm_states.DELETED) or \
                    instance.task_state == task_states.DELETING:
                continue
            try:
                self._init_instance(context, instance)
            except exception.InstanceNotFound:
                pass
            except Exception:
                LOG.exception('Could not initialise instance %s', instance.uuid)

    def _init_instance(self, context, instance):
        state = self._get_power_state(instance)
        task = instance.task_state
        if task == task_states.POWERING_OFF:
            self._force_power_off(instance)
            state = self._get_power_state(instance)
            instance.vm_state = vm_states.STOPPED
            instance.task_state = None
        elif task in (task_states.POWERING_ON, task_states.RESTORING):
            self.driver.power_on(context, instance, [])
            state = self._get_power_state(instance)
            instance.vm_state = vm_states.ACTIVE
            instance.task_state = None
        elif task == task_states.SOFT_DELETING:
            self._force_power_off(instance)
            state = self._get_power_state(instance)
            instance.vm_state = vm_states.SOFT_DELETED
            instance.task_state = None
        elif task in _SETTLE_FROM_GUEST:
            LOG.info('Instance %s was in task %s when nova-compute stopped; clearing it',
                     instance.uuid, task)
            instance.vm_state = _VM_STATE_OF_POWER.get(state, instance.vm_state)
            instance.task_state = None
        if (CONF.resume_guests_state_on_host_boot and
                instance.vm_state == vm_states.ACTIVE and state != power_state.RUNNING):
            LOG.info('Rebooting instance %s after host boot', instance.uuid)
            try:
                self.driver.resume_state_on_host_boot(context, instance, [])
            except NotImplementedError:
                LOG.warning('The driver cannot resume guests after a host boot')
            state = self._get_power_state(instance)
        if instance.power_state != state:
            instance.power_state = state
        if instance.obj_what_changed():
            instance.save()
