"""``nova-manage db`` and ``nova-manage api_db``: schema versions and upkeep."""

from nova.cmd import manage_archive
from nova.cmd import manage_common as common
from nova import context
from nova.db import migration
from nova import exception
from nova import objects

args = common.args


class ApiDbCommands:
    """Commands for managing the API database."""

    @args('version', metavar='VERSION', nargs='?', help='Database version')
    def sync(self, version=None):
        """Upgrade the API database schema to the latest (or the given) version."""
        migration.db_sync(version, database='api')
        return 0

    def version(self):
        """Print the current API database version."""
        print(migration.db_version(database='api'))
        return 0


class DbCommands:
    """Commands for managing the main (cell) database."""

    @args('--local_cell', action='store_true',
          help='Only sync the database of the local cell; do not also sync cell0')
    @args('version', metavar='VERSION', nargs='?', help='Database version')
    def sync(self, version=None, local_cell=False):
        """Upgrade the main database schema (and cell0's, when mapped).

        Returns 0 when synced, 1 when cell0 is mapped but cannot be accessed.
        """
        if not local_cell:
            ctxt = context.get_admin_context()
            try:
                cell0 = objects.CellMapping.get_by_uuid(ctxt, objects.CellMapping.CELL0_UUID)
                with context.target_cell(ctxt, cell0) as cctxt:
                    migration.db_sync(version, context=cctxt)
            except exception.CellMappingNotFound:
                print('WARNING: cell0 mapping not found - not syncing cell0.')
            except Exception as error:  # noqa: BLE001 - any failure means cell0 is unusable
                print('ERROR: Could not access cell0 (is the API database synced, '
                      "cell0 mapped with 'nova-manage cell_v2 map_cell0' and its "
                      'database created?): %s' % _first_line(error))
                return 1
        migration.db_sync(version)
        return 0

    def version(self):
        """Print the current main database version."""
        print(migration.db_version())
        return 0

    archive_deleted_rows = manage_archive.archive_deleted_rows

    @args('--before', metavar='<before>', help='Only purge rows deleted before this date')
    @args('--all', dest='purge_all', action='store_true', help='Purge all rows')
    @args('--verbose', action='store_true', help='Print information about purged records')
    @args('--all-cells', dest='all_cells', action='store_true',
          help='Run against all cell databases')
    @common.not_implemented
    def purge(self, **kwargs):
        """Delete rows from the shadow tables."""

    @args('--max-count', metavar='<number>', dest='max_count',
          help='Maximum number of objects to migrate')
    @common.not_implemented
    def online_data_migrations(self, **kwargs):
        """Run the online data migrations."""

    @args('--ironic-node-uuid', metavar='<uuid>', dest='compute_node_uuid',
          help='UUID of the Ironic node to move')
    @args('--destination-host', metavar='<host>', dest='destination_service_host',
          help='Host of the nova-compute service to move the node to')
    @common.not_implemented
    def ironic_compute_node_move(self, **kwargs):
        """Move an Ironic node to another nova-compute service."""


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
