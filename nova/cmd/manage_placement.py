"""``nova-manage placement``: keep Placement's records in line with Nova's.

Exit codes follow upstream's nova-manage manual, command by command (see
each command's docstring). The healing and the audit live in
:mod:`nova.cmd.manage_heal` and :mod:`nova.cmd.manage_placement_audit`.
"""

from oslo_utils import uuidutils

from nova.cmd import manage_common as common
from nova.cmd import manage_heal
from nova.cmd import manage_placement_audit
from nova import context
from nova import exception
from nova import objects
from nova.scheduler.client import report

args = common.args

# Instances read per query when --max-count does not set the batch.
HEAL_BATCH = 50
INVALID_INPUT = 127


def _printer(verbose):
    return print if verbose else (lambda message: None)


def _provider_of_host(ctxt, host):
    """The compute node (= provider) uuid of ``host``, through its host mapping.

    Raises HostMappingNotFound, ComputeHostNotFound, or TooManyComputesForHost
    (one host, several nodes: only Ironic does that, and it has no aggregates).
    """
    mapping = objects.HostMapping.get_by_host(ctxt, host)
    with context.target_cell(ctxt, mapping.cell_mapping) as cctxt:
        nodes = objects.ComputeNodeList.get_all_by_host(cctxt, host)
    if not nodes:
        raise exception.ComputeHostNotFound(host=host)
    if len(nodes) > 1:
        raise exception.TooManyComputesForHost(num_computes=len(nodes), host=host)
    return nodes[0].uuid


class PlacementCommands:
    """Commands for managing placement resources."""

    @args('--max-count', metavar='<max_count>', dest='max_count',
          help='Maximum number of instances to process. Without it every instance is '
               'processed, %d at a time; with it, run the command again until it exits '
               'with 0 or 4.' % HEAL_BATCH)
    @args('--verbose', action='store_true', dest='verbose', default=False,
          help='Print what is done to each instance.')
    @args('--dry-run', action='store_true', dest='dry_run', default=False,
          help='Print what would be healed without changing anything (exits with 4).')
    @args('--instance', metavar='<instance_uuid>', dest='instance_uuid',
          help='Only heal this instance (--max-count then has no effect). '
               'Cannot be combined with --cell.')
    @args('--skip-port-allocations', action='store_true', dest='skip_port_allocations',
          default=False,
          help='Do not heal the allocations of ports with resource requests. Ports are '
               'never healed by this release (no Neutron integration), so this changes '
               'nothing.')
    @args('--cell', metavar='<cell_uuid>', dest='cell_uuid',
          help='Only heal instances of this cell. Cannot be combined with --instance.')
    @args('--force', action='store_true', dest='force', default=False,
          help='Rewrite the allocations of the --instance from its flavor even if it '
               'has some already.')
    def heal_allocations(self, max_count=None, verbose=False, dry_run=False,
                         instance_uuid=None, skip_port_allocations=False, cell_uuid=None,
                         force=False):
        """Create missing allocations in Placement for instances.

        Looks at the instances of every cell but cell0 that are on a host and
        not in a task state transition; one without allocations gets them
        from its flavor against its compute node, one whose allocations have
        no (or another) project/user gets the instance's.

        Returns 0 when allocations were created or updated, 1 when
        --max-count was reached (run again), 2 when an instance's compute
        node record is missing, 3 when allocations could not be read or
        written, 4 when nothing needed healing, 127 on invalid input.
        """
        output = _printer(verbose)
        if instance_uuid and cell_uuid:
            print('The --cell and --instance options are mutually exclusive.')
            return INVALID_INPUT
        if force and not instance_uuid:
            print('The --instance flag is required when using --force flag.')
            return INVALID_INPUT
        if instance_uuid:
            max_count, unlimited = 1, False
        elif max_count is not None:
            max_count, unlimited = common.positive_count(max_count), False
            if max_count is None:
                print('Must supply a positive integer for --max-count.')
                return INVALID_INPUT
        else:
            max_count, unlimited = HEAL_BATCH, True
            output('Running batches of %i until complete' % max_count)
        if not skip_port_allocations:
            output('Port allocations are not healed: this deployment has no Neutron '
                   'integration.')

        ctxt = context.get_admin_context()
        cells, error = manage_heal.cells_to_heal(ctxt, instance_uuid, cell_uuid)
        if error:
            print(error)
            return INVALID_INPUT
        if not cells:
            output('No cells to process.')
            return 4
        healer = manage_heal.AllocationHealer(report.SchedulerReportClient(), output,
                                              dry_run=dry_run, force=force)
        return manage_heal.heal(ctxt, healer, cells, max_count, unlimited, instance_uuid)

    @args('--verbose', action='store_true', dest='verbose', default=False,
          help='Print each aggregate and host as it is processed.')
    def sync_aggregates(self, verbose=False):
        """Mirror host aggregates to resource provider aggregates.

        Adds the provider of every host of a host aggregate to the Placement
        aggregate of the same uuid (memberships are never removed).

        Returns 0 on success, 1 when a host has more than one compute node,
        2 when Placement could not be read, 3 when a provider's aggregates
        could not be updated, 4 when hosts have no host mapping, 5 when hosts
        have no compute node record, 6 when a host's provider does not exist.
        """
        output = _printer(verbose)
        ctxt = context.get_admin_context()
        placement = report.SchedulerReportClient()
        output('Filling in missing placement aggregates')
        providers = {}
        unmapped, no_node, no_provider = set(), set(), {}
        for aggregate in objects.AggregateList.get_all(ctxt):
            output('Processing aggregate: %s' % aggregate.name)
            for host in aggregate.hosts or []:
                output('Processing host: %s' % host)
                if host not in providers:
                    try:
                        providers[host] = _provider_of_host(ctxt, host)
                    except exception.HostMappingNotFound:
                        unmapped.add(host)
                        continue
                    except exception.ComputeHostNotFound:
                        no_node.add(host)
                        continue
                    except exception.TooManyComputesForHost as error:
                        print(error.format_message())
                        return 1
                rp_uuid = providers[host]
                code = self._add_to_aggregate(ctxt, placement, host, rp_uuid, aggregate,
                                              no_provider)
                if code:
                    return code
                if host not in no_provider:
                    output('Successfully added host (%s) and provider (%s) to aggregate '
                           '(%s).' % (host, rp_uuid, aggregate.uuid))
        return _report_sync_problems(unmapped, no_node, no_provider)

    @staticmethod
    def _add_to_aggregate(ctxt, placement, host, rp_uuid, aggregate, no_provider):
        """0, or the exit code of a Placement failure (printed)."""
        try:
            placement.aggregate_add_host(ctxt, aggregate.uuid, rp_uuid)
            return 0
        except exception.ResourceProviderRetrievalFailed as error:
            try:
                missing = placement.get_provider(ctxt, rp_uuid) is None
            except exception.NovaException:
                missing = False
            if missing:
                no_provider[host] = rp_uuid
                return 0
            print(error.format_message())
            return 2
        except exception.PlacementAPIConnectFailure as error:
            print(error.format_message())
            return 2
        except exception.NovaException as error:
            print('Failed updating provider aggregates for host (%s), provider (%s) and '
                  'aggregate (%s). Error: %s' % (host, rp_uuid, aggregate.uuid,
                                                 error.format_message()))
            return 3

    @args('--verbose', action='store_true', dest='verbose', default=False,
          help='Print every orphaned allocation found (and deleted).')
    @args('--resource_provider', metavar='<provider_uuid>', dest='provider_uuid',
          help='Only audit this resource provider.')
    @args('--delete', action='store_true', dest='delete', default=False,
          help='Delete the orphaned allocations found.')
    def audit(self, verbose=False, provider_uuid=None, delete=False):
        """Find (and optionally delete) orphaned allocations.

        An allocation of Nova resources against a compute node's provider is
        orphaned when its consumer is neither an instance on that node nor
        an in-progress migration of it.

        Returns 0 when there is no orphan, 3 when orphans were found, 4 when
        they were all deleted, 1 when something failed, 127 on invalid input.
        """
        output = _printer(verbose)
        ctxt = context.get_admin_context()
        placement = report.SchedulerReportClient()
        if provider_uuid is not None:
            providers = []
            if uuidutils.is_uuid_like(provider_uuid):
                providers = placement.get_resource_providers(ctxt, uuid=provider_uuid)
            if not providers:
                print('Resource provider with UUID %s does not exist.' % provider_uuid)
                return INVALID_INPUT
        else:
            providers = placement.get_resource_providers(ctxt)
        auditor = manage_placement_audit.Auditor(ctxt, placement, output, delete=delete)
        return manage_placement_audit.audit(auditor, providers)

    @common.not_implemented
    def ensure_instance_has_no_vgpu_request(self, **kwargs):
        """Check that no instance requests vGPUs."""

    @common.not_implemented
    def ensure_instance_has_no_cyborg_device_profile_request(self, **kwargs):
        """Check that no instance requests a Cyborg device profile."""


def _report_sync_problems(unmapped, no_node, no_provider):
    """Print every problem sync_aggregates met; the exit code of the last one."""
    code = 0
    if unmapped:
        print('The following hosts were found in nova host aggregates but no host '
              'mappings were found in the nova API DB. Run "nova-manage cell_v2 '
              'discover_hosts" and then retry. Missing: %s' % ','.join(sorted(unmapped)))
        code = 4
    if no_node:
        print('Unable to find matching compute_nodes record entries in the cell database '
              'for the following hosts; does the nova-compute service on each host need '
              'to be restarted? Missing: %s' % ','.join(sorted(no_node)))
        code = 5
    if no_provider:
        print('Unable to find matching resource provider record in placement with uuid '
              'for the following hosts: %s. Try restarting the nova-compute service on '
              'each host and then retry.'
              % ','.join('(%s=%s)' % (host, no_provider[host]) for host in sorted(no_provider)))
        code = 6
    return code
