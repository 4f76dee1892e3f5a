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


def _seed_interleaved(ctxt, cells, count):
    """``count`` servers alternating between ``cells``, with creation times that
    interleave across them, tie across them, and some unset sort values."""
    import datetime

    from nova import context as nova_context
    from nova import objects
    base = datetime.datetime(2026, 1, 1, 12, 0, 0)
    uuids = []
    for index in range(count):
        cell = cells[index % len(cells)]
        with nova_context.target_cell(ctxt, cell) as cctxt:
            inst = objects.Instance(
                cctxt, project_id=booting.PROJECT, user_id='demo', vm_state='active',
                display_name='srv-%02d' % (index % 5),
                host=None if index % 3 == 0 else 'host-%d' % (index % 4),
                # Every pair of servers (one per cell) shares a creation time.
                created_at=base + datetime.timedelta(seconds=index // 2),
                updated_at=base + datetime.timedelta(seconds=index // 2))
            inst.create()
        objects.InstanceMapping(ctxt, instance_uuid=inst.uuid, cell_mapping=cell,
                                project_id=booting.PROJECT, user_id='demo',
                                queued_for_delete=False).create()
        uuids.append(inst.uuid)
    return uuids


def _pages(ctxt, limit, sort_keys, sort_dirs, filters=None, records=False):
    filters = dict(filters or {}, project_id=booting.PROJECT, deleted=False)
    seen, marker = [], None
    while True:
        page = list(instance_list.get_instances_sorted(
            ctxt, filters, limit, marker, [], sort_keys, sort_dirs, records=records))
        seen.extend(i.uuid for i in page)
        if len(page) < limit:
            return seen
        marker = page[-1].uuid


@pytest.mark.parametrize('sort_keys,sort_dirs', [
    (None, None),
    (['created_at'], ['asc']),
    (['display_name'], ['asc']),
    (['display_name', 'created_at'], ['desc', 'asc']),
    (['host'], ['asc']),
    (['host'], ['desc']),
    (['uuid'], ['desc']),
])
@pytest.mark.parametrize('records', [False, True])
def test_pages_across_two_cells_have_no_gap_or_repeat(fake_rpc, ctxt, two_cells, sort_keys,
                                                      sort_dirs, records):
    uuids = _seed_interleaved(ctxt, two_cells, 17)
    whole = [i.uuid for i in instance_list.get_instances_sorted(
        ctxt, {'project_id': booting.PROJECT, 'deleted': False}, None, None, [],
        sort_keys, sort_dirs, records=records)]
    assert sorted(whole) == sorted(uuids)
    for limit in (1, 3, 4):
        paged = _pages(ctxt, limit, sort_keys, sort_dirs, records=records)
        assert paged == whole, limit


def test_pages_across_two_cells_follow_the_sort_key(fake_rpc, ctxt, two_cells):
    from nova import context as nova_context
    from nova import objects
    _seed_interleaved(ctxt, two_cells, 12)
    paged = _pages(ctxt, 5, ['created_at'], ['desc'])
    created = {}
    for cell in two_cells:
        with nova_context.target_cell(ctxt, cell) as cctxt:
            for inst in objects.InstanceList.get_by_filters(cctxt, {}):
                created[inst.uuid] = inst.created_at
    times = [created[u] for u in paged]
    assert times == sorted(times, reverse=True)
    # The newest pair spans both cells: the first page starts in one and goes on in the other.
    assert len({_cell_of(ctxt, u) for u in paged[:2]}) == 2


def _cell_of(ctxt, uuid):
    from nova import objects
    return objects.InstanceMapping.get_by_instance_uuid(ctxt, uuid).cell_mapping.uuid


def test_changes_since_pages_across_two_cells(fake_rpc, ctxt, two_cells):
    import datetime
    uuids = _seed_interleaved(ctxt, two_cells, 12)
    window = {'changes-since': datetime.datetime(2026, 1, 1, 12, 0, 1),
              'changes-before': datetime.datetime(2026, 1, 1, 12, 0, 4)}
    paged = _pages(ctxt, 3, ['updated_at'], ['asc'], filters=window)
    # Seconds 1 to 4 hold servers 2 to 9, four in each cell.
    assert paged and len(paged) == len(set(paged)) == 8
    assert sorted(paged) == sorted(uuids[2:10])
