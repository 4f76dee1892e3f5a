"""The compute API's view of a server's in-progress live migrations (2.22-2.24, 2.65).

Listing and showing read the migrations table of the server's cell.
Forcing a live migration to complete and aborting one check what upstream
checks (the server is not locked, it is ``migrating``, the migration is
this server's and in a state that allows it), record the instance action
and cast ``live_migration_force_complete`` / ``live_migration_abort`` to
the source host, which runs the migration (nova.compute.live_migration).
"""

from nova.compute.api import actions as api_actions
from nova.compute.api import checks
from nova.compute import instance_actions
from nova.compute import task_states
from nova import exception
from nova import objects

IN_PROGRESS = ('queued', 'preparing', 'running', 'post-migrating')
LIVE = 'live-migration'


class MigrationsAPIMixin(object):
    """``nova.compute.api.API`` methods for ``/servers/{id}/migrations``."""

    def get_migrations_in_progress_by_instance(self, context, instance, migration_type=None):
        if not instance.obj_attr_is_set('id'):
            return []  # a build request has not moved anywhere
        return objects.MigrationList.get_in_progress_by_instance(
            api_actions._cell_context(context, instance), instance.uuid, migration_type)

    def get_migration_by_id_and_instance(self, context, migration_id, instance):
        """MigrationNotFoundForInstance unless the migration is this server's."""
        if not instance.obj_attr_is_set('id'):
            raise exception.MigrationNotFoundForInstance(migration_id=migration_id,
                                                         instance_id=instance.uuid)
        return objects.Migration.get_by_id_and_instance(
            api_actions._cell_context(context, instance), migration_id, instance.uuid)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=('active',),
                                 task_state=(task_states.MIGRATING,))
    def live_migrate_force_complete(self, context, instance, migration_id):
        migration = self.get_migration_by_id_and_instance(context, migration_id, instance)
        if migration.status != 'running':
            raise exception.InvalidMigrationState(
                migration_id=migration_id, instance_uuid=instance.uuid,
                state=migration.status, method='force complete')
        self._record_action_start(context, instance,
                                  instance_actions.LIVE_MIGRATION_FORCE_COMPLETE)
        self.compute_rpcapi.live_migration_force_complete(
            api_actions._cell_context(context, instance), instance, migration)

    @checks.check_instance_lock
    @checks.check_instance_state(task_state=(task_states.MIGRATING,))
    def live_migrate_abort(self, context, instance, migration_id,
                           support_abort_in_queue=False):
        migration = self.get_migration_by_id_and_instance(context, migration_id, instance)
        allowed = ('running', 'queued', 'preparing') if support_abort_in_queue \
            else ('running',)
        if migration.status not in allowed:
            raise exception.InvalidMigrationState(
                migration_id=migration_id, instance_uuid=instance.uuid,
                state=migration.status, method='abort live migration')
        self._record_action_start(context, instance, instance_actions.LIVE_MIGRATION_CANCEL)
        self.compute_rpcapi.live_migration_abort(
            api_actions._cell_context(context, instance), instance, migration.id)
