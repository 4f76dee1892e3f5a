"""``nova-manage cell_v2``: cell, host and instance mappings in the API database.

Exit codes follow the nova-manage manual of upstream Nova, command by command
(see each command's docstring).
"""

import oslo_messaging as messaging
from oslo_utils import uuidutils
from sqlalchemy.engine import url as sqla_url

from nova.cmd import manage_common as common
from nova.cmd import manage_queries as queries
import nova.conf
from nova import context
from nova.db import migration
from nova import exception
from nova import objects
from nova.objects import host_mapping as host_mapping_obj

CONF = nova.conf.CONF

args = common.args

# Project id of the placeholder mapping remembering where map_instances stopped.
MAP_INSTANCES_MARKER = 'INSTANCE_MIGRATION_MARKER'
MAP_INSTANCES_BATCH = 50


def _cell_not_found(cell_uuid):
    print('Cell with uuid %s was not found.' % cell_uuid)
    return 1


def cell0_default_connection(connection):
    """The cell0 URL: the main database URL with ``_cell0`` added to the DB name."""
    url = sqla_url.make_url(connection)
    url = url.set(database=(url.database or '') + '_cell0')
    return url.render_as_string(hide_password=False)


class CellV2Commands:
    """Commands for managing cells v2."""

    # --- validation shared by create/update/setup ---------------------------------

    def _validate_transport_url(self, transport_url, warn_about_none=True):
        if not transport_url:
            if not CONF.transport_url:
                if warn_about_none:
                    print('Must specify --transport-url if [DEFAULT]/transport_url '
                          'is not set in the configuration file.')
                return None
            print('--transport-url not provided in the command line, using the '
                  'value [DEFAULT]/transport_url from the configuration file')
            transport_url = CONF.transport_url
        expanded = objects.CellMapping._format_url(transport_url, CONF.transport_url)
        try:
            messaging.TransportURL.parse(CONF, expanded)
        except (messaging.InvalidTransportURL, ValueError) as error:
            print('Invalid transport URL: %s' % error)
            return None
        return transport_url

    def _validate_database_connection(self, database_connection, warn_about_none=True):
        if database_connection:
            return database_connection
        if not CONF.database.connection:
            if warn_about_none:
                print('Must specify --database_connection if [database]/connection '
                      'is not set in the configuration file.')
            return None
        print('--database_connection not provided in the command line, using the '
              'value [database]/connection from the configuration file')
        return CONF.database.connection

    def _in_use_by_another_cell(self, ctxt, this_cell, transport_url, database_connection):
        """True (after saying which) when another cell has the same MQ or DB URL."""
        for cell in objects.CellMappingList.get_all(ctxt):
            if this_cell is not None and cell.uuid == this_cell.uuid:
                continue
            if (cell.database_connection == database_connection
                    or cell.transport_url == transport_url):
                print('The specified transport_url and/or database_connection '
                      'combination already exists for another cell with uuid %s.'
                      % cell.uuid)
                return True
        return False

    # --- cell0 ---------------------------------------------------------------------

    def _map_cell0(self, ctxt, database_connection=None):
        """Create cell0's mapping; None (after saying so) when it already exists."""
        try:
            objects.CellMapping.get_by_uuid(ctxt, objects.CellMapping.CELL0_UUID)
        except exception.CellMappingNotFound:
            pass
        else:
            print('Cell0 is already setup')
            return None
        connection = database_connection or cell0_default_connection(
            CONF.database.connection)
        # cell0 never receives RPC, so it gets a transport that goes nowhere.
        cell0 = objects.CellMapping(ctxt, uuid=objects.CellMapping.CELL0_UUID, name='cell0',
                                    transport_url='none:///',
                                    database_connection=connection)
        cell0.create()
        return cell0

    @args('--database_connection', metavar='<database_connection>',
          help='Database URL of cell0. Defaults to [database]/connection with '
               '"_cell0" appended to the database name.')
    def map_cell0(self, database_connection=None):
        """Create the mapping of cell0, where instances that were never scheduled live.

        Returns 0 when cell0 was mapped or already was.
        """
        self._map_cell0(context.get_admin_context(), database_connection)
        return 0

    # --- whole-cell setup ------------------------------------------------------------

    @args('--transport-url', metavar='<transport_url>', dest='transport_url',
          help='The transport url for the cell message queue')
    def simple_cell_setup(self, transport_url=None):
        """Set up cell0 and one cell from this configuration, and map its hosts.

        Both databases get their schema. Returns 0 when done (or already done),
        1 when the transport URL is missing or invalid or no compute host is
        reporting yet (the cell is mapped anyway; run discover_hosts later).
        """
        transport_url = self._validate_transport_url(transport_url)
        if not transport_url:
            return 1
        ctxt = context.get_admin_context()
        self._map_cell0(ctxt)
        cell0 = objects.CellMapping.get_by_uuid(ctxt, objects.CellMapping.CELL0_UUID)
        with context.target_cell(ctxt, cell0) as cctxt:
            try:
                migration.db_sync(context=cctxt)
            except exception.NovaException as error:
                print('Unable to sync cell0 schema: %s' % error)
        migration.db_sync()
        cell_uuid = self._map_cell_and_hosts(ctxt, transport_url, name='cell1',
                                             create_without_hosts=True)
        if cell_uuid is None:
            return 1
        self.map_instances(cell_uuid)
        return 0

    def _map_cell_and_hosts(self, ctxt, transport_url, name=None, verbose=False,
                            create_without_hosts=False):
        """Map the cell of [database]/connection and its compute hosts; its uuid or None."""
        cell = None
        for candidate in objects.CellMappingList.get_all(ctxt):
            if candidate.database_connection == CONF.database.connection:
                cell = candidate
                break
        nodes = objects.ComputeNodeList.get_all(ctxt)
        if not nodes:
            if create_without_hosts and cell is None:
                cell = self._create_mapping(ctxt, name, transport_url,
                                            CONF.database.connection)
            print('No hosts found to map to cell, exiting.')
            return None
        unmapped = set()
        for node in nodes:
            try:
                mapping = objects.HostMapping.get_by_host(ctxt, node.host)
            except exception.HostMappingNotFound:
                unmapped.add(node.host)
                continue
            if verbose:
                print('Host %s is already mapped to cell %s'
                      % (mapping.host, mapping.cell_mapping.uuid))
            cell = cell or mapping.cell_mapping
        if not unmapped:
            print('All hosts are already mapped to cell(s).')
            return cell.uuid if cell else None
        if cell is None:
            cell = self._create_mapping(ctxt, name, transport_url, CONF.database.connection)
        for host in sorted(unmapped):
            objects.HostMapping(ctxt, host=host, cell_mapping=cell).create()
        if verbose:
            print(cell.uuid)
        return cell.uuid

    @staticmethod
    def _create_mapping(ctxt, name, transport_url, database_connection, disabled=False):
        cell = objects.CellMapping(ctxt, uuid=uuidutils.generate_uuid(), name=name,
                                   transport_url=transport_url,
                                   database_connection=database_connection,
                                   disabled=disabled)
        cell.create()
        return cell

    @args('--transport-url', metavar='<transport_url>', dest='transport_url',
          help='The transport url for the cell message queue')
    @args('--name', metavar='<cell_name>', help='The name of the cell')
    @args('--verbose', action='store_true',
          help='Output the cell mapping uuid for any newly mapped hosts.')
    def map_cell_and_hosts(self, transport_url=None, name=None, verbose=False):
        """Map the cell of this configuration and its compute hosts (idempotent).

        Returns 0 when done, 1 when the transport URL is missing or invalid.
        """
        transport_url = self._validate_transport_url(transport_url)
        if not transport_url:
            return 1
        self._map_cell_and_hosts(context.get_admin_context(), transport_url, name, verbose)
        return 0

    # --- instances -----------------------------------------------------------------

    def _pop_marker(self, ctxt, reset):
        markers = objects.InstanceMappingList.get_by_project_id(ctxt, MAP_INSTANCES_MARKER)
        marker = None
        for mapping in markers:
            # The marker is stored with spaces so it never equals a real uuid.
            marker = None if reset else mapping.instance_uuid.replace(' ', '-')
            mapping.destroy()
        return marker

    def _map_batch(self, ctxt, cell, limit, marker):
        """Map one batch of instances; the marker to continue from, or None when done."""
        with context.target_cell(ctxt, cell) as cctxt:
            rows = queries.instances_after(cctxt, marker, limit)
        known = {m.instance_uuid for m in objects.InstanceMappingList.get_by_instance_uuids(
            ctxt, [row.uuid for row in rows])}
        for row in rows:
            if row.uuid in known:
                continue
            objects.InstanceMapping(ctxt, instance_uuid=row.uuid, cell_mapping=cell,
                                    project_id=row.project_id, user_id=row.user_id).create()
        if len(rows) < limit:
            return None
        return rows[-1].uuid

    @args('--cell_uuid', metavar='<cell_uuid>', dest='cell_uuid', required=True,
          help='Unmapped instances of this cell get mapped to it.')
    @args('--max-count', metavar='<max_count>', dest='max_count',
          help='Map at most this many instances in this run (default: all, in '
               'batches of 50). Run again until it exits with 0.')
    @args('--reset', action='store_true', dest='reset_marker',
          help='Start from the first instance instead of where the last run stopped')
    def map_instances(self, cell_uuid, max_count=None, reset_marker=False):
        """Map the instances of a cell, oldest first, resuming where the last run stopped.

        Returns 0 when all are mapped, 1 when some remain, 127 for a bad --max-count.
        """
        if max_count is not None:
            batch, map_all = common.positive_count(max_count), False
            if batch is None:
                print('Must supply a positive value for max-count')
                return 127
        else:
            batch, map_all = MAP_INSTANCES_BATCH, True
        ctxt = context.get_admin_context()
        try:
            cell = objects.CellMapping.get_by_uuid(ctxt, cell_uuid)
        except exception.CellMappingNotFound:
            print('Cell with uuid %s was not found.' % cell_uuid)
            return 255
        marker = self._pop_marker(ctxt, reset_marker)
        while True:
            marker = self._map_batch(ctxt, cell, batch, marker)
            if marker is None or not map_all:
                break
        if marker is None:
            return 0
        objects.InstanceMapping(ctxt, instance_uuid=marker.replace('-', ' '),
                                project_id=MAP_INSTANCES_MARKER,
                                user_id=MAP_INSTANCES_MARKER).create()
        return 1

    @args('--uuid', metavar='<instance_uuid>', dest='uuid', required=True,
          help='The instance UUID to verify')
    @args('--quiet', action='store_true', dest='quiet', help='Do not print anything')
    def verify_instance(self, uuid, quiet=False):
        """Check that an instance is mapped to a cell that holds it.

        Returns 0 when mapped, 1 when there is no mapping, 2 when the mapping has
        no cell, 3 when the instance is deleted but still mapped, 4 when it was
        archived but is still mapped.
        """
        def say(text):
            if not quiet:
                print(text)

        ctxt = context.get_admin_context()
        try:
            mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, uuid)
        except exception.InstanceMappingNotFound:
            say('Instance %s is not mapped to a cell (upgrade is incomplete) '
                'or instance does not exist' % uuid)
            return 1
        if mapping.cell_mapping is None:
            say('Instance %s is not mapped to a cell' % uuid)
            return 2
        with context.target_cell(ctxt, mapping.cell_mapping) as cctxt:
            row = queries.instance_by_uuid(cctxt, uuid)
        if row is None:
            say('The instance with uuid %s has been archived.' % uuid)
            say('However its instance_mapping remains.')
            return 4
        if row.deleted:
            say('The instance with uuid %s has been deleted.' % uuid)
            say('Execute `nova-manage db archive_deleted_rows` command to archive '
                'this deleted instance and remove its instance_mapping.')
            return 3
        say('Instance %s is in cell: %s (%s)'
            % (uuid, mapping.cell_mapping.name, mapping.cell_mapping.uuid))
        return 0

    # --- hosts ---------------------------------------------------------------------

    @args('--cell_uuid', metavar='<cell_uuid>', dest='cell_uuid',
          help='Only look for new hosts in this cell.')
    @args('--verbose', action='store_true',
          help='Provide detailed output when discovering hosts.')
    @args('--strict', action='store_true',
          help='Exit with 0 only when an unmapped host was found and mapped.')
    @args('--by-service', action='store_true', dest='by_service',
          help='Discover hosts by nova-compute service instead of compute node')
    def discover_hosts(self, cell_uuid=None, verbose=False, strict=False, by_service=False):
        """Map the compute hosts of every cell (or one) that have no host mapping yet.

        Returns 0 on success (with --strict: only when a host was mapped), 1 when
        --strict found nothing or an error occurred, 2 on a duplicate host mapping
        (another discovery ran at the same time; safe to retry).
        """
        def status(message):
            if verbose:
                print(message)

        ctxt = context.get_admin_context()
        try:
            added = host_mapping_obj.discover_hosts(ctxt, cell_uuid, status, by_service)
        except exception.HostMappingExists as error:
            print('ERROR: Duplicate host mapping was encountered. Run this command '
                  'once, after all compute hosts are deployed, never in parallel. '
                  'Error: %s' % error)
            return 2
        except exception.CellMappingNotFound:
            return _cell_not_found(cell_uuid)
        if strict:
            return 0 if added else 1
        return 0

    @args('--cell_uuid', metavar='<cell_uuid>', dest='cell_uuid', help='The uuid of the cell.')
    def list_hosts(self, cell_uuid=None):
        """List the hosts of one or all cells.

        Returns 1 when the cell is not found, else 0.
        """
        ctxt = context.get_admin_context()
        if cell_uuid:
            try:
                cell = objects.CellMapping.get_by_uuid(ctxt, cell_uuid)
            except exception.CellMappingNotFound:
                return _cell_not_found(cell_uuid)
            mappings = objects.HostMappingList.get_by_cell_id(ctxt, cell.id)
        else:
            mappings = objects.HostMappingList.get_all(ctxt)
        rows = [(m.cell_mapping.name, m.cell_mapping.uuid, m.host)
                for m in sorted(mappings, key=lambda m: m.host)]
        print(common.table(['Cell Name', 'Cell UUID', 'Hostname'], rows))
        return 0

    @args('--cell_uuid', metavar='<cell_uuid>', dest='cell_uuid', required=True,
          help='The uuid of the cell.')
    @args('--host', metavar='<host>', dest='host', required=True, help='The host to delete.')
    def delete_host(self, cell_uuid, host):
        """Delete the mapping of an empty host.

        Returns 0 when deleted, 1 unknown cell, 2 unknown host, 3 host not in that
        cell, 4 host still has instances.
        """
        ctxt = context.get_admin_context()
        try:
            cell = objects.CellMapping.get_by_uuid(ctxt, cell_uuid)
        except exception.CellMappingNotFound:
            return _cell_not_found(cell_uuid)
        try:
            mapping = objects.HostMapping.get_by_host(ctxt, host)
        except exception.HostMappingNotFound:
            print('The host %s was not found.' % host)
            return 2
        if mapping.cell_mapping.uuid != cell.uuid:
            print('The host %s was not found in the cell %s.' % (host, cell_uuid))
            return 3
        with context.target_cell(ctxt, cell) as cctxt:
            busy = queries.count_live_instances(cctxt, host=host)
            try:
                nodes = objects.ComputeNodeList.get_all_by_host(cctxt, host)
            except exception.ComputeHostNotFound:
                nodes = []
            if busy:
                print('There are instances on the host %s.' % host)
                return 4
            for node in nodes:
                node.mapped = 0
                node.save()
        mapping.destroy()
        return 0

    # --- cells ---------------------------------------------------------------------

    @common.action_description(
        'Add a new cell to the nova API database. Database and message queue '
        'URLs come from the options or from the configuration file.')
    @args('--name', metavar='<cell_name>', help='The name of the cell')
    @args('--database_connection', metavar='<database_connection>',
          dest='database_connection', help='The database url for the cell database')
    @args('--transport-url', metavar='<transport_url>', dest='transport_url',
          help='The transport url for the cell message queue')
    @args('--verbose', action='store_true', help='Output the uuid of the created cell')
    @args('--disabled', action='store_true', help='Create the cell disabled for scheduling')
    def create_cell(self, name=None, database_connection=None, transport_url=None,
                    verbose=False, disabled=False):
        """Create a cell mapping.

        Returns 0 when created, 1 when the transport URL or database connection is
        missing or invalid, 2 when another cell already uses either of them.
        """
        ctxt = context.get_admin_context()
        transport_url = self._validate_transport_url(transport_url)
        if not transport_url:
            return 1
        database_connection = self._validate_database_connection(database_connection)
        if not database_connection:
            return 1
        if self._in_use_by_another_cell(ctxt, None, transport_url, database_connection):
            return 2
        cell = self._create_mapping(ctxt, name, transport_url, database_connection, disabled)
        if verbose:
            print(cell.uuid)
        return 0

    @args('--verbose', action='store_true', help='Show sensitive details, such as passwords')
    def list_cells(self, verbose=False):
        """List the cells: name, uuid, transport URL, database connection, disabled.

        Passwords in URLs are masked unless --verbose is given.
        """
        cells = objects.CellMappingList.get_all(context.get_admin_context())
        rows = []
        for cell in sorted(cells, key=lambda c: c.name or ''):
            if verbose:
                urls = [cell.transport_url, cell.database_connection]
            else:
                urls = [common.mask_password(cell.transport_url),
                        common.mask_password(cell.database_connection)]
            rows.append([cell.name or '', cell.uuid] + urls + [cell.disabled])
        print(common.table(
            ['Name', 'UUID', 'Transport URL', 'Database Connection', 'Disabled'], rows))
        return 0

    @args('--force', action='store_true', default=False,
          help='Delete the hosts and instance mappings of the cell as well.')
    @args('--cell_uuid', metavar='<cell_uuid>', dest='cell_uuid', required=True,
          help='The uuid of the cell to delete.')
    def delete_cell(self, cell_uuid, force=False):
        """Delete a cell mapping.

        Returns 0 when deleted, 1 unknown cell, 2 hosts mapped (without --force),
        3 live instances in the cell, 4 only deleted instances still mapped
        (without --force).
        """
        ctxt = context.get_admin_context()
        try:
            cell = objects.CellMapping.get_by_uuid(ctxt, cell_uuid)
        except exception.CellMappingNotFound:
            return _cell_not_found(cell_uuid)
        hosts = objects.HostMappingList.get_by_cell_id(ctxt, cell.id)
        nodes = []
        if hosts:
            if not force:
                print('There are existing hosts mapped to cell with uuid %s.' % cell_uuid)
                return 2
            with context.target_cell(ctxt, cell) as cctxt:
                nodes = objects.ComputeNodeList.get_all(cctxt)
        instance_mappings = objects.InstanceMappingList.get_by_cell_id(ctxt, cell.id)
        if instance_mappings:
            with context.target_cell(ctxt, cell) as cctxt:
                live = queries.count_live_instances(cctxt)
            if live:
                print('There are existing instances mapped to cell with uuid %s.'
                      % cell_uuid)
                return 3
            if not force:
                print('There are instance mappings to cell with uuid %s, but all '
                      'instances have been deleted in the cell.' % cell_uuid)
                print("So execute 'nova-manage db archive_deleted_rows' to delete "
                      "the instance mappings.")
                return 4
        for mapping in instance_mappings:
            mapping.destroy()
        if nodes:
            with context.target_cell(ctxt, cell) as cctxt:
                for node in nodes:
                    node._context = cctxt
                    node.mapped = 0
                    node.save()
        for host in hosts:
            host.destroy()
        cell.destroy()
        return 0

    @args('--cell_uuid', metavar='<cell_uuid>', dest='cell_uuid', required=True,
          help='The uuid of the cell to update.')
    @args('--name', metavar='<cell_name>', dest='name', help='Set the cell name.')
    @args('--transport-url', metavar='<transport_url>', dest='transport_url',
          help='Set the cell transport_url; running services only see it after a restart.')
    @args('--database_connection', metavar='<database_connection>', dest='db_connection',
          help='Set the cell database_connection; running services only see it after '
               'a restart.')
    @args('--disable', action='store_true', dest='disable',
          help='Disable the cell: the scheduler stops picking it after a SIGHUP.')
    @args('--enable', action='store_true', dest='enable',
          help='Enable the cell: the scheduler uses it again after a SIGHUP.')
    def update_cell(self, cell_uuid, name=None, transport_url=None, db_connection=None,
                    disable=False, enable=False):
        """Update a cell mapping.

        Returns 0 on success, 1 unknown cell, 2 the change could not be saved,
        3 another cell uses the URLs, 4 --disable with --enable, 5 cell0 toggled.
        """
        ctxt = context.get_admin_context()
        try:
            cell = objects.CellMapping.get_by_uuid(ctxt, cell_uuid)
        except exception.CellMappingNotFound:
            return _cell_not_found(cell_uuid)
        if name:
            cell.name = name
        transport_url = self._validate_transport_url(transport_url, warn_about_none=False)
        db_connection = self._validate_database_connection(db_connection,
                                                           warn_about_none=False)
        if self._in_use_by_another_cell(ctxt, cell, transport_url, db_connection):
            return 3
        if transport_url:
            cell.transport_url = transport_url
        if db_connection:
            cell.database_connection = db_connection
        if disable and enable:
            print('Cell cannot be disabled and enabled at the same time.')
            return 4
        if disable or enable:
            if cell.is_cell0():
                print('Cell0 cannot be disabled.')
                return 5
            if disable == cell.disabled:
                print('Cell %s is already %s' % (cell_uuid, 'disabled' if disable
                                                 else 'enabled'))
            cell.disabled = bool(disable)
        try:
            cell.save()
        except Exception as error:  # noqa: BLE001 - reported as documented code 2
            print('Unable to update CellMapping: %s' % error)
            return 2
        return 0

