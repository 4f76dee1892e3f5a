"""Choosing hosts for a request: Placement candidates -> filters -> weighers -> claim.

For each server of the request the best host whose allocation request can
still be written in Placement wins; its HostState is charged so the next
server of the same request sees the consumption.  If any server finds no
host, every claim already made for the request is removed again.
"""

import collections
import random

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova import objects
from nova.scheduler import filters as filters_pkg
from nova.scheduler import loadables
from nova.scheduler import request_filter
from nova.scheduler import utils
from nova.scheduler import weights as weights_pkg

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _load_filters():
    available = loadables.get_matching_classes(
        CONF.filter_scheduler.available_filters, filters_pkg.BaseHostFilter)
    by_name = {cls.__name__: cls for cls in available}
    enabled = []
    for name in CONF.filter_scheduler.enabled_filters:
        if name not in by_name:
            raise exception.SchedulerHostFilterNotFound(filter_name=name)
        enabled.append(by_name[name]())
    return enabled


def _load_weighers():
    classes = loadables.get_matching_classes(
        CONF.filter_scheduler.weight_classes, weights_pkg.BaseHostWeigher)
    return [cls() for cls in classes]


def _is_rebuild(spec_obj):
    hints = spec_obj.scheduler_hints if spec_obj.obj_attr_is_set('scheduler_hints') else None
    return bool(hints and hints.get('_nova_check_type') == ['rebuild'])


class FilterScheduler(object):

    def __init__(self, host_manager, report_client):
        self.host_manager = host_manager
        self.placement_client = report_client
        self.filter_handler = filters_pkg.HostFilterHandler()
        self.weight_handler = weights_pkg.HostWeightHandler()
        self.enabled_filters = _load_filters()
        self.weighers = _load_weighers()
        LOG.debug('Enabled filters: %s; weighers: %s',
                  [type(f).__name__ for f in self.enabled_filters],
                  [type(w).__name__ for w in self.weighers])

    # --- entry point ----------------------------------------------------------
    def select_destinations(self, ctxt, spec_obj, instance_uuids, return_alternates=False):
        """A list per server of [chosen host, alternates...] as Selection objects."""
        alloc_reqs_by_rp = None
        summaries = None
        version = None
        if not _is_rebuild(spec_obj):
            alloc_reqs_by_rp, summaries, version = self._candidates(ctxt, spec_obj)
        return self._schedule(ctxt, spec_obj, instance_uuids, alloc_reqs_by_rp, summaries,
                              version, return_alternates)

    def _candidates(self, ctxt, spec_obj):
        request = utils.resources_from_request_spec(spec_obj)
        request_filter.process_reqspec(ctxt, spec_obj, request)
        request.limit = CONF.scheduler.max_placement_results
        self._limit_to_requested_destination(ctxt, spec_obj, request)
        try:
            alloc_reqs, summaries, version = self.placement_client.get_allocation_candidates(
                ctxt, request)
        except exception.PlacementAPIConnectFailure:
            LOG.error('Unable to reach the Placement API for allocation candidates')
            alloc_reqs, summaries, version = None, None, None
        if not alloc_reqs:
            LOG.info('Got no allocation candidates from the Placement API. This could be '
                     'due to insufficient resources or a temporary occurrence as compute '
                     'nodes start up.')
            raise exception.NoValidHost(reason='')
        # Key allocation requests by the root provider (the compute node) they use.
        by_rp = collections.defaultdict(list)
        for alloc_req in alloc_reqs:
            roots = set()
            for rp_uuid in alloc_req['allocations']:
                summary = summaries.get(rp_uuid) or {}
                roots.add(summary.get('root_provider_uuid') or rp_uuid)
            for root in roots:
                by_rp[root].append(alloc_req)
        return by_rp, summaries, version

    def _limit_to_requested_destination(self, ctxt, spec_obj, request):
        """Ask Placement about the requested host/node only.

        One node: its provider tree (``in_tree``).  Several nodes of one
        host: Placement takes a single tree, so the candidate limit is
        lifted instead, lest the host's nodes be cut off; the host manager
        drops the other hosts.  None: nothing can match.
        """
        dest = (spec_obj.requested_destination
                if spec_obj.obj_attr_is_set('requested_destination') else None)
        if dest is None:
            return
        host = dest.host if dest.obj_attr_is_set('host') else None
        node = dest.node if dest.obj_attr_is_set('node') else None
        if not (host or node):
            return
        cell = dest.cell if dest.obj_attr_is_set('cell') else None
        nodes = self.host_manager.get_compute_nodes_by_host_or_node(
            ctxt.elevated(), host, node, cell=cell)
        if not nodes:
            raise exception.NoValidHost(
                reason='No such host - host: %s node: %s' % (host, node))
        if len(nodes) == 1:
            request.in_tree = nodes[0].uuid
        else:
            request.limit = None

    # --- the loop -------------------------------------------------------------------
    def _schedule(self, ctxt, spec_obj, instance_uuids, alloc_reqs_by_rp, summaries,
                  version, return_alternates):
        elevated = ctxt.elevated()
        num_instances = (len(instance_uuids) if instance_uuids
                         else getattr(spec_obj, 'num_instances', 1) or 1)
        uuids = list(instance_uuids) if instance_uuids else [None] * num_instances
        self._prepare_group(elevated, spec_obj, instance_uuids)
        compute_uuids = list(alloc_reqs_by_rp) if alloc_reqs_by_rp is not None else None
        hosts = self.host_manager.get_host_states_by_uuids(elevated, compute_uuids, spec_obj)
        chosen = []       # (host_state, allocation request claimed or None)
        claimed_uuids = []
        sorted_hosts = []
        original_uuid = spec_obj.instance_uuid if spec_obj.obj_attr_is_set(
            'instance_uuid') else None
        try:
            for index, instance_uuid in enumerate(uuids):
                if instance_uuid is not None:
                    # Filters such as anti-affinity look at the server being placed.
                    spec_obj.instance_uuid = instance_uuid
                    spec_obj.obj_reset_changes(['instance_uuid'])
                sorted_hosts = self._get_sorted_hosts(spec_obj, hosts, index)
                if not sorted_hosts:
                    break
                try:
                    picked = self._claim_first_fitting(elevated, spec_obj, instance_uuid,
                                                       sorted_hosts, alloc_reqs_by_rp,
                                                       version)
                except exception.PlacementAPIConnectFailure:
                    LOG.error('Placement became unreachable while claiming resources')
                    picked = None
                if picked is None:
                    LOG.debug('Unable to successfully claim against any host.')
                    break
                host, alloc_req = picked
                if alloc_req is not None:
                    claimed_uuids.append(instance_uuid)
                chosen.append((host, alloc_req))
                self._consume_selected_host(host, spec_obj, instance_uuid)
        finally:
            if original_uuid is not None:
                spec_obj.instance_uuid = original_uuid
                spec_obj.obj_reset_changes(['instance_uuid'])
        if len(chosen) < num_instances:
            self._cleanup_allocations(elevated, claimed_uuids)
            raise exception.NoValidHost(reason='There are not enough hosts available.')
        num_alts = CONF.scheduler.max_attempts - 1 if return_alternates else 0
        return self._selections(chosen, sorted_hosts, num_alts, alloc_reqs_by_rp, version)

    def _prepare_group(self, ctxt, spec_obj, instance_uuids):
        """Make sure a server group carries its members and their current hosts."""
        group = spec_obj.instance_group if spec_obj.obj_attr_is_set('instance_group') else None
        if group is None:
            return
        needs_members = not group.obj_attr_is_set('members') or group.members is None
        needs_hosts = not group.obj_attr_is_set('hosts') or group.hosts is None
        if needs_members or needs_hosts:
            fresh = None
            if group.obj_attr_is_set('uuid'):
                try:
                    fresh = objects.InstanceGroup.get_by_uuid(ctxt, group.uuid)
                except exception.InstanceGroupNotFound:
                    pass
            if needs_members:
                group.members = list(fresh.members or []) if fresh is not None else []
            if needs_hosts:
                group.hosts = (fresh.get_hosts(exclude=instance_uuids)
                               if fresh is not None else [])
        # The servers of this request belong to the group even if the API has not
        # recorded them yet: count them for (anti-)affinity as they get placed.
        for uuid in instance_uuids or []:
            if uuid not in group.members:
                group.members.append(uuid)
        group.obj_reset_changes(['hosts', 'members'])

    def _get_sorted_hosts(self, spec_obj, hosts, index):
        filtered = self.host_manager.get_filtered_hosts(
            hosts, spec_obj, _IndexedHandler(self.filter_handler, index),
            self.enabled_filters)
        if not filtered:
            return []
        weighed = self.weight_handler.get_weighed_objects(self.weighers, filtered, spec_obj)
        if CONF.filter_scheduler.shuffle_best_same_weighed_hosts and weighed:
            best = [w for w in weighed if w.weight == weighed[0].weight]
            random.shuffle(best)
            weighed = best + weighed[len(best):]
        ordered = [w.obj for w in weighed]
        subset = max(1, min(CONF.filter_scheduler.host_subset_size, len(ordered)))
        first = random.choice(ordered[:subset])
        ordered.remove(first)
        return [first] + ordered

    def _claim_first_fitting(self, ctxt, spec_obj, instance_uuid, hosts, alloc_reqs_by_rp,
                             version):
        if instance_uuid is None or alloc_reqs_by_rp is None:
            return hosts[0], None
        project_id = spec_obj.project_id or ctxt.project_id
        user_id = spec_obj.user_id or ctxt.user_id
        for host in hosts:
            candidates = alloc_reqs_by_rp.get(host.uuid)
            if not candidates:
                LOG.debug('Found no allocation request for compute node %s', host.uuid)
                continue
            alloc_req = candidates[0]
            if self.placement_client.claim_resources(ctxt, instance_uuid, alloc_req,
                                                     project_id, user_id,
                                                     allocation_request_version=version):
                return host, alloc_req
        return None

    @staticmethod
    def _consume_selected_host(host, spec_obj, instance_uuid):
        LOG.debug('Selected host: %s', host)
        host.consume_from_request(spec_obj)
        group = spec_obj.instance_group if spec_obj.obj_attr_is_set('instance_group') else None
        if group is None:
            return
        group.hosts = list(group.hosts or []) + [host.host]
        group.obj_reset_changes(['hosts'])
        if instance_uuid:
            # Let the next server of this request see this one on the host.
            host.instances[instance_uuid] = objects.Instance(uuid=instance_uuid)

    def _cleanup_allocations(self, ctxt, instance_uuids):
        if not instance_uuids:
            return
        LOG.debug('Cleaning up allocations for %s', instance_uuids)
        for uuid in instance_uuids:
            self.placement_client.delete_allocation_for_instance(ctxt, uuid)

    @staticmethod
    def _selections(chosen, hosts, num_alts, alloc_reqs_by_rp, version):
        chosen_hosts = [host for host, _req in chosen]
        result = []
        for host, alloc_req in chosen:
            picks = [objects.Selection.from_host_state(
                host, allocation_request=alloc_req, allocation_request_version=version)]
            for alt in hosts:
                if len(picks) > num_alts:
                    break
                # Claimed hosts are already charged for this request; skip them.
                if alt.cell_uuid != host.cell_uuid or alt in chosen_hosts:
                    continue
                alt_req = None
                if alloc_reqs_by_rp is not None:
                    reqs = alloc_reqs_by_rp.get(alt.uuid)
                    if not reqs:
                        continue
                    alt_req = reqs[0]
                picks.append(objects.Selection.from_host_state(
                    alt, allocation_request=alt_req, allocation_request_version=version))
            result.append(picks)
        return result


class _IndexedHandler(object):
    """Passes the server's index in a multi-create request on to the filters."""

    def __init__(self, handler, index):
        self._handler = handler
        self._index = index

    def get_filtered_objects(self, filters, hosts, spec_obj):
        return self._handler.get_filtered_objects(filters, hosts, spec_obj, self._index)
