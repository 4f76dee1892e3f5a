"""The compute RPC API's live-migration methods (6.11), a mixin of
nova.compute.rpcapi.ComputeAPI (which provides ``_prepare_for``).

Checks and preparation are calls (their answer, ``migrate_data``, a dict,
travels on); running, finishing elsewhere and rolling back are casts. A
host (or an ``[upgrade_levels] compute`` pin) older than 6.11 is
ComputeServiceUnavailable.
"""

import oslo_messaging as messaging

import nova.conf
from nova import exception

CONF = nova.conf.CONF
VERSION = '6.11'


class LiveMigrationRPCMixin(object):

    def _live_call(self, ctxt, host, method, timeout=None, **kwargs):
        cctxt = self._prepare_for(ctxt, host, VERSION)
        if timeout:
            cctxt = cctxt.prepare(timeout=timeout)
        try:
            return cctxt.call(ctxt, method, **kwargs)
        except messaging.MessagingTimeout:
            raise exception.MigrationError(reason='%s on %s did not answer' % (method, host))

    def _live_cast(self, ctxt, host, method, **kwargs):
        self._prepare_for(ctxt, host, VERSION).cast(ctxt, method, **kwargs)

    def check_can_live_migrate_destination(self, ctxt, instance, destination,
                                           block_migration, disk_over_commit, migration):
        """On the destination (which asks the source): the checks' migrate_data."""
        return self._live_call(ctxt, destination, 'check_can_live_migrate_destination',
                               timeout=CONF.long_rpc_timeout, instance=instance,
                               block_migration=block_migration,
                               disk_over_commit=disk_over_commit, migration=migration)

    def check_can_live_migrate_source(self, ctxt, instance, dest_check_data):
        return self._live_call(ctxt, instance.host, 'check_can_live_migrate_source',
                               instance=instance, dest_check_data=dest_check_data)

    def live_migration(self, ctxt, instance, dest, block_migration, migration, migrate_data):
        """To the source: queue and run the migration."""
        self._live_cast(ctxt, migration.source_compute, 'live_migration', instance=instance,
                        dest=dest, block_migration=block_migration, migration=migration,
                        migrate_data=migrate_data)

    def pre_live_migration(self, ctxt, instance, block_migration, host, migrate_data):
        """To the destination: get ready to receive the guest; the updated migrate_data."""
        return self._live_call(ctxt, host, 'pre_live_migration',
                               timeout=CONF.long_rpc_timeout, instance=instance,
                               block_migration=block_migration, migrate_data=migrate_data)

    def post_live_migration_at_destination(self, ctxt, instance, block_migration, host,
                                           migration):
        """To the destination: the guest runs here now; the server names this host."""
        return self._live_call(ctxt, host, 'post_live_migration_at_destination',
                               timeout=CONF.long_rpc_timeout, instance=instance,
                               block_migration=block_migration, migration=migration)

    def rollback_live_migration_at_destination(self, ctxt, instance, host, destroy_disks,
                                               migrate_data):
        """To the destination: drop whatever pre_live_migration made."""
        self._live_cast(ctxt, host, 'rollback_live_migration_at_destination',
                        instance=instance, destroy_disks=destroy_disks,
                        migrate_data=migrate_data)

    def live_migration_force_complete(self, ctxt, instance, migration):
        self._live_cast(ctxt, migration.source_compute, 'live_migration_force_complete',
                        instance=instance)

    def live_migration_abort(self, ctxt, instance, migration_id):
        self._live_cast(ctxt, instance.host, 'live_migration_abort', instance=instance,
                        migration_id=migration_id)
