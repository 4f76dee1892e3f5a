"""A host and/or node an administrator asks a new server to be built on (2.74).

Unlike the older ``zone:host:node`` form, the request still goes through
the scheduler: Placement and the filters only consider that host or node,
so a destination that cannot fit the server fails as NoValidHost instead of
being forced.  The API checks that the host or node exists, so that a typo
is the caller's 400 rather than a server in ERROR.
"""

from nova import context as nova_context
from nova import exception
from nova import objects


def validate(context, host=None, node=None):
    """Raise ComputeHostNotFound unless the named host and/or node exists.

    A host is known through its host mapping (every discovered compute has
    one); a node alone is looked up in the cells' compute nodes; both
    together must be one compute node of that host's cell.
    """
    if host:
        try:
            mapping = objects.HostMapping.get_by_host(context, host)
        except exception.HostMappingNotFound:
            raise exception.ComputeHostNotFound(host=host)
        if node:
            with nova_context.target_cell(context, mapping.cell_mapping) as cctxt:
                objects.ComputeNode.get_by_host_and_nodename(cctxt, host, node)
        return
    if node and not _node_exists(context, node):
        raise exception.ComputeHostNotFound(host=node)


def _node_exists(context, node):
    for cell in objects.CellMappingList.get_all(context):
        if cell.is_cell0():
            continue
        with nova_context.target_cell(context, cell) as cctxt:
            try:
                objects.ComputeNode.get_by_nodename(cctxt, node)
            except exception.ComputeHostNotFound:
                continue
        return True
    return False


def build(host=None, node=None):
    """The RequestSpec.requested_destination for a host and/or node, or None."""
    if not (host or node):
        return None
    destination = objects.Destination()
    if host:
        destination.host = host
    if node:
        destination.node = node
    return destination
