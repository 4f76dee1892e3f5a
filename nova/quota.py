"""Counting-based quotas: limits from config, quota classes and per-project/user rows;
usage counted from what exists (instances in the cells, build requests, key pairs,
server groups), never from reservations.

With ``[quota] count_usage_from_placement`` servers are counted from the API
database's instance mappings and cores/RAM from Placement's allocations, so a
cell that does not answer cannot make a project look emptier than it is.

``[quota] driver`` picks the engine: ``DbQuotaDriver`` (limits in the API DB),
``NoopQuotaDriver`` (everything unlimited, nothing enforced). Keystone unified
limits are not supported here: ``UnifiedLimitsDriver`` is refused with a logged
error and the DB limits are enforced instead.

Races between concurrent requests are caught by ``[quota] recheck_quota``: the
caller creates its records, counts again, and undoes them when over the limit.
"""

import functools

from oslo_log import log as logging

import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.scheduler.client import report

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Resource names as the API, the DB rows and quota classes spell them.
RESOURCES = ('instances', 'cores', 'ram', 'metadata_items', 'injected_files',
             'injected_file_content_bytes', 'injected_file_path_bytes', 'key_pairs',
             'server_groups', 'server_group_members')
# Resources whose usage is counted (the others are per-request limits).
COUNTED = ('instances', 'cores', 'ram', 'key_pairs', 'server_groups')
_CONF_NAMES = {'injected_file_path_bytes': 'injected_file_path_length'}
_warned_unified = []


def driver_name():
    return (CONF.quota.driver or 'nova.quota.DbQuotaDriver').rsplit('.', 1)[-1]


def is_noop():
    name = driver_name()
    if name == 'UnifiedLimitsDriver' and not _warned_unified:
        _warned_unified.append(True)
        LOG.error('[quota] driver = nova.quota.UnifiedLimitsDriver is not supported by '
                  'this implementation; the limits stored in the API database are '
                  'enforced instead')
    return name == 'NoopQuotaDriver'


def config_limits():
    """{resource: limit} from the ``[quota]`` options."""
    return {name: getattr(CONF.quota, _CONF_NAMES.get(name, name)) for name in RESOURCES}


def _overlay(limits, rows):
    limits.update({k: v for k, v in rows.items() if k in limits})
    return limits


def class_limits(context, class_name):
    """Config defaults overlaid with the quota class ``class_name``."""
    if is_noop():
        return dict.fromkeys(RESOURCES, -1)
    return _overlay(config_limits(), objects.Quotas.get_all_class_by_name(context, class_name))


def default_limits(context):
    return class_limits(context, 'default')


def project_limits(context, project_id, user_id=None):
    """{resource: limit} of a project (with ``user_id``: overlaid by the user's rows)."""
    if is_noop():
        return dict.fromkeys(RESOURCES, -1)
    limits = default_limits(context)
    if user_id:
        rows = objects.Quotas.get_all_by_project_and_user(context, project_id, user_id)
    else:
        rows = objects.Quotas.get_all_by_project(context, project_id)
    return _overlay(limits, rows)


def user_limits(context, project_id, user_id):
    return project_limits(context, project_id, user_id=user_id)


def _instance_usage(context, project_id, user_id=None):
    """Instances, cores and RAM of a project (or of one of its users)."""
    if CONF.quota.count_usage_from_placement:
        if not objects.InstanceMappingList.has_incomplete_for_project(context, project_id):
            return _instance_usage_from_placement(context, project_id, user_id)
        LOG.debug('Instance mappings of project %s lack a user or a delete flag; '
                  'counting its usage from the cells', project_id)
    return _instance_usage_from_cells(context, project_id, user_id)


@functools.lru_cache(maxsize=None)
def _placement():
    """One Placement client per process (its keystone session is reused)."""
    return report.SchedulerReportClient()


def _instance_usage_from_placement(context, project_id, user_id=None):
    """Servers from instance mappings not queued for delete, cores/RAM from Placement.

    What Placement holds is what counts: a server being resized holds both
    flavors until confirmed or reverted, a shelved-offloaded or never
    scheduled server holds none.
    """
    scope = 'user' if user_id else 'project'
    instances = objects.InstanceMappingList.get_counts(
        context, project_id, user_id=user_id)[scope]['instances']
    held = _placement().get_usages_counts_for_quota(context, project_id, user_id=user_id)
    return {'instances': instances, 'cores': held['cores'], 'ram': held['ram']}


def _instance_usage_from_cells(context, project_id, user_id=None):
    """Instances, cores and RAM in every cell plus servers still being scheduled.

    Build requests are read first: a server whose build request is gone by
    then already exists in its cell, so it cannot be missed. A server found
    both as a build request and in a cell (conductor creates the instance
    before deleting the request) is counted once.
    """
    usage = {'instances': 0, 'cores': 0, 'ram': 0}
    scope = 'user' if user_id else 'project'
    building = {br.instance_uuid: br.instance for br in
                objects.BuildRequestList.get_by_filters(context, {'project_id': project_id})
                if not user_id or br.instance.user_id == user_id}
    for cell in objects.CellMappingList.get_all(context):
        try:
            with nova_context.target_cell(context, cell) as cctxt:
                if building:
                    for instance in objects.InstanceList.get_by_filters(
                            cctxt, {'uuid': list(building), 'deleted': False},
                            expected_attrs=[]):
                        building.pop(instance.uuid, None)
                counts = objects.InstanceList.get_counts(cctxt, project_id,
                                                         user_id=user_id)[scope]
        except Exception:
            LOG.warning('Cell %s did not answer; its usage is left out of quota counts',
                        cell.uuid, exc_info=True)
            continue
        for key in usage:
            usage[key] += counts[key]
    for instance in building.values():
        usage['instances'] += 1
        usage['cores'] += instance.vcpus or 0
        usage['ram'] += instance.memory_mb or 0
    return usage


def project_usage(context, project_id, include_server_groups=True, user_id=None):
    """Counted usage of a project (or of one of its users)."""
    usage = _instance_usage(context, project_id, user_id)
    if include_server_groups:
        usage['server_groups'] = 0
        try:
            counts = objects.InstanceGroupList.get_counts(context, project_id,
                                                          user_id=user_id)
            usage['server_groups'] = counts['user' if user_id else 'project'][
                'server_groups']
        except Exception:
            LOG.warning('Could not count server groups', exc_info=True)
    return usage


def detailed_usage(context, project_id, user_id=None):
    """{resource: in_use} for every resource (per-request ones are 0), as quota detail shows.

    Key pairs belong to users: a project-wide view counts none, as upstream.
    """
    usage = dict.fromkeys(RESOURCES, 0)
    usage.update(project_usage(context, project_id, user_id=user_id))
    if user_id:
        usage['key_pairs'] = objects.KeyPairList.get_count_by_user(context, user_id)
    return usage


# --- enforcement ----------------------------------------------------------------

def _headroom(limits, usage, wanted):
    """How many units of ``wanted`` fit under every limit (None: unlimited)."""
    fit = None
    for resource, per_unit in wanted.items():
        limit = limits[resource]
        if limit < 0 or per_unit <= 0:
            continue
        room = max(0, (limit - usage[resource]) // per_unit)
        fit = room if fit is None else min(fit, room)
    return fit


def _over(limits, usage, wanted, count):
    return sorted(r for r, per in wanted.items()
                  if limits[r] >= 0 and usage[r] + per * count > limits[r])


def _first_scope_passed(context, project_id, user_id, wanted, count):
    """(limits, usage, overs) of the first scope, the project's then (with
    ``user_id``) the user's, whose limits ``count`` more of ``wanted`` pass; else None."""
    scopes = [(project_limits(context, project_id), None)]
    if user_id:
        scopes.append((user_limits(context, project_id, user_id), user_id))
    for limits, scope_user in scopes:
        if all(limits[r] < 0 for r in wanted):
            continue
        usage = project_usage(context, project_id, include_server_groups=False,
                              user_id=scope_user)
        overs = _over(limits, usage, wanted, count)
        if overs:
            return limits, usage, overs
    return None


def allowed_instances(context, project_id, flavor, min_count, max_count, user_id=None):
    """How many of ``max_count`` servers of ``flavor`` fit; TooManyInstances below min.

    Both the project's and (with ``user_id``) the user's own limits apply.
    """
    if is_noop():
        return max_count
    wanted = {'instances': 1, 'cores': flavor.vcpus, 'ram': flavor.memory_mb}
    fit = max_count
    scopes = [(project_limits(context, project_id), None)]
    if user_id:
        limits = user_limits(context, project_id, user_id)
        if limits != scopes[0][0]:
            scopes.append((limits, user_id))
    for limits, scope_user in scopes:
        if all(limits[r] < 0 for r in wanted):
            continue
        usage = project_usage(context, project_id, include_server_groups=False,
                              user_id=scope_user)
        room = _headroom(limits, usage, wanted)
        if room is not None and room < min_count:
            overs = _over(limits, usage, wanted, min_count) or ['instances']
            resource = overs[0]
            raise exception.TooManyInstances(overs=', '.join(overs),
                                             req=wanted[resource] * min_count,
                                             used=usage[resource], allowed=limits[resource])
        if room is not None:
            fit = min(fit, room)
    return fit


def recheck_instances(context, project_id, flavor, user_id=None):
    """After records were created: TooManyInstances if usage now exceeds a limit.

    Called with the caller's own records already counted, so ``0`` more must fit.
    """
    if not CONF.quota.recheck_quota or is_noop():
        return
    wanted = {'instances': 1, 'cores': flavor.vcpus, 'ram': flavor.memory_mb}
    passed = _first_scope_passed(context, project_id, user_id, wanted, 0)
    if passed:
        limits, usage, overs = passed
        resource = overs[0]
        raise exception.TooManyInstances(overs=', '.join(overs), req=wanted[resource],
                                         used=usage[resource] - wanted[resource],
                                         allowed=limits[resource])


def check_resize(context, project_id, old_flavor, new_flavor, user_id=None):
    """TooManyInstances if growing from ``old_flavor`` to ``new_flavor`` (cores, RAM)
    would pass a limit of the project or the user; shrinking always fits."""
    if is_noop():
        return
    wanted = {'cores': new_flavor.vcpus - old_flavor.vcpus,
              'ram': new_flavor.memory_mb - old_flavor.memory_mb}
    wanted = {r: delta for r, delta in wanted.items() if delta > 0}
    if not wanted:
        return
    passed = _first_scope_passed(context, project_id, user_id, wanted, 1)
    if passed:
        limits, usage, overs = passed
        resource = overs[0]
        raise exception.TooManyInstances(overs=', '.join(overs), req=wanted[resource],
                                         used=usage[resource], allowed=limits[resource])


def check_metadata_items(context, project_id, count):
    limit = project_limits(context, project_id)['metadata_items']
    if 0 <= limit < count:
        raise exception.MetadataLimitExceeded(allowed=limit)


def check_injected_files(context, project_id, files):
    """``files``: [(path, content bytes)] as a server create passes them."""
    limits = project_limits(context, project_id)
    if 0 <= limits['injected_files'] < len(files):
        raise exception.OnsetFileLimitExceeded()
    for path, content in files:
        if 0 <= limits['injected_file_path_bytes'] < len(path):
            raise exception.OnsetFilePathLimitExceeded(
                allowed=limits['injected_file_path_bytes'])
        if 0 <= limits['injected_file_content_bytes'] < len(content):
            raise exception.OnsetFileContentLimitExceeded(
                allowed=limits['injected_file_content_bytes'])


def check_key_pairs(context, project_id, user_id, delta=1):
    """KeypairLimitExceeded when ``user_id`` may not own ``delta`` more key pairs."""
    limit = user_limits(context, project_id, user_id)['key_pairs']
    if limit >= 0 and objects.KeyPairList.get_count_by_user(context, user_id) + delta > limit:
        raise exception.KeypairLimitExceeded()


def check_server_groups(context, project_id, user_id, delta=1):
    for limits, scope_user in ((project_limits(context, project_id), None),
                               (user_limits(context, project_id, user_id), user_id)):
        limit = limits['server_groups']
        if limit < 0:
            continue
        used = project_usage(context, project_id, user_id=scope_user)['server_groups']
        if used + delta > limit:
            raise exception.OverQuota(overs='server_groups')


def check_server_group_members(context, project_id, current_members, delta=1):
    """OverQuota when a group of ``current_members`` servers may not take ``delta`` more."""
    limit = project_limits(context, project_id)['server_group_members']
    if limit >= 0 and current_members + delta > limit:
        raise exception.OverQuota(overs='server_group_members')


def settable_minimums(context, project_id, user_id=None):
    """{resource: smallest limit a non-forced update may set}: what is in use now."""
    usage = detailed_usage(context, project_id, user_id=user_id)
    return {name: usage[name] for name in COUNTED}
