"""The cell database's compute node queries against a migrated SQLite file: not-found
errors, nodes not mapped yet, the hypervisor search, soft delete."""

import pytest

from nova.db.main import compute_node_api as db
from nova import exception


def _node(ctxt, host='h1', node='n1', **values):
    fields = dict(host=host, hypervisor_hostname=node, vcpus=1, memory_mb=1, local_gb=1,
                  vcpus_used=0, memory_mb_used=0, local_gb_used=0, hypervisor_type='fake',
                  hypervisor_version=1, cpu_info='{}')
    fields.update(values)
    return db.compute_node_create(ctxt, fields)


def test_create_starts_unmapped(ctxt):
    assert _node(ctxt).mapped == 0
    assert _node(ctxt, node='n2', mapped=2).mapped == 2
    assert [n.hypervisor_hostname for n in db.compute_node_get_all_mapped_less_than(
        ctxt, 1)] == ['n1']


def test_not_found_errors(ctxt):
    node = _node(ctxt)
    with pytest.raises(exception.ComputeNodeNotFound):
        db.compute_node_get(ctxt, node.id + 1)
    with pytest.raises(exception.ComputeHostNotFound):
        db.compute_node_get_by_nodename(ctxt, 'n2')
    with pytest.raises(exception.ComputeHostNotFound):
        db.compute_node_get_all_by_host(ctxt, 'h2')
    with pytest.raises(exception.ComputeNodeNotFound):
        db.compute_node_update(ctxt, node.id + 1, {'vcpus': 2})
    with pytest.raises(exception.ComputeNodeNotFound):
        db.compute_node_delete(ctxt, node.id + 1)


def test_search_update_and_delete(ctxt):
    node = _node(ctxt, node='compute-1.example')
    _node(ctxt, host='h2', node='other')
    assert [n.host for n in db.compute_node_search_by_hypervisor(ctxt, 'compute')] == ['h1']
    assert db.compute_node_update(ctxt, node.id, {'vcpus': 8}).vcpus == 8
    db.compute_node_delete(ctxt, node.id)
    assert [n.host for n in db.compute_node_get_all(ctxt)] == ['h2']
    assert db.compute_nodes_get_by_uuids(ctxt, [node.uuid]) == []
