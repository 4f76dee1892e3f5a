"""``nova-manage placement heal_allocations``: give instances their Placement allocations back.

An instance on a host whose allocations are missing (or whose consumer has the
wrong project/user) makes Placement believe the host is emptier than it is.
The healer rebuilds the allocation from the instance's embedded flavor against
the provider of the compute node it runs on.

There is no Neutron integration here, so ports never carry resource requests:
port allocations are never healed, with or without ``--skip-port-allocations``.
"""

from oslo_serialization import jsonutils

from nova import context as nova_context
from nova import exception
from nova import objects
from nova.scheduler import utils as scheduler_utils

CREATE = 'create'
UPDATE = 'update'
# Consumer type Placement (>= 1.38) records for the allocations of a server.
INSTANCE_CONSUMER = 'INSTANCE'


def flavor_resources(instance):
    """``{resource class: amount}`` the instance's flavor asks of its compute node.

    Extra specs (``resources:VCPU=0``, custom classes) count as at scheduling
    time; a server booted from a volume (no image) takes no DISK_GB for its root.
    """
    spec = objects.RequestSpec(flavor=instance.flavor, is_bfv=not instance.image_ref)
    request = scheduler_utils.resources_from_request_spec(spec)
    return {rc: amount for rc, amount in request.merged_resources().items() if amount}


class AllocationHealer:
    """Heals instances one by one; ``output`` receives the verbose messages."""

    def __init__(self, placement, output, dry_run=False, force=False):
        self.placement = placement
        self.output = output
        self.dry_run = dry_run
        self.force = force
        # (host, node) -> compute node uuid, so a cell's nodes are read once.
        self._node_uuids = {}

    def _compute_node_uuid(self, cctxt, instance):
        """Provider uuid of the instance's node; ComputeHostNotFound when it has none."""
        key = (instance.host, instance.node)
        if key not in self._node_uuids:
            node = objects.ComputeNode.get_by_host_and_nodename(
                cctxt, instance.host, instance.node)
            self._node_uuids[key] = node.uuid
        return self._node_uuids[key]

    def _from_flavor(self, cctxt, instance):
        provider = self._compute_node_uuid(cctxt, instance)
        return {'allocations': {provider: {'resources': flavor_resources(instance)}},
                'project_id': instance.project_id, 'user_id': instance.user_id,
                'consumer_generation': None, 'consumer_type': INSTANCE_CONSUMER}

    def _current(self, cctxt, instance):
        try:
            return self.placement.get_allocs_for_consumer(cctxt, instance.uuid)
        except (exception.ConsumerAllocationRetrievalFailed,
                exception.PlacementAPIConnectFailure) as error:
            raise exception.AllocationUpdateFailed(
                consumer_uuid=instance.uuid,
                error='Allocation retrieval failed: %s' % error.format_message())

    def heal_instance(self, cctxt, instance):
        """True when allocations were created or updated for ``instance``."""
        if instance.task_state is not None:
            self.output('Instance %(instance)s is undergoing a task state transition: '
                        '%(task_state)s' % {'instance': instance.uuid,
                                            'task_state': instance.task_state})
            return False
        if instance.node is None:
            self.output('Instance %s is not on a host.' % instance.uuid)
            return False

        current = self._current(cctxt, instance)
        action = None
        body = _put_body(current)
        if not current.get('allocations'):
            action = CREATE
            body = self._from_flavor(cctxt, instance)
        if (body.get('project_id') != instance.project_id
                or body.get('user_id') != instance.user_id):
            # Allocations written before Placement knew consumers' owners.
            action = UPDATE
            body['project_id'] = instance.project_id
            body['user_id'] = instance.user_id
        if self.force:
            self.output('Force flag passed for instance %s' % instance.uuid)
            action = UPDATE
            generation = current.get('consumer_generation')
            body = self._from_flavor(cctxt, instance)
            body['consumer_generation'] = generation

        if action is None:
            self.output('The allocation of instance %s is up-to-date. Nothing to be healed.'
                        % instance.uuid)
            return False
        if self.dry_run:
            self.output('[dry-run] %s allocations for instance %s: %s'
                        % ('Create' if action == CREATE else 'Update', instance.uuid,
                           jsonutils.dumps(body)))
            return False
        if not self.placement.put_allocations(cctxt, instance.uuid, body):
            if action == CREATE:
                raise exception.AllocationCreateFailed(
                    instance=instance.uuid, provider=', '.join(body['allocations']))
            raise exception.AllocationUpdateFailed(consumer_uuid=instance.uuid, error='')
        self.output('Successfully %s allocations for instance %s.'
                    % ('created' if action == CREATE else 'updated', instance.uuid))
        return True

    def heal_cell(self, cctxt, batch, unlimited, instance_uuid=None):
        """Instances healed in one cell: all of them, or until ``batch`` were healed.

        Instances are read oldest first, ``batch`` at a time.
        """
        filters = {'deleted': False}
        if instance_uuid:
            filters['uuid'] = instance_uuid
        healed = 0
        marker = None
        while True:
            instances = objects.InstanceList.get_by_filters(
                cctxt, filters=filters, sort_key='created_at', sort_dir='asc',
                limit=batch, marker=marker, expected_attrs=['flavor'])
            if not instances:
                return healed
            self.output('Found %s candidate instances.' % len(instances))
            for instance in instances:
                if self.heal_instance(cctxt, instance):
                    healed += 1
            if (not unlimited and healed == batch) or instance_uuid:
                return healed
            marker = instances[-1].uuid


def _put_body(current):
    """The PUT body that rewrites ``current`` (a GET /allocations/{consumer}) unchanged."""
    return {'allocations': {rp: {'resources': dict(alloc['resources'])}
                            for rp, alloc in (current.get('allocations') or {}).items()},
            'project_id': current.get('project_id'), 'user_id': current.get('user_id'),
            'consumer_generation': current.get('consumer_generation'),
            'consumer_type': current.get('consumer_type') or INSTANCE_CONSUMER}


def cells_to_heal(ctxt, instance_uuid=None, cell_uuid=None):
    """The cells to look in, or an error message (exit 127) for a bad uuid."""
    if instance_uuid:
        try:
            mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, instance_uuid)
        except exception.InstanceMappingNotFound:
            mapping = None
        if mapping is None or mapping.cell_mapping is None:
            return None, ('Unable to find cell for instance %s, is it mapped? Try running '
                          '"nova-manage cell_v2 verify_instance" or '
                          '"nova-manage cell_v2 map_instances".' % instance_uuid)
        return [mapping.cell_mapping], None
    if cell_uuid:
        try:
            return [objects.CellMapping.get_by_uuid(ctxt, cell_uuid)], None
        except exception.CellMappingNotFound:
            return None, 'Cell with uuid %s was not found.' % cell_uuid
    return list(objects.CellMappingList.get_all(ctxt)), None


def heal(ctxt, healer, cells, max_count, unlimited, instance_uuid=None):
    """Heal cell after cell (cell0 never: its instances never had a host).

    Returns the exit code; errors are printed, the rest goes to ``healer.output``.
    """
    output = healer.output
    healed = 0
    for cell in cells:
        if cell.uuid == objects.CellMapping.CELL0_UUID:
            continue
        output('Looking for instances in cell: %s' % cell.identity)
        # With a total to reach, each cell only needs what the previous ones left.
        batch = max_count if unlimited else max_count - healed
        with nova_context.target_cell(ctxt, cell) as cctxt:
            try:
                healed += healer.heal_cell(cctxt, batch, unlimited, instance_uuid)
            except exception.ComputeHostNotFound as error:
                print(error.format_message())
                return 2
            except (exception.AllocationCreateFailed, exception.AllocationUpdateFailed,
                    exception.PlacementAPIConnectFailure,
                    exception.ResourceProviderRetrievalFailed) as error:
                print(error.format_message())
                return 3
        if not unlimited and healed == max_count and not instance_uuid:
            output('Max count reached. Processed %s instances.' % healed)
            return 1
    output('Processed %s instances.' % healed)
    return 0 if healed else 4
