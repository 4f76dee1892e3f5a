"""Conductor's sweep ends builds no compute host has once they pass the timeout."""

import datetime

from oslo_utils import timeutils
import pytest

from nova.compute import task_states
from nova.compute import vm_states
from nova.conductor import build_sweep
from nova.conductor import compute_task
from nova import context as nova_context
from nova import exception
from nova import objects
from tests.unit.compute import booting

TIMEOUT = 120


@pytest.fixture
def flavor(ctxt):
    return booting.flavor(ctxt)


@pytest.fixture
def manager(fake_rpc, two_cells):
    made = compute_task.ComputeTaskManager()
    made.reportclient = booting.RecordingReportClient()
    return made


@pytest.fixture
def later():
    """Move the clock ``TIMEOUT`` + 1 seconds on for what runs next."""
    def move():
        timeutils.set_time_override(timeutils.utcnow() +
                                    datetime.timedelta(seconds=TIMEOUT + 1))
    yield move
    timeutils.clear_time_override()


def _fault_messages(ctxt, cell, uuid):
    with nova_context.target_cell(ctxt, cell) as cctxt:
        return [f.message for f in
                objects.InstanceFaultList.get_by_instance_uuids(cctxt, [uuid])]


def test_a_lost_build_request_is_buried_once_overdue(manager, ctxt, flavor, two_cells,
                                                     later):
    request, _spec = booting.build_request(ctxt, flavor)
    assert build_sweep.end_lost_build_requests(ctxt, manager, TIMEOUT) == 0
    later()
    assert build_sweep.end_lost_build_requests(ctxt, manager, TIMEOUT) == 1
    record = booting.cell_record(ctxt, two_cells[0], request.instance_uuid)
    assert record.vm_state == vm_states.ERROR
    assert any('instance_build_timeout' in m
               for m in _fault_messages(ctxt, two_cells[0], request.instance_uuid))
    with pytest.raises(exception.BuildRequestNotFound):
        objects.BuildRequest.get_by_instance_uuid(ctxt, request.instance_uuid)
    assert manager.reportclient.freed == [request.instance_uuid]


def test_a_build_request_conductor_half_wrote_ends_in_its_cell(manager, ctxt, flavor,
                                                               two_cells, later):
    request, _spec = booting.build_request(ctxt, flavor)
    booting.write_to_cell(ctxt, two_cells[1], request, map_it=False)  # killed here
    later()
    build_sweep.end_lost_build_requests(ctxt, manager, TIMEOUT)
    assert booting.cell_record(ctxt, two_cells[1], request.instance_uuid).vm_state == \
        vm_states.ERROR
    assert booting.cell_record(ctxt, two_cells[0], request.instance_uuid) is None
    mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, request.instance_uuid)
    assert mapping.cell_mapping.uuid == two_cells[1].uuid


def test_an_unclaimed_cell_record_goes_to_error_and_frees_its_claim(manager, ctxt, flavor,
                                                                    two_cells, later):
    request, _spec = booting.build_request(ctxt, flavor)
    booting.write_to_cell(ctxt, two_cells[1], request)
    request.destroy()               # the cast to the compute host was then lost
    claimed, _spec = booting.build_request(ctxt, flavor, name='taken')
    taken = booting.write_to_cell(ctxt, two_cells[1], claimed, host='some-host')
    taken.task_state = task_states.SPAWNING
    taken.save()
    claimed.destroy()
    later()
    reportclient = manager.reportclient
    assert build_sweep.end_unclaimed_instances(ctxt, reportclient, TIMEOUT) == 1
    record = booting.cell_record(ctxt, two_cells[1], request.instance_uuid)
    assert (record.vm_state, record.task_state) == (vm_states.ERROR, None)
    assert _fault_messages(ctxt, two_cells[1], request.instance_uuid)
    assert reportclient.freed == [request.instance_uuid]
    # A build a host has taken is that host's to time out.
    assert booting.cell_record(ctxt, two_cells[1], claimed.instance_uuid).vm_state == \
        vm_states.BUILDING
