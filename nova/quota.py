"""Counting-based quotas: limits from config, quota classes and per-project rows;
usage counted from what exists (instances in the cells), never from reservations.
"""

from oslo_log import log as logging

import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

RESOURCES = ('instances', 'cores', 'ram', 'metadata_items', 'injected_files',
             'injected_file_content_bytes', 'injected_file_path_length', 'key_pairs',
             'server_groups', 'server_group_members')


def project_limits(context, project_id):
    """{resource: limit}: config defaults, the 'default' quota class, then the project's."""
    limits = {name: getattr(CONF.quota, name) for name in RESOURCES}
    try:
        limits.update({k: v for k, v in
                       objects.Quotas.get_all_class_by_name(context, 'default').items()
                       if k in limits})
    except exception.NotFound:
        pass
    try:
        limits.update({k: v for k, v in
                       objects.Quotas.get_all_by_project(context, project_id).items()
                       if k in limits})
    except exception.NotFound:
        pass
    return limits


def project_usage(context, project_id, include_server_groups=True):
    """Instances, cores and RAM summed over every cell (plus server groups)."""
    usage = {'instances': 0, 'cores': 0, 'ram': 0}
    for cell in objects.CellMappingList.get_all(context):
        try:
            with nova_context.target_cell(context, cell) as cctxt:
                counts = objects.InstanceList.get_counts(cctxt, project_id)['project']
        except Exception:
            LOG.warning('Cell %s did not answer; its usage is left out of quota counts',
                        cell.uuid, exc_info=True)
            continue
        for key in ('instances', 'cores', 'ram'):
            usage[key] += counts[key]
    # Servers still being scheduled exist only as build requests.
    for build_request in objects.BuildRequestList.get_by_filters(
            context, {'project_id': project_id}):
        instance = build_request.instance
        usage['instances'] += 1
        usage['cores'] += instance.vcpus or 0
        usage['ram'] += instance.memory_mb or 0
    if include_server_groups:
        usage['server_groups'] = 0
        try:
            usage['server_groups'] = objects.InstanceGroupList.get_counts(
                context, project_id)['project']['server_groups']
        except Exception:
            LOG.warning('Could not count server groups', exc_info=True)
    return usage


def allowed_instances(context, project_id, flavor, min_count, max_count):
    """How many of ``max_count`` servers of ``flavor`` fit; TooManyInstances below min."""
    limits = project_limits(context, project_id)
    wanted = {'instances': 1, 'cores': flavor.vcpus, 'ram': flavor.memory_mb}
    if all(limits[r] < 0 for r in wanted):
        return max_count
    usage = project_usage(context, project_id, include_server_groups=False)
    fit = max_count
    for resource, per_instance in wanted.items():
        limit = limits[resource]
        if limit < 0 or per_instance <= 0:
            continue
        fit = min(fit, max(0, (limit - usage[resource]) // per_instance))
    if fit >= min_count:
        return fit
    overs = sorted(r for r, per in wanted.items()
                   if limits[r] >= 0 and usage[r] + per * min_count > limits[r])
    resource = overs[0] if overs else 'instances'
    raise exception.TooManyInstances(overs=', '.join(overs) or 'instances',
                                     req=wanted[resource] * min_count,
                                     used=usage[resource], allowed=limits[resource])
