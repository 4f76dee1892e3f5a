"""The compute manager's deletes: terminate, soft delete and restore, reclaim.

A mixin of ComputeManager. A delete takes the instance's lock, so it waits
for a build or an operation under way to settle. A soft-deleted server keeps
its powered-off guest until restored or until the periodic
``_reclaim_queued_deletes`` deletes it (``[DEFAULT]
reclaim_instance_interval``).
"""

import sys

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova.compute import operations
from nova.compute import ports
from nova.compute import power_state
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import exception
from nova import manager
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

TERMINATE_EVENT = 'compute_terminate_instance'


class DeleteOperations(operations.InstanceOperations):
    """terminate_instance, soft_delete_instance, restore_instance for ComputeManager."""

    def _init_deletes(self):
        """The reclaim spacing follows the option as parsed now, not at import time."""
        self.set_periodic_spacing('_reclaim_queued_deletes',
                                  CONF.reclaim_instance_interval or -1)

    def terminate_instance(self, context, instance, bdms=None):
        """Cast from the API: destroy the guest, then the record and the allocation."""
        with self._instance_lock(instance.uuid):
            try:
                with compute_utils.event_reporter(context, TERMINATE_EVENT, self.host,
                                                  instance.uuid):
                    self._delete_instance(context, instance)
            except Exception as exc:
                LOG.exception('Deleting instance %s failed', instance.uuid)
                try:
                    compute_utils.set_error_with_fault(context, instance, exc,
                                                       sys.exc_info()[2], host=self.host)
                except exception.InstanceNotFound:
                    pass
            finally:
                self._forget_instance_lock(instance.uuid)

    def _delete_instance(self, context, instance):
        with compute_utils.notify_about_instance_delete(context, instance, self.host):
            self._destroy_instance(context, instance)
        LOG.info('Instance %s deleted from %s', instance.uuid, self.host)

    def _destroy_instance(self, context, instance):
        network_info = ports.cached_network_info(instance)
        self.driver.destroy(context, instance, network_info=network_info)
        # The guest is gone: its ports go too. A Neutron that does not answer
        # (after its client's retries) fails the delete, as upstream: the
        # server stays in ERROR with its ports and allocation, and a later
        # delete completes.
        ports.release(context, instance, network_info, raise_errors=True)
        # and its volumes: detached in Cinder, deleted where delete_on_termination says
        self._release_volumes(context, instance)
        compute_utils.finish_delete(context, instance, self.reportclient,
                                    power_state=power_state.NOSTATE)
        self._clean_instance_console_tokens(context, instance)
        self.rt.remove_instance(context, instance)
        try:
            objects.InstanceAction.action_finish(context, instance.uuid, want_result=False)
        except exception.InstanceActionNotFound:
            pass

    # --- soft delete / restore / reclaim --------------------------------------------

    @operations.instance_operation('compute_soft_delete_instance', 'soft_delete')
    def soft_delete_instance(self, context, instance):
        """Power the guest off and keep it until restored or reclaimed."""
        try:
            self.driver.power_off(instance)
        except exception.InstanceNotFound:
            pass
        self._settle(instance, vm_states.SOFT_DELETED, task_states.SOFT_DELETING,
                     deleted_at=timeutils.utcnow())

    @operations.instance_operation('compute_restore_instance', 'restore')
    def restore_instance(self, context, instance):
        self.driver.power_on(context, instance, [])
        self._settle(instance, vm_states.ACTIVE, task_states.RESTORING, deleted_at=None)

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
