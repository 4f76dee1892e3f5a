"""InstanceMapping against a migrated SQLite API database: mapped and unmapped
servers, counting for quotas (queued deletes left out), incomplete old mappings."""

import pytest
from oslo_utils import uuidutils

from nova import exception
from nova import objects


@pytest.fixture(autouse=True)
def _transport_url(fake_rpc):
    """A cell mapping read back fills its URLs from [DEFAULT] transport_url."""



@pytest.fixture
def cell(ctxt):
    cell = objects.CellMapping(ctxt, uuid=uuidutils.generate_uuid(), name='cell1',
                               transport_url='none:///', database_connection='sqlite://')
    cell.create()
    return cell


def _mapping(ctxt, cell=None, project='p', user='u', **values):
    mapping = objects.InstanceMapping(ctxt, instance_uuid=uuidutils.generate_uuid(),
                                      project_id=project, cell_mapping=cell, **values)
    if user is not None:
        mapping.user_id = user
    mapping.create()
    return mapping


def test_create_fills_the_defaults_and_reads_back_with_its_cell(ctxt, cell):
    unmapped = _mapping(ctxt, user=None)
    assert unmapped.queued_for_delete is False and unmapped.user_id is None
    assert unmapped.cell_mapping is None and not unmapped.obj_what_changed()
    mapped = _mapping(ctxt, cell)
    got = objects.InstanceMapping.get_by_instance_uuid(ctxt, mapped.instance_uuid)
    assert got.cell_mapping.uuid == cell.uuid and got.user_id == 'u'


def test_save_maps_a_server_to_its_cell(ctxt, cell):
    mapping = _mapping(ctxt)
    mapping.cell_mapping = cell
    mapping.save()
    got = objects.InstanceMapping.get_by_instance_uuid(ctxt, mapping.instance_uuid)
    assert got.cell_mapping.name == 'cell1'
    mapping.save()  # nothing changed: nothing written
    assert [m.instance_uuid for m in objects.InstanceMappingList.get_by_cell_id(
        ctxt, cell.id)] == [mapping.instance_uuid]


def test_missing_mappings(ctxt):
    missing = uuidutils.generate_uuid()
    with pytest.raises(exception.InstanceMappingNotFound):
        objects.InstanceMapping.get_by_instance_uuid(ctxt, missing)
    with pytest.raises(exception.InstanceMappingNotFound):
        objects.InstanceMapping(ctxt, instance_uuid=missing).destroy()


def test_counts_leave_out_queued_deletes_and_other_users(ctxt, cell):
    _mapping(ctxt, cell)
    _mapping(ctxt, cell, user='v')
    _mapping(ctxt, cell, queued_for_delete=True)
    _mapping(ctxt, cell, project='other')
    assert objects.InstanceMappingList.get_counts(ctxt, 'p') == {
        'project': {'instances': 2}}
    assert objects.InstanceMappingList.get_counts(ctxt, 'p', user_id='u') == {
        'project': {'instances': 2}, 'user': {'instances': 1}}


def test_lists_by_project_and_uuids(ctxt, cell):
    mine = [_mapping(ctxt, cell), _mapping(ctxt, user='v')]
    _mapping(ctxt, project='other')
    assert [m.instance_uuid for m in objects.InstanceMappingList.get_by_project_id(
        ctxt, 'p')] == [m.instance_uuid for m in mine]
    uuids = [m.instance_uuid for m in mine]
    assert len(objects.InstanceMappingList.get_by_instance_uuids(ctxt, uuids)) == 2
    assert objects.InstanceMappingList.get_count_by_uuids_and_user(ctxt, uuids, 'v') == 1


def test_a_mapping_without_a_user_is_incomplete(ctxt, cell):
    _mapping(ctxt, cell)
    assert not objects.InstanceMappingList.has_incomplete_for_project(ctxt, 'p')
    _mapping(ctxt, cell, user=None)
    assert objects.InstanceMappingList.has_incomplete_for_project(ctxt, 'p')
    assert not objects.InstanceMappingList.has_incomplete_for_project(ctxt, 'other')
