"""The compute manager's evacuate (RPC 6.8) and the clean-up after one.

A mixin of ComputeManager. ``evacuate_instance`` runs on the destination:
the server's guest is built again here from its image (the dead source's
disks are out of reach), the server now names this host, its ports are bound
here, and its
``evacuation`` migration is ``done``. The server ends as it was (ACTIVE, or
STOPPED when it was stopped), or STOPPED when the request asked for it
(2.95). A failure gives the server back to the source's allocation (and its
ports back to the source), in ERROR, so that another evacuation can be tried.

``_destroy_evacuated_instances`` runs when the source's nova-compute starts
again: the guests of servers evacuated away are removed, and each ``done``
evacuation's allocation on this host (held by the migration) is freed; the
migration is then ``completed``.
"""

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova.compute import operations
from nova.compute import ports
from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_UNFINISHED = ('accepted', 'pre-migrating', 'done')


class EvacuateOperations(operations.InstanceOperations):
    """evacuate_instance and the source's clean-up for ComputeManager."""

    @operations.instance_operation('compute_rebuild_instance', 'evacuate',
                                   error_state=vm_states.ERROR)
    def evacuate_instance(self, context, instance, migration, node, admin_password=None,
                          target_state=None):
        stopped = (target_state == vm_states.STOPPED or
                   instance.vm_state == vm_states.STOPPED)
        migration.status = 'pre-migrating'
        migration.save()
        try:
            node = node or self.driver.get_available_nodes()[0]
            self.rt.move_claim(context, instance.uuid, instance.flavor, node)
            instance.host = self.host
            instance.node = node
            record = self.rt.compute_nodes.get(node)
            if record is not None and 'compute_id' in instance.fields:
                instance.compute_id = record.id
            instance.task_state = task_states.REBUILD_SPAWNING
            instance.save(expected_task_state=[task_states.REBUILDING])
            network_info = ports.bind_to_host(context, instance, self.host)
            image_meta = objects.ImageMeta.from_instance(instance)
            self.driver.spawn(context, instance, image_meta, [], admin_password, None,
                              network_info=network_info, power_on=not stopped)
        except exception.UnexpectedTaskStateError:
            raise
        except Exception:
            self._undo_evacuation(context, instance, migration)
            raise
        migration.status = 'done'
        migration.save()
        self._settle(instance, vm_states.STOPPED if stopped else vm_states.ACTIVE,
                     task_states.REBUILD_SPAWNING, launched_at=timeutils.utcnow())

    def _undo_evacuation(self, context, instance, migration):
        """The server goes back onto the source's books (its allocation with it)."""
        try:
            self.driver.destroy(context, instance, [], destroy_disks=True)
        except Exception:
            LOG.exception('Could not remove the failed evacuation of %s', instance.uuid)
        self.rt.drop_move_claim(context, instance.uuid)
        self.reportclient.move_allocations(context, migration.uuid, instance.uuid,
                                           source_type='MIGRATION', target_type='INSTANCE')
        migration.status = 'failed'
        migration.save()
        instance.host = migration.source_compute
        instance.node = migration.source_node
        instance.save()
        try:
            ports.bind_to_host(context, instance, migration.source_compute)
        except Exception as exc:
            LOG.warning('Could not bind the ports of %s back to %s: %s', instance.uuid,
                        migration.source_compute, exc)

    def _destroy_evacuated_instances(self, context):
        """At start-up: remove what servers evacuated away from here left behind."""
        try:
            migrations = objects.MigrationList.get_by_filters(
                context, {'source_compute': self.host, 'migration_type': 'evacuation',
                          'status': list(_UNFINISHED)})
        except Exception as exc:
            LOG.warning('Could not list the evacuations from %s: %s', self.host, exc)
            return
        for migration in migrations:
            try:
                self._clean_up_evacuation(context, migration)
            except Exception:
                LOG.exception('Could not clean up evacuation %s of %s', migration.uuid,
                              migration.instance_uuid)

    def _clean_up_evacuation(self, context, migration):
        try:
            instance = objects.Instance.get_by_uuid(context, migration.instance_uuid,
                                                    expected_attrs=['flavor'])
        except exception.InstanceNotFound:
            instance = None
        if instance is not None and instance.host != self.host:
            LOG.info('Removing the guest of %s, evacuated to %s', instance.uuid,
                     instance.host)
            try:
                # The ports are bound to the new host now; their devices here go.
                self.driver.destroy(context, instance, ports.cached_network_info(instance),
                                    destroy_disks=True)
            except exception.InstanceNotFound:
                pass
        if migration.status != 'done' and instance is not None:
            return  # the destination has not finished: it may still give it back
        self.reportclient.delete_allocation_for_instance(context, migration.uuid,
                                                         consumer_type='migration')
        migration.status = 'completed'
        migration.save()
