"""Cell-DB queries for compute nodes."""

import sqlalchemy as sa

from nova.db.main import engine
from nova.db.main import models
from nova.db.main.query import apply_updates, model_query, soft_delete_values
from nova import exception

__all__ = [
    'compute_node_get', 'compute_nodes_get_by_uuids', 'compute_node_versions_by_uuids',
    'compute_node_get_by_host_and_nodename',
    'compute_node_get_by_nodename', 'compute_node_get_all', 'compute_node_get_all_by_host',
    'compute_node_get_all_mapped_less_than', 'compute_node_search_by_hypervisor',
    'compute_node_create', 'compute_node_update', 'compute_node_delete',
]

CN = models.ComputeNode


def _nodes(context, *criteria):
    query = model_query(context, CN).where(*criteria).order_by(CN.id)
    return context.session.scalars(query).all()


@engine.reader
def compute_node_get(context, compute_id):
    nodes = _nodes(context, CN.id == compute_id)
    if not nodes:
        raise exception.ComputeNodeNotFound(compute_id=compute_id)
    return nodes[0]


@engine.reader
def compute_nodes_get_by_uuids(context, compute_uuids):
    return _nodes(context, CN.uuid.in_(list(compute_uuids)))


@engine.reader
def compute_node_versions_by_uuids(context, compute_uuids):
    """{uuid: updated_at} of the live nodes among ``compute_uuids``: two narrow
    columns, so a reader that keeps the nodes it read can tell which changed."""
    query = sa.select(CN.uuid, CN.updated_at).where(CN.uuid.in_(list(compute_uuids)),
                                                    CN.deleted == 0)
    return {uuid: updated_at for uuid, updated_at in context.session.execute(query)}


@engine.reader
def compute_node_get_by_host_and_nodename(context, host, nodename):
    nodes = _nodes(context, CN.host == host, CN.hypervisor_hostname == nodename)
    if not nodes:
        raise exception.ComputeHostNotFound(host=host)
    return nodes[0]


@engine.reader
def compute_node_get_by_nodename(context, hypervisor_hostname):
    nodes = _nodes(context, CN.hypervisor_hostname == hypervisor_hostname)
    if not nodes:
        raise exception.ComputeHostNotFound(host=hypervisor_hostname)
    return nodes[0]


@engine.reader
def compute_node_get_all(context):
    return _nodes(context)


@engine.reader
def compute_node_get_all_by_host(context, host):
    nodes = _nodes(context, CN.host == host)
    if not nodes:
        raise exception.ComputeHostNotFound(host=host)
    return nodes


@engine.reader
def compute_node_get_all_mapped_less_than(context, mapped_less_than):
    return _nodes(context, (CN.mapped < mapped_less_than) | CN.mapped.is_(None))


@engine.reader
def compute_node_search_by_hypervisor(context, hypervisor_match):
    return _nodes(context, CN.hypervisor_hostname.like('%' + hypervisor_match + '%'))


@engine.writer
def compute_node_create(context, values):
    values = dict(values)
    values.setdefault('mapped', 0)
    row = apply_updates(CN(), values)
    context.session.add(row)
    context.session.flush()
    return row


@engine.writer
def compute_node_update(context, compute_id, values):
    rows = _nodes(context, CN.id == compute_id)
    if not rows:
        raise exception.ComputeNodeNotFound(compute_id=compute_id)
    apply_updates(rows[0], values)
    context.session.flush()
    return rows[0]


@engine.writer
def compute_node_delete(context, compute_id):
    rows = _nodes(context, CN.id == compute_id)
    if not rows:
        raise exception.ComputeNodeNotFound(compute_id=compute_id)
    apply_updates(rows[0], soft_delete_values(rows[0].id))
    context.session.flush()
