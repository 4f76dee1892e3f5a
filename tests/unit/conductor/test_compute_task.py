"""Conductor's build failure path: one record, in ERROR, where its mapping says.

Real SQLite API, cell0 and cell1 databases; the scheduler's answer and the
compute cast are stand-ins (no services run in the unit tier); Placement is
a recording stand-in.
"""

import oslo_messaging as messaging
import pytest

from nova.compute import task_states
from nova.compute import vm_states
from nova.conductor import compute_task
from nova import context as nova_context
from nova import exception
from nova import objects
from tests.unit.compute import booting

HOST = 'wave-host'


@pytest.fixture
def flavor(ctxt):
    return booting.flavor(ctxt)


@pytest.fixture
def manager(fake_rpc, two_cells):
    made = compute_task.ComputeTaskManager()
    made.reportclient = booting.RecordingReportClient()
    return made


def _faults(ctxt, cell, uuid):
    with nova_context.target_cell(ctxt, cell) as cctxt:
        return list(objects.InstanceFaultList.get_by_instance_uuids(cctxt, [uuid]))


def _assert_one_error_record(ctxt, cells, uuid, expected_cell):
    cell0, cell1 = cells
    other = cell1 if expected_cell is cell0 else cell0
    record = booting.cell_record(ctxt, expected_cell, uuid)
    assert record is not None and record.vm_state == vm_states.ERROR
    assert record.task_state is None
    assert booting.cell_record(ctxt, other, uuid) is None
    assert _faults(ctxt, expected_cell, uuid)
    mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, uuid)
    assert mapping.cell_mapping.uuid == expected_cell.uuid
    with pytest.raises(exception.BuildRequestNotFound):
        objects.BuildRequest.get_by_instance_uuid(ctxt, uuid)


def test_without_a_cell_record_the_server_is_buried_in_cell0(manager, ctxt, flavor,
                                                             two_cells):
    request, spec = booting.build_request(ctxt, flavor)
    manager.fail_build_request(ctxt, request, spec, exception.NoValidHost(reason='full'))
    _assert_one_error_record(ctxt, two_cells, request.instance_uuid, two_cells[0])
    assert manager.reportclient.freed == [request.instance_uuid]


@pytest.mark.parametrize('mapped, request_left', [
    (True, False),    # everything done but the cast to compute
    (True, True),     # stopped after mapping, before removing the build request
    (False, True),    # stopped between writing the record and mapping it
], ids=['cast-failed', 'before-build-request-removal', 'before-mapping'])
def test_a_written_cell_record_takes_the_failure_in_its_cell(manager, ctxt, flavor,
                                                             two_cells, mapped,
                                                             request_left):
    request, spec = booting.build_request(ctxt, flavor)
    booting.write_to_cell(ctxt, two_cells[1], request, map_it=mapped)
    if not request_left:
        request.destroy()
    manager.fail_build_request(ctxt, request, spec,
                               messaging.MessageDeliveryFailure('no route'))
    _assert_one_error_record(ctxt, two_cells, request.instance_uuid, two_cells[1])
    assert manager.reportclient.freed == [request.instance_uuid]


def test_a_server_deleted_meanwhile_leaves_nothing(manager, ctxt, flavor, two_cells):
    request, spec = booting.build_request(ctxt, flavor)
    booting.write_to_cell(ctxt, two_cells[1], request)
    # The user's DELETE took the build request while conductor worked.
    request.destroy()
    mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, request.instance_uuid)
    mapping.queued_for_delete = True
    mapping.save()
    manager.fail_build_request(ctxt, request, spec, messaging.MessageDeliveryFailure('x'))
    assert booting.cell_record(ctxt, two_cells[1], request.instance_uuid) is None
    assert booting.cell_record(ctxt, two_cells[0], request.instance_uuid) is None


def test_a_record_a_host_has_taken_is_left_to_that_host(manager, ctxt, flavor, two_cells):
    # A second run of the build (its message delivered again after conductor
    # was killed) fails, while the host the first run sent it to is building it.
    request, spec = booting.build_request(ctxt, flavor)
    record = booting.write_to_cell(ctxt, two_cells[1], request, host=HOST)
    record.task_state = task_states.SPAWNING
    record.save()
    manager.fail_build_request(ctxt, request, spec, exception.NoValidHost(reason='full'))
    kept = booting.cell_record(ctxt, two_cells[1], request.instance_uuid)
    assert (kept.vm_state, kept.task_state, kept.host) == (
        vm_states.BUILDING, task_states.SPAWNING, HOST)
    assert not _faults(ctxt, two_cells[1], request.instance_uuid)
    assert manager.reportclient.freed == []
    assert booting.cell_record(ctxt, two_cells[0], request.instance_uuid) is None
    with pytest.raises(exception.BuildRequestNotFound):
        objects.BuildRequest.get_by_instance_uuid(ctxt, request.instance_uuid)


class _Scheduler(object):
    def __init__(self, cell):
        self.cell = cell

    def select_destinations(self, context, spec, instance_uuids, **kwargs):
        return [[objects.Selection(service_host=HOST, nodename=HOST,
                                   compute_node_uuid='2c6a1b1e-3d5a-4f1c-9a56-0d1c1f7e0a11',
                                   cell_uuid=self.cell.uuid, limits=None,
                                   allocation_request=None,
                                   allocation_request_version=None,
                                   availability_zone=None)]
                for _uuid in instance_uuids]


class _UnreachableCompute(object):
    def build_and_run_instance(self, *args, **kwargs):
        raise messaging.MessageDeliveryFailure('compute.%s: no route' % HOST)


def test_a_failed_cast_to_compute_leaves_one_deletable_record(manager, ctxt, flavor,
                                                              two_cells):
    objects.HostMapping(ctxt, host=HOST, cell_mapping=two_cells[1]).create()
    manager._scheduler_rpcapi = _Scheduler(two_cells[1])
    manager._compute_rpcapi = _UnreachableCompute()
    made = [booting.build_request(ctxt, flavor, name='w%d' % i) for i in range(2)]
    manager.schedule_and_build_instances(
        ctxt, [r for r, _s in made], [s for _r, s in made], image={},
        admin_password=None, injected_files=[], requested_networks=None,
        block_device_mapping=[])
    for request, _spec in made:
        _assert_one_error_record(ctxt, two_cells, request.instance_uuid, two_cells[1])


@pytest.mark.parametrize('written', [False, True], ids=['buried-in-cell0', 'in-its-cell'])
def test_the_fault_is_written_before_the_record_shows_error(manager, ctxt, flavor, two_cells,
                                                            monkeypatch, written):
    # A list between the two writes must never show a server in ERROR without
    # its fault: the fault goes first.
    from nova.compute import utils as compute_utils
    request, spec = booting.build_request(ctxt, flavor)
    cell = two_cells[1] if written else two_cells[0]
    if written:
        booting.write_to_cell(ctxt, cell, request)
    seen = []
    real = compute_utils.add_instance_fault_from_exc

    def spy(context, instance, exc, exc_tb=None, host=None):
        seen.append(booting.cell_record(ctxt, cell, instance.uuid).vm_state)
        return real(context, instance, exc, exc_tb, host=host)

    monkeypatch.setattr(compute_utils, 'add_instance_fault_from_exc', spy)
    manager.fail_build_request(ctxt, request, spec, exception.NoValidHost(reason='full'))
    assert seen and vm_states.ERROR not in seen
    _assert_one_error_record(ctxt, two_cells, request.instance_uuid, cell)
