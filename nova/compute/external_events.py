"""The compute manager's handling of external events (compute RPC 6.2).

A mixin of ComputeManager.  ``power-update`` (from Ironic, 2.76) brings the
recorded vm/power state in line with what the hypervisor already did; the
``volume-extended`` (Cinder grew an attached volume) lets the guest see the
new size; the other volume and the accelerator events are logged.
``network-vif-plugged``/``-unplugged`` go to the driver waiting for them,
``network-changed`` refreshes the info cache from Neutron and
``network-vif-deleted`` drops the port from it.
"""

from oslo_log import log as logging

from nova.compute import ports
from nova.compute import power_state
from nova.compute import vm_states
from nova import exception
from nova.network import info_cache
from nova.objects import external_event as external_event_obj

LOG = logging.getLogger(__name__)


class ExternalEventOperations(object):
    """external_instance_event for ComputeManager."""

    def external_instance_event(self, context, instances, events):
        by_uuid = {instance.uuid: instance for instance in instances}
        # Plug events first: a driver may be waiting for them.
        events = sorted(events, key=lambda e: e.name not in ('network-vif-plugged',
                                                             'network-vif-unplugged'))
        for event in events:
            instance = by_uuid.get(event.instance_uuid)
            if instance is None:
                LOG.debug('Event %s for unknown instance %s', event.key, event.instance_uuid)
                continue
            LOG.info('Received event %s for instance %s (status %s)', event.key,
                     instance.uuid, event.status)
            try:
                if event.name == 'power-update':
                    self._power_update(context, instance, event.tag)
                elif event.name in ('network-vif-plugged', 'network-vif-unplugged'):
                    if not self.instance_events.deliver(event):
                        LOG.debug('No one waits for %s of %s', event.key, instance.uuid)
                elif event.name == 'network-changed':
                    self._refresh_network_info(context, instance)
                elif event.name == 'network-vif-deleted':
                    self._forget_vif(context, instance, event.tag)
                elif event.name == 'volume-extended':
                    self.extend_volume(context, instance, event.tag)
                else:
                    LOG.debug('Nothing to do for event %s on this host yet', event.name)
            except exception.InstanceNotFound:
                LOG.debug('Instance %s went away before event %s was handled',
                          instance.uuid, event.key)
            except Exception:
                LOG.exception('Failed to handle event %s for instance %s', event.key,
                              instance.uuid)

    def _refresh_network_info(self, context, instance):
        """Neutron changed a port of the server: cache what it says now."""
        if not ports.network_api_enabled():
            return
        # Not under the instance lock: a build holds it while it waits for
        # network-vif-plugged, which may come in the same batch as this.
        info_cache.refresh(context, instance, ports.network_api())

    def _forget_vif(self, context, instance, port_id):
        """A port of the server was deleted in Neutron: the guest's NIC goes
        (as far as the driver can take it) and the cache drops it."""
        cached = ports.cached_network_info(instance)
        kept = [vif for vif in cached if vif.get('id') != port_id]
        if len(kept) == len(cached):
            return
        gone = [vif for vif in cached if vif.get('id') == port_id][0]
        try:
            self.driver.detach_interface(context, instance, gone)
        except NotImplementedError:
            pass
        except Exception as exc:
            LOG.warning('The NIC of deleted port %s stays in %s: %s', port_id,
                        instance.uuid, exc)
        ports.save_network_info(context, instance, kept)

    def _power_update(self, context, instance, target):
        """Record a power change the hypervisor made outside Nova (Ironic's use)."""
        instance.refresh()
        if instance.task_state is not None:
            LOG.info('Ignoring power-update %s for instance %s: task %s is under way',
                     target, instance.uuid, instance.task_state)
            return
        if target == external_event_obj.POWER_ON:
            wanted_from, vm_state, state = vm_states.STOPPED, vm_states.ACTIVE, \
                power_state.RUNNING
        elif target == external_event_obj.POWER_OFF:
            wanted_from, vm_state, state = vm_states.ACTIVE, vm_states.STOPPED, \
                power_state.SHUTDOWN
        else:
            LOG.warning('Unknown power-update target %s for instance %s', target,
                        instance.uuid)
            return
        if instance.vm_state != wanted_from:
            LOG.info('Ignoring power-update %s for instance %s in vm_state %s', target,
                     instance.uuid, instance.vm_state)
            return
        instance.vm_state = vm_state
        instance.power_state = state
        instance.save(expected_task_state=[None])
        try:
            self.driver.power_update_event(instance, target)
        except NotImplementedError:
            pass
