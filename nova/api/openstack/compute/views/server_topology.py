"""A server's NUMA topology as the API shows it (2.78)."""


def _vcpus(cell):
    cpus = set(getattr(cell, 'cpuset', None) or ())
    cpus |= set(getattr(cell, 'pcpuset', None) or ())
    return sorted(cpus)


def topology(numa_topology, show_host):
    """The response body for an instance NUMA topology (or None: none)."""
    if numa_topology is None:
        return {'nodes': [], 'pagesize_kb': None}
    nodes = []
    pagesize_kb = None
    for cell in numa_topology.cells:
        node = {'vcpu_set': _vcpus(cell),
                'siblings': [sorted(group) for group in (cell.siblings or [])],
                'memory_mb': cell.memory}
        if show_host:
            node['host_node'] = cell.id
            node['cpu_pinning'] = dict(cell.cpu_pinning or {})
        if cell.pagesize:
            pagesize_kb = cell.pagesize
        nodes.append(node)
    return {'nodes': nodes, 'pagesize_kb': pagesize_kb}
