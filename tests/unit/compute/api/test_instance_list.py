"""Listing across build requests and cells: each server once."""

import pytest

from nova.compute.api import instance_list
from nova.compute import task_states
from tests.unit.compute import booting


@pytest.fixture
def flavor(ctxt):
    return booting.flavor(ctxt)


def _listed(ctxt, filters=None):
    filters = dict(filters or {}, project_id=booting.PROJECT, deleted=False)
    return list(instance_list.get_instances_sorted(ctxt, filters, None, None, [], None,
                                                   None))


def test_a_server_written_to_its_cell_but_still_a_build_request_is_listed_once(
        fake_rpc, ctxt, flavor, two_cells):
    request, _spec = booting.build_request(ctxt, flavor, name='both')
    record = booting.write_to_cell(ctxt, two_cells[1], request)
    record.task_state = task_states.SPAWNING
    record.save()
    only_a_request, _spec = booting.build_request(ctxt, flavor, name='queued')
    listed = _listed(ctxt)
    assert sorted(i.uuid for i in listed) == sorted([request.instance_uuid,
                                                     only_a_request.instance_uuid])
    both = [i for i in listed if i.uuid == request.instance_uuid][0]
    assert both.task_state == task_states.SPAWNING   # the cell's record, further along
    assert [i.uuid for i in _listed(ctxt, {'name': '^bo'})] == [request.instance_uuid]
