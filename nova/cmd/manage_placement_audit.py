"""``nova-manage placement audit``: allocations nobody owns any more.

An allocation held against a compute node's provider (or a child of it) is
an orphan when its consumer is neither an instance on that node nor an
in-progress migration from or to it: a deleted server whose allocation
survived, a migration that ended badly. Orphans make the node look fuller
than it is.
"""

from nova import context as nova_context
from nova import exception
from nova import objects

# Resource classes Nova allocates; allocations of nothing but other classes
# (shared storage, another service's) are never Nova's to judge.
NOVA_RESOURCE_CLASSES = frozenset([
    'VCPU', 'PCPU', 'MEMORY_MB', 'DISK_GB', 'VGPU', 'MEM_ENCRYPTION_CONTEXT',
    'NET_BW_EGR_KILOBIT_PER_SEC', 'NET_BW_IGR_KILOBIT_PER_SEC'])


class Auditor:
    """Finds (and with ``delete`` removes) the orphaned allocations of providers."""

    def __init__(self, ctxt, placement, output, delete=False):
        self.ctxt = ctxt
        self.placement = placement
        self.output = output
        self.delete = delete
        # compute node uuid -> (cell, host, node), or None when no cell has it.
        self._nodes = {}

    def _find_node(self, node_uuid):
        if node_uuid not in self._nodes:
            self._nodes[node_uuid] = None
            for cell in objects.CellMappingList.get_all(self.ctxt):
                if cell.is_cell0():
                    continue
                with nova_context.target_cell(self.ctxt, cell) as cctxt:
                    try:
                        node = objects.ComputeNode.get_by_uuid(cctxt, node_uuid)
                    except exception.ComputeNodeNotFound:
                        continue
                self._nodes[node_uuid] = (cell, node.host, node.hypervisor_hostname)
                break
        return self._nodes[node_uuid]

    def known_consumers(self, node_uuid):
        """Uuids of the node's instances and in-progress migrations (and theirs).

        None when no cell has a compute node with that uuid.
        """
        found = self._find_node(node_uuid)
        if found is None:
            return None
        cell, host, node = found
        with nova_context.target_cell(self.ctxt, cell) as cctxt:
            instances = objects.InstanceList.get_by_host_and_node(cctxt, host, node)
            migrations = objects.MigrationList.get_in_progress_by_host_and_node(
                cctxt, host, node)
        known = {instance.uuid for instance in instances}
        for migration in migrations:
            known.add(migration.uuid)
            # A migrating server holds the destination's resources itself.
            if migration.instance_uuid:
                known.add(migration.instance_uuid)
        return known

    def _remove(self, provider_uuid, consumer_uuid):
        """Drop the consumer's allocation against this provider only; False on failure."""
        try:
            current = self.placement.get_allocs_for_consumer(self.ctxt, consumer_uuid)
        except (exception.ConsumerAllocationRetrievalFailed,
                exception.PlacementAPIConnectFailure):
            return False
        others = {rp: {'resources': dict(alloc['resources'])}
                  for rp, alloc in current.get('allocations', {}).items()
                  if rp != provider_uuid}
        if not others:
            return self.placement.delete_allocation_for_instance(self.ctxt, consumer_uuid)
        # Resources on other providers (nested, shared) stay where they are.
        body = {'allocations': others, 'project_id': current['project_id'],
                'user_id': current['user_id'],
                'consumer_generation': current.get('consumer_generation'),
                'consumer_type': current.get('consumer_type') or 'INSTANCE'}
        try:
            return self.placement.put_allocations(self.ctxt, consumer_uuid, body)
        except exception.AllocationUpdateFailed:
            return False

    def audit_provider(self, provider):
        """(orphans found, deletions that failed) for one provider."""
        root = provider.get('root_provider_uuid') or provider['uuid']
        known = self.known_consumers(root)
        if known is None:
            # Allocations can outlive the compute service: still look at them.
            self.output('The compute node for UUID %s can not be found' % root)
            known = set()
        try:
            allocations = self.placement.get_allocations_for_resource_provider(
                self.ctxt, provider['uuid'])
        except exception.ResourceProviderAllocationRetrievalFailed:
            print('Not able to find allocations for resource provider %s.' % provider['uuid'])
            raise
        orphans = faults = 0
        for consumer_uuid, allocation in sorted(allocations.items()):
            resources = allocation['resources']
            if consumer_uuid in known or not NOVA_RESOURCE_CLASSES.intersection(resources):
                continue
            self.output('Allocations were set against consumer UUID %s but no existing '
                        'instances or active migrations are related. ' % consumer_uuid)
            if self.delete:
                if not self._remove(provider['uuid'], consumer_uuid):
                    print('Not able to delete allocations for consumer UUID %s'
                          % consumer_uuid)
                    faults += 1
                    continue
                self.output('Deleted allocations for consumer UUID %s on Resource Provider '
                            '%s: %s' % (consumer_uuid, provider['uuid'], resources))
            else:
                self.output('Allocations for consumer UUID %s on Resource Provider %s can '
                            'be deleted: %s' % (consumer_uuid, provider['uuid'], resources))
            orphans += 1
        return orphans, faults


def audit(auditor, providers):
    """Exit code: 0 no orphan, 3 orphans found, 4 orphans deleted, 1 a deletion failed."""
    orphans = 0
    for provider in providers:
        try:
            found, faults = auditor.audit_provider(provider)
        except exception.ResourceProviderAllocationRetrievalFailed:
            return 1
        orphans += found
        if faults:
            print('The Resource Provider %s had problems when deleting allocations. '
                  'Stopping now. Please fix the problem by hand and run again.'
                  % provider['uuid'])
            return 1
    if not orphans:
        return 0
    auditor.output('Processed %d allocation%s' % (orphans, 's.' if orphans > 1 else '.'))
    return 4 if auditor.delete else 3
