"""Listing instances across build requests and every cell, sorted and paged as one.

Servers still being scheduled exist only as build requests in the API DB; the
rest live in cell databases. A page is the first ``limit`` of their union in
the requested sort order, starting after the marker wherever it lives.
"""

import datetime

from oslo_log import log as logging

from nova.compute.api import down_cells
import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.objects import instance_record

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _full_sort(sort_keys, sort_dirs):
    """The cells' ordering: the caller's keys, then created_at and id, as the DB adds them."""
    keys = [k for k in (sort_keys or ['created_at']) if k != 'id']
    dirs = list(sort_dirs or [])[:len(keys)]
    default_dir = dirs[0] if dirs else 'desc'
    dirs += [default_dir] * (len(keys) - len(dirs))
    if 'created_at' not in keys:
        keys.append('created_at')
        dirs.append(default_dir)
    return keys + ['id'], dirs + [default_dir]


def _plain(value):
    """A value comparable across sources: aware datetimes (objects) as naive UTC (rows)."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def _slot(instance, key, rank):
    """One sort position of an instance; None sorts first ascending, as the DBs do.

    ``id`` only orders a cell's own rows: across sources the position is
    (cell rank, id, uuid), build requests (rank -1, no id) first.
    """
    if key == 'id':
        row_id = instance.id if instance.obj_attr_is_set('id') else 0
        return (rank, row_id or 0, instance.uuid)
    value = getattr(instance, key, None) if instance.obj_attr_is_set(key) else None
    return (value is not None, _plain(value) if value is not None else 0)


def _merge(sources, sort_keys, sort_dirs):
    """[(rank, instances)] in one list, in the global order (stable sorts, last key first)."""
    ranked = [(rank, inst) for rank, found in sources for inst in found]
    for index in range(len(sort_keys) - 1, -1, -1):
        key = sort_keys[index]
        try:
            ranked.sort(key=lambda pair: _slot(pair[1], key, pair[0]),
                        reverse=sort_dirs[index] == 'desc')
        except TypeError:
            ranked.sort(key=lambda pair: str(_slot(pair[1], key, pair[0])),
                        reverse=sort_dirs[index] == 'desc')
    return [inst for _rank, inst in ranked]


def _after(instance, rank, marker, marker_rank, sort_keys, sort_dirs):
    """True if ``instance`` (of the source ranked ``rank``) comes after the marker."""
    for key, direction in zip(sort_keys, sort_dirs):
        mine = _slot(instance, key, rank)
        theirs = _slot(marker, key, marker_rank)
        try:
            if mine == theirs:
                continue
            later = mine > theirs
        except TypeError:
            later = str(mine) > str(theirs)
        return later if direction == 'asc' else not later
    return False


def _read_objects(context, filters, marker_values=None, ids_follow_marker=False, **kwargs):
    if marker_values is None:
        return objects.InstanceList.get_by_filters(context, filters, **kwargs)
    return objects.InstanceList.get_after_marker_values(
        context, filters, marker_values, ids_follow_marker, **kwargs)


class _MarkerValues(object):
    """The marker's sort values as a cell's query compares them (naive datetimes)."""

    def __init__(self, instance, sort_keys):
        for key in sort_keys:
            value = getattr(instance, key, None) if instance.obj_attr_is_set(key) else None
            setattr(self, key, _plain(value))


def _find_marker(context, marker):
    """The marker instance (any cell or build request) and the cell it lives in."""
    try:
        mapping = objects.InstanceMapping.get_by_instance_uuid(context, marker)
    except exception.InstanceMappingNotFound:
        raise exception.MarkerNotFound(marker=marker)
    if mapping.cell_mapping is None:
        try:
            return objects.BuildRequest.get_by_instance_uuid(context, marker).instance, None
        except exception.BuildRequestNotFound:
            raise exception.MarkerNotFound(marker=marker)
    with nova_context.target_cell(context, mapping.cell_mapping) as cctxt:
        try:
            filters = {'uuid': marker}
            found = objects.InstanceList.get_by_filters(
                cctxt.elevated(read_deleted='yes'), filters, limit=1)
        except exception.NotFound:
            found = []
    if not found:
        raise exception.MarkerNotFound(marker=marker)
    return found[0], mapping.cell_mapping.uuid


# Filters a partial record of a down cell's server can be said to match.
_DOWN_CELL_FILTERS = frozenset(['project_id', 'deleted'])


def _from_down_cell(context, cell, filters, limit, cell_down_support):
    """Partial records (2.69) for a cell that did not answer, or nothing.

    Only a listing filtered by nothing but the project gets them: nothing is
    known of such a server to match any other filter against.  Below 2.69
    the cell's servers are skipped, or the listing fails if
    ``[api] list_records_by_skipping_down_cells`` is off.
    """
    if cell_down_support:
        if set(filters) <= _DOWN_CELL_FILTERS and not filters.get('deleted'):
            return down_cells.listed(context, cell, filters.get('project_id'), limit)
        return []
    if not CONF.api.list_records_by_skipping_down_cells:
        raise exception.CellNotResponding(cell_uuid=cell.uuid)
    return []


def get_instances_sorted(context, filters, limit, marker, expected_attrs, sort_keys,
                         sort_dirs, cell_down_support=False, records=False):
    """One page of instances from build requests and all cells, merged in order.

    Every cell orders its rows by the same keys (the caller's, then
    created_at, then id); rows equal on all but id are ordered by the cells'
    rank (their order in the API DB), build requests first. Each cell is
    asked only for rows strictly after the marker in that global order, the
    marker's values standing in for a row of its own when it lives
    elsewhere, so a page may start in one cell and end in another with no
    gap or repeat. With ``records`` the cells' servers come as read-only
    InstanceRecords (what the API's views read), not as Instance objects.
    """
    read_cell = instance_record.get_by_filters if records else _read_objects
    sort_keys, sort_dirs = _full_sort(sort_keys, sort_dirs)
    ids_ascending = sort_dirs[-1] == 'asc'

    cells = list(objects.CellMappingList.get_all(context))
    ranks = {cell.uuid: rank for rank, cell in enumerate(cells)}
    marker_instance, marker_rank = (None, None)
    if marker:
        marker_instance, marker_cell = _find_marker(context, marker)
        marker_rank = ranks.get(marker_cell, -1)
        marker_values = _MarkerValues(marker_instance, sort_keys)

    sources = []
    unordered = False  # a down cell's partial records come in no particular order
    try:
        build_reqs = objects.BuildRequestList.get_by_filters(
            context, filters, limit=None, sort_keys=sort_keys[:-1],
            sort_dirs=sort_dirs[:-1])
        building = [br.instance for br in build_reqs]
    except exception.MarkerNotFound:
        building = []
    if marker_instance is not None:
        building = [i for i in building if _after(i, -1, marker_instance, marker_rank,
                                                  sort_keys, sort_dirs)]

    for rank, cell in enumerate(cells):
        kwargs = {}
        if marker_instance is not None:
            if rank == marker_rank:
                kwargs['marker'] = marker
            else:
                # Rows tied with the marker on every key but id follow it if
                # this cell ranks after the marker's in the id direction.
                kwargs['marker_values'] = marker_values
                kwargs['ids_follow_marker'] = (rank > marker_rank) == ids_ascending
        with nova_context.target_cell(context, cell) as cctxt:
            try:
                found = read_cell(
                    cctxt, filters, limit=limit, expected_attrs=expected_attrs,
                    sort_keys=sort_keys, sort_dirs=sort_dirs, **kwargs)
            except exception.MarkerNotFound:
                found = []
            except Exception as exc:
                LOG.warning('Cell %s did not answer while listing instances: %s',
                            cell.uuid, exc)
                found = _from_down_cell(context, cell, filters, limit, cell_down_support)
                unordered = True
        if found:
            sources.append((rank, list(found)))

    # Between conductor writing a server to its cell and removing its build
    # request both exist; the cell's record is the one further along.
    in_cells = {instance.uuid for _rank, found in sources for instance in found}
    building = [i for i in building if i.uuid not in in_cells]
    if building:
        sources.append((-1, building))
    if len(sources) == 1 and sources[0][0] >= 0 and not unordered:
        candidates = sources[0][1]  # one cell's page, already in its order
    else:
        candidates = _merge(sources, sort_keys, sort_dirs)
    if limit is not None:
        candidates = candidates[:limit]
    if records:
        return candidates
    return objects.InstanceList(context, objects=candidates)
