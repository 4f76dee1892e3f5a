"""Keeping the database's view of guests true to the hypervisor's.

A mixin of ComputeManager:

- lifecycle events from the driver (a guest stopped, paused, resumed...)
  and the periodic ``_sync_power_states`` (``[DEFAULT]
  sync_power_state_interval``) record the guest's real power state, and, as
  upstream, stop an ACTIVE server whose guest shut down by itself so its
  status becomes SHUTOFF;
- ``_poll_rebooting_instances`` hands servers stuck rebooting longer than
  ``[DEFAULT] reboot_timeout`` to the driver;
  (start-up recovery is in ``startup.py``, deferred deletes in ``delete.py``).
"""

import concurrent.futures

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova.compute import instance_actions
from nova.compute import operations
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
REBOOTING = (task_states.REBOOTING, task_states.REBOOT_PENDING, task_states.REBOOT_STARTED,
              task_states.REBOOTING_HARD, task_states.REBOOT_PENDING_HARD,
              task_states.REBOOT_STARTED_HARD)
STOP_EVENT = 'compute_stop_instance'


class PowerSyncOperations(operations.InstanceOperations):
    """Power-state reconciliation for ComputeManager."""

    def _init_power_sync(self):
        """Periodic spacings follow the options as parsed now, not at import time."""
        self._sync_executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=max(1, CONF.sync_power_state_pool_size),
            thread_name_prefix='power-sync')
        self.set_periodic_spacing('_sync_power_states', CONF.sync_power_state_interval)
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

    # --- stuck reboots ----------------------------------------------------------------

    @manager.periodic_task_decorator(spacing=60)
    def _poll_rebooting_instances(self, context):
        if CONF.reboot_timeout <= 0:
            return
        instances = [i for i in objects.InstanceList.get_by_host(context, self.host)
                     if i.task_state in REBOOTING and i.updated_at and
                     timeutils.is_older_than(i.updated_at, CONF.reboot_timeout)]
        if instances:
            LOG.info('Found %d instances rebooting for more than %ds', len(instances),
                     CONF.reboot_timeout)
            self.driver.poll_rebooting_instances(CONF.reboot_timeout, instances)
