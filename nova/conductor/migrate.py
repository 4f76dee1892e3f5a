"""Conductor's resize and cold migration task (compute_task 1.1 ``resize_instance``).

A mixin of ComputeTaskManager. The first call (from the API) makes the
Migration record (``pre-migrating``), hands the server's allocation on the
source to the migration (the migration's uuid becomes the consumer) and has
the scheduler pick a destination, with alternates, claiming the new flavor
there for the server. A destination whose claim fails calls again with the
alternates left (a reschedule): the next one that still fits in Placement
gets the move. With no host left, the move is undone: the migration's
allocation goes back to the server exactly as it was and the migration is
``error``; the server keeps running where it was, with a fault saying why.
"""

from oslo_log import log as logging
from oslo_serialization import jsonutils

import nova.conf
from nova.compute import utils as compute_utils
from nova import exception
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

MIGRATE_EVENT = 'conductor_migrate_server'


def _details(exc):
    return (exc.format_message() if isinstance(exc, exception.NovaException)
            else type(exc).__name__)


class MigrateTaskOperations(object):
    """resize_instance for ComputeTaskManager (which provides the RPC clients)."""

    def resize_instance(self, context, instance, flavor, request_spec=None,
                        clean_shutdown=True, migration=None, host_list=None,
                        host_name=None):
        """Start a resize (``flavor`` differs) or cold migration, or reschedule one."""
        first = migration is None
        try:
            with compute_utils.event_reporter(context, MIGRATE_EVENT, CONF.host,
                                              instance.uuid):
                if first:
                    migration = self._new_migration(context, instance, flavor)
                    host_list = self._schedule_move(context, instance, flavor, migration,
                                                    host_name)
                else:
                    host_list = self._claim_alternate(context, instance, host_list)
        except Exception as exc:
            if not isinstance(exc, exception.NoValidHost):
                LOG.exception('Move of %s failed in conductor', instance.uuid)
            if migration is not None:
                self._abandon_move(context, instance, migration, exc)
            return
        chosen = host_list[0]
        migration.dest_compute = chosen.service_host
        migration.dest_node = chosen.nodename
        migration.save()
        spec = self._move_spec(context, instance, flavor)
        try:
            self.compute_rpcapi.prep_resize(context, instance, flavor, migration, spec,
                                            host_list, chosen.nodename,
                                            clean_shutdown=clean_shutdown)
        except Exception as exc:
            LOG.exception('Could not hand the move of %s to %s', instance.uuid,
                          chosen.service_host)
            self.reportclient.delete_allocation_for_instance(context, instance.uuid)
            self._abandon_move(context, instance, migration, exc)

    def _new_migration(self, context, instance, flavor):
        old = instance.flavor
        migration = objects.Migration(
            context, instance_uuid=instance.uuid, status='pre-migrating',
            migration_type='resize' if flavor.id != old.id else 'migration',
            source_compute=instance.host, source_node=instance.node,
            old_instance_type_id=old.id, new_instance_type_id=flavor.id,
            user_id=context.user_id, project_id=context.project_id, hidden=False)
        migration.create()
        # From here on the migration holds what the server held on the source.
        if not self.reportclient.move_allocations(context, instance.uuid, migration.uuid):
            migration.status = 'error'
            migration.save()
            raise exception.NoValidHost(reason='the allocation of the server could not be '
                                        'handed to its migration in Placement')
        return migration

    def _move_spec(self, context, instance, flavor, host_name=None):
        """The server's request spec for this move (never saved: the next move
        starts again from the server's own flavor)."""
        try:
            spec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        except exception.RequestSpecNotFound:
            spec = objects.RequestSpec.from_components(
                context, instance.uuid, None, flavor, availability_zone=None,
                project_id=instance.project_id, user_id=instance.user_id)
        spec.flavor = flavor
        spec.num_instances = 1
        spec.ensure_project_and_user_id(instance)
        same_host = flavor.id != instance.flavor.id and CONF.allow_resize_to_same_host
        spec.ignore_hosts = [] if same_host else [instance.host]
        spec.force_hosts = []
        spec.force_nodes = []
        spec.requested_destination = (objects.Destination(host=host_name)
                                      if host_name else None)
        return spec

    def _schedule_move(self, context, instance, flavor, migration, host_name):
        spec = self._move_spec(context, instance, flavor, host_name)
        host_lists = self.scheduler_rpcapi.select_destinations(
            context, spec, [instance.uuid], return_objects=True, return_alternates=True)
        return host_lists[0]

    def _claim_alternate(self, context, instance, alternates):
        """The first alternate the server's new flavor still fits on, claimed."""
        alternates = list(alternates or [])
        while alternates:
            candidate = alternates[0]
            claim = (jsonutils.loads(candidate.allocation_request)
                     if candidate.allocation_request else None)
            if claim is None or self.reportclient.claim_resources(
                    context, instance.uuid, claim, instance.project_id, instance.user_id,
                    allocation_request_version=candidate.allocation_request_version):
                return alternates
            alternates.pop(0)
        raise exception.MaxRetriesExceeded(
            reason='Exhausted all hosts available for retrying the move of instance %s.'
            % instance.uuid)

    def _abandon_move(self, context, instance, migration, exc):
        """No destination: the server keeps its source allocation, exactly."""
        LOG.info('Move of %(uuid)s given up: %(why)s',
                 {'uuid': instance.uuid, 'why': _details(exc)})
        self.reportclient.move_allocations(context, migration.uuid, instance.uuid,
                                           source_type='MIGRATION', target_type='INSTANCE')
        migration.status = 'error'
        migration.save()
        try:
            instance.refresh()
            if instance.obj_attr_is_set('old_flavor') and instance.old_flavor is not None:
                instance.flavor = instance.old_flavor
            instance.old_flavor = None
            instance.new_flavor = None
            instance.task_state = None
            instance.save()
            compute_utils.add_instance_fault_from_exc(context, instance, exc)
        except exception.InstanceNotFound:
            pass
