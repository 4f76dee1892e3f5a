"""Keeps a host's compute node records and Placement providers in step with its driver.

Run at start-up and periodically: read the driver's resources, save them to
the node's ComputeNode record (through conductor) and push the provider's
inventory and traits to Placement.
"""

import threading

import os_traits
from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova import exception
from nova import objects
from nova.compute import allocation_audit
from nova.compute import provider_tree as ptree
from nova.virt import driver as virt_driver

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

COMPUTE_RESOURCE_SEMAPHORE = threading.RLock()
USAGE_FLUSH_DELAY = 0.5


class ResourceTracker(object):

    def __init__(self, host, driver, reportclient):
        self.host = host
        self.driver = driver
        self.reportclient = reportclient
        self.compute_nodes = {}
        self.provider_tree = ptree.ProviderTree()
        self._pushed = {}
        self._last_refresh = None
        # uuid -> (vcpus, memory_mb, disk_gb) of instances placed on this host.
        self.tracked_instances = {}
        # uuid -> the node (of this host) an instance counts toward: a node's
        # usage is its own instances', not the whole host's.
        self._instance_nodes = {}
        self._flush_timer = None
        # {nodename: ComputeNode} of this host as read at the start of a period
        # (read_host); None when not read, so each node looks itself up.
        self._host_nodes = None

    # --- instance claims ------------------------------------------------------------

    @staticmethod
    def _footprint(instance):
        flavor = instance.flavor
        return (flavor.vcpus, flavor.memory_mb,
                flavor.root_gb + flavor.ephemeral_gb + (flavor.swap + 1023) // 1024)

    def instance_claim(self, context, instance, nodename):
        """Take the instance onto this host's books (Placement already holds its claim).

        Sets the instance's host fields; the caller saves the instance
        together with its own state change.
        """
        with COMPUTE_RESOURCE_SEMAPHORE:
            node = self.compute_nodes.get(nodename)
            instance.host = self.host
            instance.node = nodename
            instance.launched_on = self.host
            if node is not None and 'compute_id' in instance.fields:
                instance.compute_id = node.id
            self._track(context, instance.uuid, self._footprint(instance), nodename)

    def move_claim(self, context, instance_uuid, flavor, nodename):
        """A server moving here with ``flavor`` counts on this node from now on
        (Placement already holds the destination's claim)."""
        if nodename not in self.compute_nodes and self.compute_nodes:
            raise exception.ComputeHostNotFound(host=nodename)
        with COMPUTE_RESOURCE_SEMAPHORE:
            self._track(context, instance_uuid, (
                flavor.vcpus, flavor.memory_mb,
                flavor.root_gb + flavor.ephemeral_gb + (flavor.swap + 1023) // 1024),
                nodename)

    def drop_move_claim(self, context, instance_uuid):
        """A server that moved away (or never came) no longer counts here."""
        with COMPUTE_RESOURCE_SEMAPHORE:
            self._untrack(context, instance_uuid)

    def track_instance(self, context, instance, nodename):
        """Count the instance here with its current flavor."""
        with COMPUTE_RESOURCE_SEMAPHORE:
            self._track(context, instance.uuid, self._footprint(instance), nodename)

    def forget_instance(self, context, instance):
        """Drop an instance from the books without touching its record."""
        with COMPUTE_RESOURCE_SEMAPHORE:
            self._untrack(context, instance.uuid, instance.node)

    def _track(self, context, uuid, footprint, nodename):
        previous = self._instance_nodes.get(uuid)
        self.tracked_instances[uuid] = footprint
        self._instance_nodes[uuid] = nodename
        if previous is not None and previous != nodename:
            self._update_usage(context, previous)
        self._update_usage(context, nodename)

    def _untrack(self, context, uuid, nodename=None):
        if self.tracked_instances.pop(uuid, None) is None:
            return
        nodename = self._instance_nodes.pop(uuid, nodename)
        if nodename in self.compute_nodes:
            self._update_usage(context, nodename)
        else:
            for name in self.compute_nodes:
                self._update_usage(context, name)

    def abort_instance_claim(self, context, instance):
        self.forget_instance(context, instance)
        instance.host = None
        instance.node = None
        try:
            instance.save()
        except exception.InstanceNotFound:
            pass

    def remove_instance(self, context, instance):
        self.forget_instance(context, instance)

    def _node_footprints(self, nodename):
        return [f for uuid, f in self.tracked_instances.items()
                if self._instance_nodes.get(uuid) == nodename]

    def _apply_usage(self, node):
        footprints = self._node_footprints(node.hypervisor_hostname)
        vcpus = sum(v for v, _m, _d in footprints)
        memory = sum(m for _v, m, _d in footprints)
        disk = sum(d for _v, _m, d in footprints)
        node.vcpus_used = vcpus
        node.memory_mb_used = memory + CONF.reserved_host_memory_mb
        node.local_gb_used = disk + virt_driver.reserved_disk_gb()
        node.free_ram_mb = node.memory_mb - node.memory_mb_used
        node.free_disk_gb = node.local_gb - node.local_gb_used
        node.running_vms = len(footprints)

    def _update_usage(self, context, nodename):
        """Recompute usage in memory; the record is saved shortly after, in one go.

        Placement, not this record, decides where servers fit, so a burst of
        claims costs one save instead of one per claim.
        """
        node = self.compute_nodes.get(nodename)
        if node is None:
            return
        self._apply_usage(node)
        if node.obj_what_changed():
            self._schedule_flush()

    def _schedule_flush(self):
        if self._flush_timer is None or not self._flush_timer.is_alive():
            self._flush_timer = threading.Timer(USAGE_FLUSH_DELAY, self.flush_usage)
            self._flush_timer.daemon = True
            self._flush_timer.start()

    def flush_usage(self):
        """Save every compute node record whose usage changed."""
        with COMPUTE_RESOURCE_SEMAPHORE:
            dirty = [n for n in self.compute_nodes.values() if n.obj_what_changed()]
            for node in dirty:
                try:
                    node.save()
                except Exception as exc:
                    LOG.warning('Could not save usage of node %s: %s',
                                node.hypervisor_hostname, exc)

    def read_host(self, context):
        """Read what a period needs of the database for all of this host's nodes at once.

        For a host with many nodes (the fake driver's fleet, Ironic): the
        host's compute node records in one request, so a node not recorded
        yet is created without two lookups first, and the host's instances
        in one request. Returns ``{nodename: [Instance]}``, or None when the
        instances could not be read (each node then reads its own).
        """
        try:
            nodes = objects.ComputeNodeList.get_all_by_host(context, self.host)
        except exception.ComputeHostNotFound:
            nodes = []
        except Exception as exc:
            LOG.warning('Could not read the compute nodes of %s: %s', self.host, exc)
            nodes = None
        self._host_nodes = (None if nodes is None
                            else {n.hypervisor_hostname: n for n in nodes})
        try:
            instances = objects.InstanceList.get_by_filters(
                context, {'host': self.host, 'deleted': False, 'soft_deleted': True},
                expected_attrs=['flavor'], sort_keys=['id'], sort_dirs=['asc'])
        except Exception as exc:
            LOG.warning('Could not read the instances of %s: %s', self.host, exc)
            return None
        by_node = {}
        for instance in instances:
            by_node.setdefault(instance.node, []).append(instance)
        return by_node

    def _find_node(self, context, resources, nodename):
        node_uuid = resources.get('uuid')
        known = self._host_nodes.get(nodename) if self._host_nodes is not None else None
        if known is not None and (not node_uuid or known.uuid == node_uuid):
            return known
        if node_uuid:
            try:
                node = objects.ComputeNode.get_by_uuid(context, node_uuid)
            except exception.ComputeNodeNotFound:
                node = None
            if node is not None:
                if node.host != self.host:
                    raise exception.InvalidNodeConfiguration(
                        reason='node %s (%s) is owned by host %s, not %s' % (
                            nodename, node_uuid, node.host, self.host))
                return node
        if self._host_nodes is not None:
            # read_host already looked for this host's record of that name.
            return known
        try:
            return objects.ComputeNode.get_by_host_and_nodename(context, self.host, nodename)
        except exception.ComputeHostNotFound:
            return None

    def _sync_compute_node(self, context, resources, nodename, service_id):
        node = self.compute_nodes.get(nodename) or self._find_node(context, resources,
                                                                    nodename)
        created = node is None
        if created:
            node = objects.ComputeNode(context)
            node.host = self.host
        node.update_from_virt_driver(resources)
        node.service_id = service_id
        for kind in ('cpu', 'ram', 'disk'):
            setattr(node, '%s_allocation_ratio' % kind,
                    virt_driver.allocation_ratio(kind, node))
        self._apply_usage(node)
        node.current_workload = 0
        if not node.obj_attr_is_set('stats'):
            node.stats = {}
        if created:
            node.create()
            LOG.info('Compute node record created for %(host)s:%(node)s with uuid: %(uuid)s',
                     {'host': self.host, 'node': nodename, 'uuid': node.uuid})
        elif node.obj_what_changed():
            node.save()
        self.compute_nodes[nodename] = node
        return node

    def _refresh_due(self):
        interval = CONF.compute.resource_provider_association_refresh
        if self._last_refresh is None:
            return True
        if not interval:
            return False
        return timeutils.is_older_than(self._last_refresh, interval)

    def _update_placement(self, context, node, nodename):
        if self._refresh_due():
            # Forget what we think Placement holds and re-read it: someone
            # (an operator, a restored DB) may have changed it behind us.
            self.provider_tree = ptree.ProviderTree()
            self._pushed = {}
            self._last_refresh = timeutils.utcnow()
        if not self.provider_tree.exists(node.uuid):
            self.provider_tree.new_root(nodename, node.uuid)
        self.provider_tree.set_compute_node(node.uuid, node)
        self.driver.update_provider_tree(self.provider_tree, nodename)
        traits = set(self.provider_tree.data(node.uuid).traits)
        traits.add(os_traits.COMPUTE_NODE)
        have, lack = virt_driver.capability_traits(self.driver.capabilities)
        traits = (traits - lack) | have
        self.provider_tree.update_traits(node.uuid, traits)
        return self.provider_tree

    def update_available_resource(self, context, nodename, service_id, startup=False,
                                  instances=None):
        """Refresh one node; Placement trouble is logged and retried next period.

        ``instances``: the node's instances when the caller read them for the
        whole host (``read_host``); read here otherwise.
        """
        resources = self.driver.get_available_resource(nodename)
        tracked = instances
        if tracked is None:
            try:
                tracked = objects.InstanceList.get_by_host_and_node(
                    context, self.host, nodename, expected_attrs=['flavor'])
            except Exception as exc:
                LOG.warning('Could not read the instances of %s: %s', nodename, exc)
        with COMPUTE_RESOURCE_SEMAPHORE:
            if tracked is not None:
                # Replace this node's instances only; the host's other nodes
                # keep theirs.
                for uuid in [u for u, n in self._instance_nodes.items() if n == nodename]:
                    self.tracked_instances.pop(uuid, None)
                    del self._instance_nodes[uuid]
                for instance in tracked:
                    self.tracked_instances[instance.uuid] = self._footprint(instance)
                    self._instance_nodes[instance.uuid] = nodename
            node = self._sync_compute_node(context, resources, nodename, service_id)
            tree = self._update_placement(context, node, nodename)
            tracked_uuids = {u for u, n in self._instance_nodes.items() if n == nodename}
        # Placement is written outside the lock: the provider is this node's
        # alone, and the nodes of a many-node host are pushed side by side.
        try:
            self.reportclient.update_from_provider_tree(context, tree, previous=self._pushed,
                                                        uuids=[node.uuid])
        except (exception.PlacementAPIConnectFailure,
                exception.ResourceProviderCreationFailed,
                exception.ResourceProviderRetrievalFailed,
                exception.ResourceProviderUpdateFailed,
                exception.ResourceProviderUpdateConflict) as exc:
            # Nothing was pushed; make the next period try everything again.
            self._pushed = {}
            self._last_refresh = None
            LOG.warning('Unable to report node %(node)s to Placement; will retry: '
                        '%(err)s', {'node': nodename, 'err': exc.format_message()})
        if tracked is not None and not startup:
            allocation_audit.free_allocations_of_deleted_instances(
                context, self.reportclient, node.uuid, tracked_uuids)
        return node
