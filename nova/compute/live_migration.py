"""The compute manager's live migration (RPC 6.11).

A mixin of ComputeManager. Conductor has made the Migration record
(``live-migration``), handed the server's allocation on the source to the
migration and claimed the server's resources on the destination; the
checks ran on both hosts (``check_can_live_migrate_destination`` on the
destination, which asks the source with ``check_can_live_migrate_source``),
and their answer, ``migrate_data`` (a dict the driver fills in), travels on.

On the source, ``live_migration`` queues the migration (``queued``; at most
``[DEFAULT] max_concurrent_live_migrations`` run at once, 0 for no limit).
Its turn: ``preparing`` while the destination gets ready
(``pre_live_migration``: claimed on its books, an inactive binding there for
each port when Neutron has ``binding-extended``, disks and guest prepared),
``running`` while the driver moves the guest (updating the migration's
memory and disk progress), then:

- done: the source drops its copy, the destination adopts the server
  (``post_live_migration_at_destination``: its port bindings become the
  active ones, or the ports' host is updated without the extension; the
  server names that host), the migration's allocation on the source goes,
  ``completed``;
- failed or aborted (2.24 ``DELETE``): the guest still runs on the source;
  the destination drops what it prepared (its port bindings too), the
  destination's claim goes and the migration's allocation returns to the
  server exactly; ``error`` (or ``cancelled``), the server has no task and
  stays where it was.

2.22 ``force_complete`` asks the driver to finish now (post-copy where
allowed, else pausing the guest).
"""

import concurrent.futures

from oslo_log import log as logging

import nova.conf
from nova.compute import operations
from nova.compute import ports
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova import exception
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# How many migrations may run at once when the option says "no limit".
_UNLIMITED = 64


def _details(exc):
    return (exc.format_message() if isinstance(exc, exception.NovaException)
            else '%s: %s' % (type(exc).__name__, exc))


class LiveMigrationOperations(operations.InstanceOperations):
    """check_can_live_migrate_* .. rollback_live_migration_at_destination."""

    def _init_live_migrations(self):
        workers = CONF.max_concurrent_live_migrations or _UNLIMITED
        self._live_executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix='live-migration')
        self._live_queued = {}  # migration id -> future, until it starts

    def _notify(self, context, instance, action, phase, exc=None):
        compute_utils.notify_about_instance_action(context, instance, self.host,
                                                   action=action, phase=phase,
                                                   exception=exc)

    # --- checks: destination, then source ------------------------------------------

    def check_can_live_migrate_destination(self, context, instance, block_migration,
                                           disk_over_commit, migration):
        with compute_utils.event_reporter(context, 'compute_check_can_live_migrate_'
                                          'destination', self.host, instance.uuid):
            data = self.driver.check_can_live_migrate_destination(
                context, instance, block_migration, disk_over_commit)
            try:
                data = self.compute_rpcapi.check_can_live_migrate_source(context, instance,
                                                                         data)
            finally:
                self.driver.cleanup_live_migration_destination_check(context, data)
            data.setdefault('dest_host', CONF.my_ip)
            return data

    def check_can_live_migrate_source(self, context, instance, dest_check_data):
        with compute_utils.event_reporter(context, 'compute_check_can_live_migrate_source',
                                          self.host, instance.uuid):
            return self.driver.check_can_live_migrate_source(context, instance,
                                                             dest_check_data)

    # --- source: queue, prepare, run ---------------------------------------------------

    def live_migration(self, context, instance, dest, block_migration, migration,
                       migrate_data):
        migration.status = 'queued'
        migration.save()
        self._live_queued[migration.id] = self._live_executor.submit(
            self._do_live_migration, context, instance, dest, block_migration, migration,
            migrate_data)

    def _do_live_migration(self, context, instance, dest, block_migration, migration,
                           migrate_data):
        self._live_queued.pop(migration.id, None)
        if objects.Migration.get_by_id(context, migration.id).status != 'queued':
            return  # aborted while it waited
        with self._instance_lock(instance.uuid):
            prepared = []
            try:
                with compute_utils.event_reporter(context, 'compute_live_migration',
                                                  self.host, instance.uuid):
                    migration.status = 'preparing'
                    migration.save()
                    migrate_data = self.compute_rpcapi.pre_live_migration(
                        context, instance, block_migration, dest, migrate_data)
                    prepared.append(True)
                    migration.status = 'running'
                    migration.save()
                    self._notify(context, instance, 'live_migration', 'start')
                    self.driver.live_migration(context, instance, dest, block_migration,
                                               migrate_data, migration)
            except Exception as exc:
                aborted = isinstance(exc, exception.LiveMigrationAborted)
                if not aborted:
                    LOG.exception('Live migration of %s to %s failed', instance.uuid, dest)
                self._rollback_live_migration(
                    context, instance, dest, migration, migrate_data, bool(prepared),
                    'cancelled' if aborted else 'error', None if aborted else exc)
                return
            self._post_live_migration(context, instance, dest, block_migration, migration,
                                      migrate_data)

    def _post_live_migration(self, context, instance, dest, block_migration, migration,
                             migrate_data):
        """The guest runs on ``dest``: hand the server over, free the source."""
        self._notify(context, instance, 'live_migration_post', 'start')
        try:
            self.driver.post_live_migration_at_source(context, instance, migrate_data)
        except Exception:
            LOG.exception('Cleaning up the source copy of %s failed', instance.uuid)
        self.compute_rpcapi.post_live_migration_at_destination(context, instance,
                                                               block_migration, dest,
                                                               migration)
        self.reportclient.delete_allocation_for_instance(context, migration.uuid,
                                                         consumer_type='migration')
        self.rt.drop_move_claim(context, instance.uuid)
        migration.status = 'completed'
        migration.save()
        self._notify(context, instance, 'live_migration_post', 'end')
        LOG.info('Live migration of %s to %s completed', instance.uuid, dest)

    def _rollback_live_migration(self, context, instance, dest, migration, migrate_data,
                                 prepared, status, exc=None):
        """The guest stays here, running; everything else goes back as it was."""
        self._notify(context, instance, 'live_migration_rollback', 'start')
        try:
            self.driver.rollback_live_migration_at_source(context, instance, migrate_data)
        except Exception:
            LOG.exception('Rolling back the source side of %s failed', instance.uuid)
        dest_cleaned = False
        if prepared and dest:
            try:
                self.compute_rpcapi.rollback_live_migration_at_destination(
                    context, instance, dest, True, migrate_data)
                dest_cleaned = True
            except Exception:
                LOG.exception('Could not ask %s to drop what it prepared for %s', dest,
                              instance.uuid)
        if not dest_cleaned:
            # The destination may have bound the ports before it failed or went
            # silent: its bindings go from here.
            ports.drop_live_migration_bindings(context, instance, dest)
        # One atomic move: the migration's hold on the source replaces the
        # destination's claim, so the server holds exactly what it held before.
        self.reportclient.move_allocations(context, migration.uuid, instance.uuid,
                                           source_type='MIGRATION', target_type='INSTANCE')
        migration.status = status
        migration.save()
        if exc is not None:
            compute_utils.add_instance_fault_from_exc(context, instance, exc, host=self.host)
        try:
            instance.refresh()
            instance.power_state = self._get_power_state(instance)
            instance.task_state = None
            instance.save(expected_task_state=[task_states.MIGRATING])
        except (exception.InstanceNotFound, exception.UnexpectedTaskStateError) as err:
            LOG.info('Live migration rollback of %s: %s', instance.uuid, err)
        self._notify(context, instance, 'live_migration_rollback', 'end')

    # --- destination ---------------------------------------------------------------

    def pre_live_migration(self, context, instance, block_migration, migrate_data):
        self._notify(context, instance, 'live_migration_pre', 'start')
        with compute_utils.event_reporter(context, 'compute_pre_live_migration', self.host,
                                          instance.uuid):
            node = self.driver.get_available_nodes()[0]
            self.rt.move_claim(context, instance.uuid, instance.flavor, node)
            bound = []
            try:
                bound = ports.bind_for_live_migration(context, instance, self.host)
                migrate_data = self.driver.pre_live_migration(context, instance,
                                                              block_migration, migrate_data)
            except Exception:
                if bound:
                    ports.drop_live_migration_bindings(context, instance, self.host)
                self.rt.drop_move_claim(context, instance.uuid)
                raise
        self._notify(context, instance, 'live_migration_pre', 'end')
        return migrate_data

    def post_live_migration_at_destination(self, context, instance, block_migration,
                                           migration):
        self._notify(context, instance, 'live_migration_post_dest', 'start')
        with compute_utils.event_reporter(context, 'compute_post_live_migration_at_'
                                          'destination', self.host, instance.uuid):
            ports.activate_live_migration(context, instance, self.host,
                                          migration.source_compute)
            self.driver.post_live_migration_at_destination(context, instance,
                                                           block_migration)
            node = migration.dest_node or self.driver.get_available_nodes()[0]
            instance.host = self.host
            instance.node = node
            record = self.rt.compute_nodes.get(node)
            if record is not None and 'compute_id' in instance.fields:
                instance.compute_id = record.id
            instance.power_state = self._get_power_state(instance)
            instance.task_state = None
            instance.progress = 0
            instance.save(expected_task_state=[task_states.MIGRATING])
            self.rt.track_instance(context, instance, node)
        self._notify(context, instance, 'live_migration_post_dest', 'end')

    def rollback_live_migration_at_destination(self, context, instance, destroy_disks,
                                               migrate_data):
        self._notify(context, instance, 'live_migration_rollback_dest', 'start')
        try:
            self.driver.rollback_live_migration_at_destination(context, instance,
                                                               destroy_disks, migrate_data)
        finally:
            ports.drop_live_migration_bindings(context, instance, self.host)
            self.rt.drop_move_claim(context, instance.uuid)
        self._notify(context, instance, 'live_migration_rollback_dest', 'end')

    # --- while it runs (source) ----------------------------------------------------------

    def live_migration_force_complete(self, context, instance):
        with compute_utils.event_reporter(context, 'compute_live_migration_force_complete',
                                          self.host, instance.uuid):
            self._notify(context, instance, 'live_migration_force_complete', 'start')
            self.driver.live_migration_force_complete(instance)
            self._notify(context, instance, 'live_migration_force_complete', 'end')

    def live_migration_abort(self, context, instance, migration_id):
        with compute_utils.event_reporter(context, 'compute_live_migration_abort', self.host,
                                          instance.uuid):
            self._notify(context, instance, 'live_migration_abort', 'start')
            future = self._live_queued.pop(migration_id, None)
            if future is not None and future.cancel():
                # It never started: nothing was prepared on the destination.
                migration = objects.Migration.get_by_id(context, migration_id)
                self._rollback_live_migration(context, instance, migration.dest_compute,
                                              migration, None, False, 'cancelled')
            else:
                self.driver.live_migration_abort(instance)
            self._notify(context, instance, 'live_migration_abort', 'end')

    # --- start-up ------------------------------------------------------------------------

    def _hand_over_landed_guest(self, context, instance, migration):
        """A migration the hypervisor finished while nova-compute was down: the
        destination takes the server as after a normal end; True when it did."""
        if migration.status != 'running' or not migration.dest_compute or \
                instance.host != self.host or \
                instance.task_state != task_states.MIGRATING:
            return False
        try:
            if not self.driver.live_migration_left_host(instance):
                return False
            LOG.warning('The guest of %s left for %s while nova-compute was down; '
                        'completing the live migration', instance.uuid,
                        migration.dest_compute)
            self.compute_rpcapi.post_live_migration_at_destination(
                context, instance, False, migration.dest_compute, migration)
        except Exception:
            LOG.exception('Could not hand %s over to %s; rolling the migration back',
                          instance.uuid, migration.dest_compute)
            return False
        self.reportclient.delete_allocation_for_instance(context, migration.uuid,
                                                         consumer_type='migration')
        migration.status = 'completed'
        migration.save()
        return True

    def _reconcile_interrupted_live_migrations(self, context):
        """Migrations this host was running when it stopped: the guest is where the
        driver has it; the migration is ``error`` and the server gets no task."""
        try:
            migrations = objects.MigrationList.get_by_filters(
                context, {'source_compute': self.host, 'migration_type': 'live-migration',
                          'status': ['queued', 'preparing', 'running', 'accepted']})
        except Exception as exc:
            LOG.warning('Could not list interrupted live migrations: %s', exc)
            return
        for migration in migrations:
            try:
                instance = objects.Instance.get_by_uuid(context, migration.instance_uuid)
            except exception.InstanceNotFound:
                continue
            LOG.info('Live migration %s of %s was interrupted by a restart', migration.uuid,
                     instance.uuid)
            if self._hand_over_landed_guest(context, instance, migration):
                continue
            self.reportclient.move_allocations(context, migration.uuid, instance.uuid,
                                               source_type='MIGRATION',
                                               target_type='INSTANCE')
            ports.drop_live_migration_bindings(context, instance, migration.dest_compute)
            migration.status = 'error'
            migration.save()
            if instance.host == self.host and instance.task_state == task_states.MIGRATING:
                instance.task_state = None
                instance.save()
