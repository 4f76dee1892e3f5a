"""The compute API's create and delete around a boot that may never finish.

Real SQLite API and cell databases; conductor's cast goes nowhere (fake
transport) or fails on purpose; Placement is a recording stand-in.
"""

import oslo_messaging as messaging
import pytest

from nova.compute import api as compute_api
from nova import exception
from nova import objects
from tests.unit.compute import booting

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


class _Images(object):
    def get(self, context, image_id):
        return {'id': image_id, 'status': 'active', 'size': 1024, 'min_ram': 0,
                'min_disk': 0, 'disk_format': 'raw', 'container_format': 'bare',
                'properties': {}}


@pytest.fixture
def api(fake_rpc, two_cells):
    made = compute_api.API(image_api=_Images())
    made.reportclient = booting.RecordingReportClient()
    return made


@pytest.fixture
def flavor(ctxt):
    return booting.flavor(ctxt)


def _gone_from_api_db(ctxt, uuid):
    with pytest.raises(exception.BuildRequestNotFound):
        objects.BuildRequest.get_by_instance_uuid(ctxt, uuid)


def test_deleting_a_build_request_frees_its_allocation_itself(api, ctxt, flavor):
    request, _spec = booting.build_request(ctxt, flavor)
    api.delete(booting.user_context(), request.instance)
    _gone_from_api_db(ctxt, request.instance_uuid)
    assert api.reportclient.freed == [request.instance_uuid]
    mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, request.instance_uuid)
    assert mapping.queued_for_delete


@pytest.mark.parametrize('mapped', [True, False], ids=['mapped', 'not-yet-mapped'])
def test_a_cell_record_beside_the_build_request_goes_with_it(api, ctxt, flavor, two_cells,
                                                             mapped):
    # Conductor wrote the cell record (and maybe mapped it), then stopped
    # before removing the build request.
    request, _spec = booting.build_request(ctxt, flavor)
    booting.write_to_cell(ctxt, two_cells[1], request, map_it=mapped)
    api.delete(booting.user_context(), request.instance)
    _gone_from_api_db(ctxt, request.instance_uuid)
    assert booting.cell_record(ctxt, two_cells[1], request.instance_uuid) is None
    assert request.instance_uuid in api.reportclient.freed


def test_one_delete_removes_what_conductor_turned_the_build_request_into(api, ctxt, flavor,
                                                                         two_cells):
    request, _spec = booting.build_request(ctxt, flavor)
    seen_by_the_api = request.instance      # read while it was a build request
    booting.write_to_cell(ctxt, two_cells[1], request)
    request.destroy()                       # conductor moved on meanwhile
    api.delete(booting.user_context(), seen_by_the_api)
    assert booting.cell_record(ctxt, two_cells[1], request.instance_uuid) is None
    assert api.reportclient.freed == [request.instance_uuid]


def test_deleting_a_server_already_gone_is_not_found(api, ctxt, flavor):
    request, _spec = booting.build_request(ctxt, flavor)
    request.destroy()
    with pytest.raises(exception.InstanceNotFound):
        api.delete(booting.user_context(), request.instance)


def _create(api):
    ctxt = booting.user_context()
    flavor = objects.Flavor.get_by_flavor_id(ctxt.elevated(), '1')
    return api.create(ctxt, flavor, IMAGE, name='wave', min_count=3, max_count=3,
                      requested_networks='none')


def _api_db_rows(ctxt):
    return (len(objects.BuildRequestList.get_all(ctxt)),
            len(objects.InstanceMappingList.get_by_project_id(ctxt, booting.PROJECT)))


@pytest.mark.parametrize('error', [
    messaging.MessageDeliveryFailure('broker gone'),
    exception.TooManyInstances(overs='instances', req=1, used=10, allowed=10),
], ids=['cast-fails', 'over-quota-on-recheck'])
def test_a_failed_create_leaves_no_records(api, ctxt, flavor, monkeypatch, error):
    def fail(*args, **kwargs):
        raise error
    monkeypatch.setattr(api.compute_task_api, 'schedule_and_build_instances', fail)
    with pytest.raises(type(error)):
        _create(api)
    assert _api_db_rows(ctxt) == (0, 0)


def test_a_create_that_reaches_conductor_keeps_its_records(api, ctxt, flavor, monkeypatch):
    casts = []
    monkeypatch.setattr(api.compute_task_api, 'schedule_and_build_instances',
                        lambda context, **kwargs: casts.append(kwargs))
    instances, _reservation = _create(api)
    assert len(instances) == 3 and len(casts) == 1
    assert _api_db_rows(ctxt) == (3, 3)
