"""A host (``/os-hosts/{host}``) as the API shows it: its resources and their use."""

import collections


def _row(host, project, cpu, memory_mb, disk_gb):
    return {'resource': {'host': host, 'project': project, 'cpu': cpu,
                         'memory_mb': memory_mb, 'disk_gb': disk_gb}}


def resource_rows(host, node, instances):
    """(total), (used_now), (used_max) and one row per project with instances here."""
    rows = [_row(host, '(total)', node.vcpus, node.memory_mb, node.local_gb),
            _row(host, '(used_now)', node.vcpus_used, node.memory_mb_used,
                      node.local_gb_used)]
    by_project = collections.OrderedDict()
    used_max = [0, 0, 0]
    for instance in instances:
        use = (instance.vcpus or 0, instance.memory_mb or 0,
               (instance.root_gb or 0) + (instance.ephemeral_gb or 0))
        project = by_project.setdefault(instance.project_id, [0, 0, 0])
        for i, amount in enumerate(use):
            project[i] += amount
            used_max[i] += amount
    rows.append(_row(host, '(used_max)', *used_max))
    rows.extend(_row(host, project, *use) for project, use in by_project.items())
    return rows
