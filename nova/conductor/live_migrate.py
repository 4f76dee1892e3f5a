"""Conductor's live-migration task (compute_task 1.4 ``live_migrate_instance``).

A mixin of ComputeTaskManager. It makes the Migration record
(``live-migration``, ``accepted``), hands the server's allocation on the
source to the migration (the migration's uuid becomes the consumer, as
upstream), then finds a destination:

- a forced host (2.30 to 2.67 ``force``) is checked here (not the source,
  its compute service up, a compute node) and the source's resources are
  claimed on its node for the server;
- otherwise the scheduler picks (restricted to the named host when there is
  one, never the source) and claims; a destination whose own checks refuse
  (``check_can_live_migrate_destination`` on it, which asks the source too)
  loses its claim and the next pick is tried, up to
  ``[DEFAULT] live_migration_retry_count`` times.

Then the source compute is told to run the migration
(``nova.compute.live_migration``). When no destination can take the server,
everything is put back: the destination's claim goes, the migration's
allocation returns to the server exactly, the migration is ``error`` and the
server has no task; the error goes to the caller (a 400 before 2.34) and to
the instance action.
"""

from oslo_log import log as logging

import nova.conf
from nova.compute import power_state
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova import exception
from nova import objects
from nova import servicegroup

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

LIVE_MIGRATE_EVENT = 'conductor_live_migrate_instance'
# A destination refusing with one of these: try the next one.
_DESTINATION_REFUSALS = (exception.MigrationPreCheckError, exception.InvalidLocalStorage,
                         exception.InvalidSharedStorage, exception.HypervisorUnavailable,
                         exception.ComputeServiceUnavailable, exception.MigrationError)


class LiveMigrateTaskOperations(object):
    """live_migrate_instance for ComputeTaskManager (which provides the RPC clients)."""

    _servicegroup_api = None

    @property
    def servicegroup_api(self):
        if self._servicegroup_api is None:
            self._servicegroup_api = servicegroup.API()
        return self._servicegroup_api

    def live_migrate_instance(self, context, instance, host_name, block_migration,
                              disk_over_commit, force=False):
        """Check, pick and claim a destination, then have the source migrate."""
        migration = objects.Migration(
            context, instance_uuid=instance.uuid, status='accepted',
            migration_type='live-migration', source_compute=instance.host,
            source_node=instance.node, dest_compute=host_name,
            old_instance_type_id=instance.flavor.id, new_instance_type_id=instance.flavor.id,
            user_id=context.user_id, project_id=context.project_id, hidden=False)
        migration.create()
        moved = []
        try:
            with compute_utils.event_reporter(context, LIVE_MIGRATE_EVENT, CONF.host,
                                              instance.uuid):
                self._check_source(context, instance)
                if not self.reportclient.move_allocations(context, instance.uuid,
                                                          migration.uuid):
                    raise exception.MigrationPreCheckError(
                        reason='the allocation of the server could not be handed to its '
                               'migration in Placement')
                moved.append(True)
                if host_name and force:
                    dest, node, migrate_data = self._forced_destination(
                        context, instance, migration, host_name, block_migration,
                        disk_over_commit)
                else:
                    dest, node, migrate_data = self._scheduled_destination(
                        context, instance, migration, host_name, block_migration,
                        disk_over_commit)
        except Exception as exc:
            self._live_migrate_given_up(context, instance, migration, bool(moved), exc)
            raise
        migration.dest_compute = dest
        migration.dest_node = node
        migration.dest_host = migrate_data.get('dest_host')
        migration.save()
        LOG.info('Live migration %s of %s: %s -> %s', migration.uuid, instance.uuid,
                 instance.host, dest)
        self.compute_rpcapi.live_migration(context, instance, dest,
                                           migrate_data['block_migration'], migration,
                                           migrate_data)

    # --- checks -------------------------------------------------------------------------

    def _service_up(self, context, host):
        service = objects.Service.get_by_compute_host(context, host)
        if not self.servicegroup_api.service_is_up(service):
            raise exception.ComputeServiceUnavailable(host=host)

    def _check_source(self, context, instance):
        if instance.power_state not in (power_state.RUNNING, power_state.PAUSED):
            raise exception.MigrationPreCheckError(
                reason='instance %s is not running (power state %s)'
                % (instance.uuid, instance.power_state))
        self._service_up(context, instance.host)

    def _check_destination_service(self, context, instance, host):
        if host == instance.host:
            raise exception.UnableToMigrateToSelf(instance_id=instance.uuid, host=host)
        self._service_up(context, host)

    def _ask_destination(self, context, instance, dest, block_migration, disk_over_commit,
                         migration):
        """The destination's (and through it the source's) checks: migrate_data."""
        return self.compute_rpcapi.check_can_live_migrate_destination(
            context, instance, dest, block_migration, disk_over_commit, migration)

    def _forced_destination(self, context, instance, migration, host_name, block_migration,
                            disk_over_commit):
        """A forced host: checked here, the source's resources claimed on its node."""
        self._check_destination_service(context, instance, host_name)
        node = objects.ComputeNodeList.get_all_by_host(context, host_name)[0]
        source = self.reportclient.get_allocs_for_consumer(context, migration.uuid)
        resources = {}
        for alloc in (source.get('allocations') or {}).values():
            for rclass, amount in alloc['resources'].items():
                resources[rclass] = resources.get(rclass, 0) + amount
        if resources and not self.reportclient.claim_resources(
                context, instance.uuid, {'allocations': {node.uuid: {'resources': resources}}},
                instance.project_id, instance.user_id):
            raise exception.MigrationPreCheckError(
                reason='unable to claim the resources of the server on host %s' % host_name)
        migrate_data = self._ask_destination(context, instance, host_name, block_migration,
                                             disk_over_commit, migration)
        return host_name, node.hypervisor_hostname, migrate_data

    def _scheduled_destination(self, context, instance, migration, host_name,
                               block_migration, disk_over_commit):
        """The scheduler's pick (claimed), checked by the destination; next on refusal."""
        if host_name:
            self._check_destination_service(context, instance, host_name)
        refused = []
        last = None
        for _attempt in range(max(1, CONF.live_migration_retry_count)):
            spec = self._move_spec(context, instance, instance.flavor, host_name)
            spec.ignore_hosts = [instance.host] + refused
            try:
                selection = self.scheduler_rpcapi.select_destinations(
                    context, spec, [instance.uuid], return_objects=True,
                    return_alternates=False)[0][0]
            except exception.NoValidHost as exc:
                if last is not None:
                    raise exception.MigrationPreCheckError(reason=last.format_message())
                raise exc
            try:
                return (selection.service_host, selection.nodename,
                        self._ask_destination(context, instance, selection.service_host,
                                              block_migration, disk_over_commit, migration))
            except _DESTINATION_REFUSALS as exc:
                LOG.info('Destination %s refused the live migration of %s: %s',
                         selection.service_host, instance.uuid, exc.format_message())
                self.reportclient.delete_allocation_for_instance(context, instance.uuid)
                refused.append(selection.service_host)
                last = exc
                if host_name:
                    raise
        raise exception.MaxRetriesExceeded(
            reason='Exceeded max scheduling retries %d for instance %s during live migration'
            % (CONF.live_migration_retry_count, instance.uuid))

    def _live_migrate_given_up(self, context, instance, migration, moved, exc):
        """Nothing moved: the server keeps its source allocation and has no task."""
        LOG.info('Live migration of %(uuid)s given up: %(why)s',
                 {'uuid': instance.uuid, 'why': exc.format_message()
                  if isinstance(exc, exception.NovaException) else type(exc).__name__})
        if moved:
            self.reportclient.delete_allocation_for_instance(context, instance.uuid)
            self.reportclient.move_allocations(context, migration.uuid, instance.uuid,
                                               source_type='MIGRATION',
                                               target_type='INSTANCE')
        migration.status = 'error'
        migration.save()
        try:
            instance.refresh()
            if instance.task_state == task_states.MIGRATING:
                instance.task_state = None
                instance.save(expected_task_state=[task_states.MIGRATING])
        except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
            pass
