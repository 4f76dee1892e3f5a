"""Live migration for the fake driver (a mixin of nova.virt.fake.FakeDriver).

No guest moves, but every step a real driver takes is there: the
destination check decides block migration ("auto": the fake hosts share no
storage, so the disks are copied), the source adds the guest's console so
far, the destination holds a paused incoming copy from
``pre_live_migration`` on, and ``live_migration`` advances the migration's
memory (and, for a block migration, disk) progress in
``live_migration_steps`` steps of ``live_migration_step_seconds``, saving
the figures each step, so ``/servers/{id}/migrations`` shows them and an
abort or force-complete can land in the middle. Tests raise either class
attribute for a migration that runs until aborted.
"""

import threading

from oslo_utils import units

import nova.conf
from nova.compute import power_state
from nova import exception

CONF = nova.conf.CONF


class FakeLiveMigrationMixin(object):

    live_migration_steps = 10
    live_migration_step_seconds = 0.05

    def _live_controls(self):
        if not hasattr(self, '_live_control_map'):
            self._live_control_map = {}
        return self._live_control_map

    def check_can_live_migrate_destination(self, context, instance, block_migration,
                                           disk_over_commit):
        return {'block_migration': True if block_migration is None else bool(block_migration),
                'dest_host': CONF.my_ip, 'dest_node': self.nodename}

    def check_can_live_migrate_source(self, context, instance, dest_check_data):
        data = dict(dest_check_data)
        data['console'] = list(self._guest(instance).console)
        return data

    def pre_live_migration(self, context, instance, block_migration, migrate_data):
        incoming = self._guest_or_new(instance)
        incoming.state = power_state.PAUSED
        incoming.console = list(migrate_data.get('console') or [])
        return migrate_data

    def live_migration(self, context, instance, dest, block_migration, migrate_data,
                       migration):
        guest = self._guest(instance)
        abort, complete = threading.Event(), threading.Event()
        self._live_controls()[instance.uuid] = (abort, complete)
        memory = instance.flavor.memory_mb * units.Mi
        disk = instance.flavor.root_gb * units.Gi if block_migration else 0
        steps = max(1, self.live_migration_steps)
        try:
            for step in range(1, steps + 1):
                if abort.wait(self.live_migration_step_seconds):
                    guest.log('fake guest stays: live migration to %s aborted' % dest)
                    raise exception.LiveMigrationAborted(instance_uuid=instance.uuid)
                done = 1.0 if complete.is_set() else step / steps
                migration.memory_total = memory
                migration.memory_processed = int(memory * done)
                migration.memory_remaining = memory - migration.memory_processed
                migration.disk_total = disk
                migration.disk_processed = int(disk * done)
                migration.disk_remaining = disk - migration.disk_processed
                migration.save()
                if done >= 1.0:
                    break
        finally:
            self._live_controls().pop(instance.uuid, None)
        guest.log('fake guest live-migrated to %s' % dest)

    def live_migration_force_complete(self, instance):
        controls = self._live_controls().get(instance.uuid)
        if controls:
            controls[1].set()

    def live_migration_abort(self, instance):
        controls = self._live_controls().get(instance.uuid)
        if controls is None:
            raise exception.MigrationError(reason='no live migration of %s runs here'
                                           % instance.uuid)
        controls[0].set()

    def post_live_migration_at_source(self, context, instance, migrate_data):
        with self._lock:
            self.instances.pop(instance.uuid, None)

    def post_live_migration_at_destination(self, context, instance, block_migration):
        guest = self._guest_or_new(instance)
        paused = instance.obj_attr_is_set('vm_state') and instance.vm_state == 'paused'
        guest.state = power_state.PAUSED if paused else power_state.RUNNING
        guest.log('fake guest arrived by live migration on %s' % self.nodename)

    def rollback_live_migration_at_destination(self, context, instance, destroy_disks,
                                               migrate_data):
        with self._lock:
            self.instances.pop(instance.uuid, None)
