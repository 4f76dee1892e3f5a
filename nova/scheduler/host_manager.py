"""The scheduler's picture of each compute node: HostState, kept by HostManager.

HostStates live for the life of the scheduler and are refreshed from a
node's ComputeNode record only when the compute has reported since the
scheduler last changed them, so consumption the scheduler itself recorded
(between a claim and the next compute report) is not forgotten.
"""

import threading

from oslo_log import log as logging
from oslo_serialization import jsonutils
from oslo_utils import timeutils

import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects
from nova import servicegroup

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class HostState(object):
    """Mutable summary of one compute node, as filters and weighers read it."""

    def __init__(self, host, node, cell_uuid):
        self.host = host
        self.nodename = node
        self.uuid = None
        self.cell_uuid = cell_uuid
        self._lock = threading.Lock()
        # Capacity and usage, from the compute node record.
        self.total_usable_ram_mb = 0
        self.total_usable_disk_gb = 0
        self.disk_mb_used = 0
        self.free_ram_mb = 0
        self.free_disk_mb = 0
        self.vcpus_total = 0
        self.vcpus_used = 0
        self.pci_stats = None
        self.numa_topology = None
        self.num_instances = 0
        self.num_io_ops = 0
        self.failed_builds = 0
        self.stats = {}
        self.hypervisor_type = None
        self.hypervisor_version = None
        self.hypervisor_hostname = None
        self.cpu_info = None
        self.supported_instances = []
        self.host_ip = None
        self.cpu_allocation_ratio = None
        self.ram_allocation_ratio = None
        self.disk_allocation_ratio = None
        self.metrics = None
        # Filled in per request by the HostManager.
        self.service = None
        self.service_read_at = None  # when ``service`` was read: its liveness is as of then
        self.aggregates = []
        self.limits = {}
        self.updated = None
        self._instances = None
        self._instance_loader = None
        self._compute_seen = None  # the ComputeNode last applied (the host manager
        # hands the same object back until the node changes)

    # --- instances on the host (loaded on first use: few filters need them) ---
    @property
    def instances(self):
        if self._instances is None:
            loader = self._instance_loader
            self._instances = loader(self) if loader is not None else {}
        return self._instances

    @instances.setter
    def instances(self, value):
        self._instances = value

    def set_instance_loader(self, loader):
        """``loader(host_state)`` -> {uuid: Instance}; called when first needed."""
        self._instance_loader = loader
        self._instances = None

    # --- updates --------------------------------------------------------------
    def update(self, compute=None, service=None, aggregates=None, service_read_at=None):
        with self._lock:
            if compute is not None and compute is not self._compute_seen:
                self._update_from_compute_node(compute)
                self._compute_seen = compute
            if service is not None:
                self.service = service
                self.service_read_at = service_read_at
            if aggregates is not None:
                self.aggregates = aggregates

    def _update_from_compute_node(self, compute):
        if (self.updated and compute.updated_at and
                timeutils.normalize_time(self.updated) >
                timeutils.normalize_time(compute.updated_at)):
            # The scheduler's own consumption is newer than the report.
            return
        self.uuid = compute.uuid
        free_gb = compute.free_disk_gb
        if free_gb is None:
            free_gb = compute.local_gb - compute.local_gb_used
        least = compute.disk_available_least
        if least is not None and least < free_gb:
            # Over-committed thin images can leave less real space than the books say.
            free_gb = least
        self.free_disk_mb = free_gb * 1024
        self.total_usable_disk_gb = compute.local_gb
        self.disk_mb_used = compute.local_gb_used * 1024
        self.total_usable_ram_mb = compute.memory_mb
        self.free_ram_mb = (compute.free_ram_mb if compute.free_ram_mb is not None
                            else compute.memory_mb - compute.memory_mb_used)
        self.vcpus_total = compute.vcpus
        self.vcpus_used = compute.vcpus_used
        self.updated = compute.updated_at
        self.numa_topology = compute.numa_topology
        self.pci_stats = None
        self.host_ip = compute.host_ip
        self.hypervisor_type = compute.hypervisor_type
        self.hypervisor_version = compute.hypervisor_version
        self.hypervisor_hostname = compute.hypervisor_hostname
        self.cpu_info = compute.cpu_info
        self.supported_instances = [tuple(jsonutils.loads(s))
                                    for s in (compute.supported_hv_specs or [])]
        self.stats = dict(compute.stats or {})
        self.num_instances = int(self.stats.get('num_instances', 0) or 0)
        self.num_io_ops = int(self.stats.get('io_workload', 0) or 0)
        self.metrics = compute.metrics
        self.cpu_allocation_ratio = compute.cpu_allocation_ratio
        self.ram_allocation_ratio = compute.ram_allocation_ratio
        self.disk_allocation_ratio = compute.disk_allocation_ratio
        # Fresh data from the compute: forget instances we loaded earlier.
        self._instances = None

    def consume_from_request(self, spec_obj):
        """Account for a server just placed here until the compute next reports."""
        with self._lock:
            disk_mb = (spec_obj.root_gb + spec_obj.ephemeral_gb) * 1024
            self.free_ram_mb -= spec_obj.memory_mb
            self.free_disk_mb -= disk_mb
            self.disk_mb_used += disk_mb
            self.vcpus_used += spec_obj.vcpus
            self.num_instances += 1
            self.num_io_ops += 1
            self.updated = timeutils.utcnow()

    def __repr__(self):
        return ('(%s, %s) ram: %sMB disk: %sMB io_ops: %s instances: %s' %
                (self.host, self.nodename, self.free_ram_mb, self.free_disk_mb,
                 self.num_io_ops, self.num_instances))


class HostManager(object):
    """Builds and caches HostStates for the compute nodes Placement proposed."""

    host_state_cls = HostState

    def __init__(self):
        self.host_state_map = {}
        # Compute nodes as last read, by uuid: a request re-reads only the nodes
        # whose updated_at moved (one narrow query tells which).
        self._nodes = {}
        self.servicegroup_api = servicegroup.API()
        self._cells = None
        self._lock = threading.Lock()
        self.instance_loader = self._load_instances

    # --- cells ------------------------------------------------------------------
    def refresh_cells_caches(self, context=None):
        context = context or nova_context.get_admin_context()
        cells = objects.CellMappingList.get_all(context)
        self._cells = [c for c in cells if not c.is_cell0() and not c.disabled]
        LOG.debug('Found %d enabled cells', len(self._cells))
        return self._cells

    def enabled_cells(self, context):
        # An empty list is not cached: the scheduler may start before cells exist.
        if not self._cells:
            self.refresh_cells_caches(context)
        return self._cells

    def get_compute_nodes_by_host_or_node(self, context, host=None, node=None, cell=None):
        """Compute nodes of ``host`` and/or named ``node``, in ``cell`` or every enabled cell."""
        cells = [cell] if cell is not None else self.enabled_cells(context)
        found = []
        for one_cell in cells:
            try:
                with nova_context.target_cell(context, one_cell) as cctxt:
                    if host:
                        try:
                            nodes = objects.ComputeNodeList.get_all_by_host(cctxt, host)
                        except exception.ComputeHostNotFound:
                            nodes = []
                    else:
                        nodes = objects.ComputeNodeList.get_all(cctxt)
            except Exception as exc:
                LOG.warning('Cell %(cell)s did not answer; its nodes are left out: %(exc)s',
                            {'cell': one_cell.name or one_cell.uuid, 'exc': exc})
                continue
            found.extend(n for n in nodes if not node or n.hypervisor_hostname == node)
        return found

    def _load_instances(self, host_state):
        """``{uuid: Instance}`` of the servers the cell DB places on this host."""
        ctxt = nova_context.get_admin_context()
        cells = {c.uuid: c for c in self.enabled_cells(ctxt)}
        cell = cells.get(host_state.cell_uuid)
        if cell is None:
            cell = objects.CellMapping.get_by_uuid(ctxt, host_state.cell_uuid)
        with nova_context.target_cell(ctxt, cell) as cctxt:
            found = objects.InstanceList.get_by_host(cctxt, host_state.host,
                                                     expected_attrs=[])
        return {inst.uuid: inst for inst in found}

    # --- host states --------------------------------------------------------------
    def get_host_states_by_uuids(self, context, compute_uuids, spec_obj=None):
        """HostStates for the given compute node uuids, from every enabled cell."""
        cells = self.enabled_cells(context)
        dest = getattr(spec_obj, 'requested_destination', None) if spec_obj else None
        if dest is not None and dest.obj_attr_is_set('cell') and dest.cell:
            cells = [c for c in cells if c.uuid == dest.cell.uuid]
        computes_by_cell = {}
        services = {}
        read_at = timeutils.utcnow()
        # None (a rebuild, which skips Placement) means every compute node.
        wanted = list(compute_uuids) if compute_uuids is not None else None
        for cell in cells:
            if wanted is not None and not wanted:
                break
            try:
                with nova_context.target_cell(context, cell) as cctxt:
                    if wanted is None:
                        nodes = objects.ComputeNodeList.get_all(cctxt)
                    else:
                        nodes = self._current_nodes(cctxt, wanted)
                    if not nodes:
                        continue
                    cell_services = objects.ServiceList.get_liveness_by_binary(
                        cctxt, 'nova-compute')
            except Exception as exc:
                # A cell whose database does not answer offers no hosts this time;
                # the other cells still do.
                LOG.warning('Cell %(cell)s did not answer; its hosts are left out: %(exc)s',
                            {'cell': cell.name or cell.uuid, 'exc': exc})
                continue
            computes_by_cell[cell.uuid] = nodes
            for svc in cell_services:
                services[(cell.uuid, svc.host)] = svc
            if wanted is not None:
                found = {n.uuid for n in nodes}
                wanted = [u for u in wanted if u not in found]
        aggregates = self._aggregates_by_host(context)
        return self._states_for(computes_by_cell, services, aggregates, read_at)

    def _current_nodes(self, cctxt, wanted):
        """The cell's live nodes among ``wanted``: the ones unchanged since the last
        read from the cache, the new or changed ones read again (in one query)."""
        versions = objects.ComputeNodeList.get_versions_by_uuids(cctxt, wanted)
        stale = [uuid for uuid, updated_at in versions.items()
                 if not _same_version(self._nodes.get(uuid), updated_at)]
        if stale:
            for node in objects.ComputeNodeList.get_all_by_uuids(cctxt, stale):
                self._nodes[node.uuid] = node
        return [self._nodes[uuid] for uuid in versions if uuid in self._nodes]

    def _aggregates_by_host(self, context):
        by_host = {}
        for agg in objects.AggregateList.get_all(context):
            for host in agg.hosts or []:
                by_host.setdefault(host, []).append(agg)
        return by_host

    def _states_for(self, computes_by_cell, services, aggregates, read_at=None):
        states = []
        with self._lock:
            for cell_uuid, nodes in computes_by_cell.items():
                for node in nodes:
                    service = services.get((cell_uuid, node.host))
                    if service is None:
                        LOG.warning('No compute service record found for host %s', node.host)
                        continue
                    key = (node.host, node.hypervisor_hostname)
                    state = self.host_state_map.get(key)
                    if state is None or state.cell_uuid != cell_uuid:
                        state = self.host_state_cls(node.host, node.hypervisor_hostname,
                                                    cell_uuid)
                        state.set_instance_loader(self.instance_loader)
                        self.host_state_map[key] = state
                    state.update(node, service, aggregates.get(node.host, []),
                                 service_read_at=read_at)
                    states.append(state)
        return states

    def load_instances(self, host_states):
        """Fill ``instances`` of every host not loaded yet: one query per cell."""
        missing = [h for h in host_states if h._instances is None]
        if not missing:
            return
        ctxt = nova_context.get_admin_context()
        cells = {c.uuid: c for c in self.enabled_cells(ctxt)}
        by_cell = {}
        for state in missing:
            by_cell.setdefault(state.cell_uuid, []).append(state)
        for cell_uuid, states in by_cell.items():
            cell = cells.get(cell_uuid) or objects.CellMapping.get_by_uuid(ctxt, cell_uuid)
            with nova_context.target_cell(ctxt, cell) as cctxt:
                found = objects.InstanceList.get_by_filters(
                    cctxt, {'host': sorted({s.host for s in states}), 'deleted': False},
                    expected_attrs=[])
            per_host = {}
            for inst in found:
                per_host.setdefault(inst.host, {})[inst.uuid] = inst
            for state in states:
                state.instances = per_host.get(state.host, {})

    def get_filtered_hosts(self, hosts, spec_obj, filter_handler, filters):
        """Hosts passing ``filters``, after forced and ignored hosts are applied.

        A requested destination narrows the hosts first but, unlike a forced
        host, still has to pass the filters.
        """
        hosts = _apply_requested_destination(list(hosts), spec_obj)
        hosts = _apply_host_lists(hosts, spec_obj)
        if not hosts:
            return []
        if _needs_instances(spec_obj):
            self.load_instances(hosts)
        if _has_forced(spec_obj):
            # A forced destination skips the filters, as admins expect.
            return hosts
        return filter_handler.get_filtered_objects(filters, hosts, spec_obj)


def _same_version(node, updated_at):
    if node is None:
        return False
    if node.updated_at is None or updated_at is None:
        return node.updated_at is None and updated_at is None
    return timeutils.normalize_time(node.updated_at) == timeutils.normalize_time(updated_at)


def _get(spec_obj, name):
    return getattr(spec_obj, name) if spec_obj.obj_attr_is_set(name) else None


def _needs_instances(spec_obj):
    """Does a group policy or hint make filters or weighers look at host instances?"""
    group = _get(spec_obj, 'instance_group')
    if group is not None and group.obj_attr_is_set('policy') and group.policy in (
            'anti-affinity', 'soft-affinity', 'soft-anti-affinity'):
        return True
    hints = _get(spec_obj, 'scheduler_hints') or {}
    return bool(hints.get('same_host') or hints.get('different_host'))


def _has_forced(spec_obj):
    return bool(_get(spec_obj, 'force_hosts') or _get(spec_obj, 'force_nodes'))


def _apply_requested_destination(hosts, spec_obj):
    dest = _get(spec_obj, 'requested_destination')
    if dest is None:
        return hosts
    if dest.obj_attr_is_set('host') and dest.host:
        hosts = [h for h in hosts if h.host == dest.host]
    if dest.obj_attr_is_set('node') and dest.node:
        hosts = [h for h in hosts if h.nodename == dest.node]
    return hosts


def _apply_host_lists(hosts, spec_obj):
    ignore = {h.lower() for h in (_get(spec_obj, 'ignore_hosts') or [])}
    if ignore:
        hosts = [h for h in hosts if h.host.lower() not in ignore]
    force_hosts = {h.lower() for h in (_get(spec_obj, 'force_hosts') or [])}
    if force_hosts:
        hosts = [h for h in hosts if h.host.lower() in force_hosts]
        if not hosts:
            LOG.info('No hosts matched due to not matching \'force_hosts\' value of %s',
                     sorted(force_hosts))
    force_nodes = {n.lower() for n in (_get(spec_obj, 'force_nodes') or [])}
    if force_nodes:
        hosts = [h for h in hosts if h.nodename.lower() in force_nodes]
        if not hosts:
            LOG.info('No nodes matched due to not matching \'force_nodes\' value of %s',
                     sorted(force_nodes))
    return hosts
