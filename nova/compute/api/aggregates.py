"""Host aggregates as the admin API sees them: zone rules, and their Placement mirror.

Every compute node provider of a host that joins (leaves) an aggregate gets
(loses) that aggregate's uuid as a Placement aggregate, so that Placement
request filters (member_of) see the same membership as the scheduler.
"""

from oslo_log import log as logging

import nova.conf
from nova import availability_zones
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.scheduler.client import report

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)
AZ_KEY = availability_zones.AZ_KEY


def find_compute_cell(context, host):
    """The cell mapping holding the ``nova-compute`` service of ``host``.

    The host mapping is tried first; unmapped hosts are looked for in every cell.
    """
    try:
        cells = [objects.HostMapping.get_by_host(context, host).cell_mapping]
    except exception.HostMappingNotFound:
        cells = [c for c in objects.CellMappingList.get_all(context) if not c.is_cell0()]
    for cell in cells:
        with nova_context.target_cell(context, cell) as cctxt:
            if objects.Service.get_by_host_and_binary(cctxt, host, 'nova-compute'):
                return cell
    raise exception.ComputeHostNotFound(host=host)


def _host_has_instances(context, cell, host):
    with nova_context.target_cell(context, cell) as cctxt:
        return bool(objects.InstanceList.get_uuids_by_host(cctxt, host))


class AggregateAPI(object):
    """Create, change and delete aggregates; keep Placement's copy in step."""

    def __init__(self):
        self.reportclient = report.SchedulerReportClient()

    # --- reads ------------------------------------------------------------------

    @staticmethod
    def get_aggregate(context, aggregate_id):
        try:
            number = int(str(aggregate_id))
        except ValueError:
            return objects.Aggregate.get_by_uuid(context, aggregate_id)
        return objects.Aggregate.get_by_id(context, number)

    @staticmethod
    def get_aggregate_list(context):
        return objects.AggregateList.get_all(context)

    # --- zone rules -----------------------------------------------------------------

    @staticmethod
    def _other_zones(context, host, aggregate):
        """Zones ``host`` is in through aggregates other than ``aggregate``."""
        return {a.metadata[AZ_KEY] for a in
                objects.AggregateList.get_by_host(context, host, key=AZ_KEY)
                if a.id != aggregate.id and a.metadata.get(AZ_KEY)}

    def _check_zone_change(self, context, aggregate, new_zone, error):
        """A zone change must not split a host across zones nor move instances."""
        if new_zone is None or new_zone == aggregate.availability_zone:
            return
        for host in aggregate.hosts or []:
            others = self._other_zones(context, host, aggregate)
            if others and others != {new_zone}:
                raise error(aggregate_id=aggregate.id, reason=(
                    'One or more hosts already in availability zone(s) %s'
                    % sorted(others)))
            try:
                cell = find_compute_cell(context, host)
            except exception.ComputeHostNotFound:
                continue
            if _host_has_instances(context, cell, host):
                raise error(aggregate_id=aggregate.id, reason=(
                    'Cannot change the availability zone of aggregate %s: host %s has '
                    'instances' % (aggregate.name, host)))

    @staticmethod
    def _check_zone_name(aggregate_id, zone, error):
        if zone is not None and zone == CONF.internal_service_availability_zone:
            raise error(aggregate_id=aggregate_id, reason=(
                'The availability zone %s is reserved for internal services' % zone))

    # --- writes ------------------------------------------------------------------------

    def create_aggregate(self, context, name, availability_zone=None):
        self._check_zone_name('new', availability_zone,
                              exception.InvalidAggregateActionUpdate)
        aggregate = objects.Aggregate(context=context, name=name)
        if availability_zone:
            aggregate.metadata = {AZ_KEY: availability_zone}
        aggregate.create()
        return aggregate

    def update_aggregate(self, context, aggregate_id, values):
        aggregate = self.get_aggregate(context, aggregate_id)
        zone = values.get(AZ_KEY)
        self._check_zone_name(aggregate.id, zone, exception.InvalidAggregateActionUpdate)
        self._check_zone_change(context, aggregate, zone,
                                exception.InvalidAggregateActionUpdate)
        if 'name' in values and values['name'] != aggregate.name:
            aggregate.name = values['name']
            aggregate.save()
        if AZ_KEY in values:
            if zone is None and AZ_KEY not in (aggregate.metadata or {}):
                pass
            else:
                aggregate.update_metadata({AZ_KEY: zone})
        return aggregate

    def update_aggregate_metadata(self, context, aggregate_id, metadata):
        aggregate = self.get_aggregate(context, aggregate_id)
        zone = metadata.get(AZ_KEY)
        self._check_zone_name(aggregate.id, zone, exception.InvalidAggregateActionUpdateMeta)
        self._check_zone_change(context, aggregate, zone,
                                exception.InvalidAggregateActionUpdateMeta)
        existing = aggregate.metadata or {}
        # Deleting a key that is not there is not an error, as upstream.
        updates = {k: v for k, v in metadata.items() if v is not None or k in existing}
        if updates:
            aggregate.update_metadata(updates)
        return aggregate

    def delete_aggregate(self, context, aggregate_id):
        aggregate = self.get_aggregate(context, aggregate_id)
        if aggregate.hosts:
            raise exception.InvalidAggregateActionDelete(
                aggregate_id=aggregate.id, reason='Host aggregate is not empty')
        aggregate.destroy()

    def add_host_to_aggregate(self, context, aggregate_id, host):
        aggregate = self.get_aggregate(context, aggregate_id)
        cell = find_compute_cell(context, host)
        if host in (aggregate.hosts or []):
            raise exception.AggregateHostExists(aggregate_id=aggregate.id, host=host)
        zone = aggregate.availability_zone
        if zone:
            others = self._other_zones(context, host, aggregate)
            if others and others != {zone}:
                raise exception.InvalidAggregateActionAdd(aggregate_id=aggregate.id, reason=(
                    'Host already in availability zone %s' % ','.join(sorted(others))))
            current = availability_zones.get_host_availability_zone(context, host)
            if current != zone and _host_has_instances(context, cell, host):
                raise exception.InvalidAggregateActionAdd(aggregate_id=aggregate.id, reason=(
                    'Host %s has instances in availability zone %s; adding it would '
                    'move them to %s' % (host, current, zone)))
        aggregate.add_host(host)
        self._mirror(context, cell, host, aggregate.uuid, add=True)
        return aggregate

    def remove_host_from_aggregate(self, context, aggregate_id, host):
        aggregate = self.get_aggregate(context, aggregate_id)
        cell = find_compute_cell(context, host)
        if host not in (aggregate.hosts or []):
            raise exception.AggregateHostNotFound(aggregate_id=aggregate.id, host=host)
        zone = aggregate.availability_zone
        if zone and _host_has_instances(context, cell, host):
            others = self._other_zones(context, host, aggregate)
            if zone not in others:
                raise exception.InvalidAggregateActionDelete(aggregate_id=aggregate.id, reason=(
                    'Host %s has instances in availability zone %s; removing it would '
                    'move them out of it' % (host, zone)))
        aggregate.delete_host(host)
        self._mirror(context, cell, host, aggregate.uuid, add=False)
        return aggregate

    # --- Placement mirror ------------------------------------------------------------

    def _mirror(self, context, cell, host, aggregate_uuid, add):
        """Add/remove ``aggregate_uuid`` on every compute node provider of ``host``.

        Placement being unreachable does not undo the change: the scheduler's
        own view (the API DB) is already right; the operator is told in the log
        (removing and re-adding the host repairs it).
        """
        with nova_context.target_cell(context, cell) as cctxt:
            try:
                nodes = objects.ComputeNodeList.get_all_by_host(cctxt, host)
            except exception.ComputeHostNotFound:
                nodes = []
        change = (self.reportclient.aggregate_add_host if add
                  else self.reportclient.aggregate_remove_host)
        for node in nodes:
            try:
                change(context, aggregate_uuid, node.uuid)
            except Exception:
                LOG.warning('Failed to %s placement aggregate %s %s provider %s of host %s; '
                            'Placement membership is stale until the host is re-added',
                            'add' if add else 'remove', aggregate_uuid,
                            'to' if add else 'from', node.uuid, host, exc_info=True)

    def cache_images(self, context, aggregate_id, image_ids):
        """Pre-caching images needs compute support not built yet: accepted and logged."""
        aggregate = self.get_aggregate(context, aggregate_id)
        LOG.info('Image pre-cache of %d image(s) on aggregate %s requested; no compute '
                 'driver here supports it, nothing is cached', len(image_ids), aggregate.uuid)
        return aggregate
