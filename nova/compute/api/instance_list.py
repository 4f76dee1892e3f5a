"""Listing instances across build requests and every cell, sorted and paged as one.

Servers still being scheduled exist only as build requests in the API DB; the
rest live in cell databases. A page is the first ``limit`` of their union in
the requested sort order, starting after the marker wherever it lives.
"""

import functools

from oslo_log import log as logging

from nova.compute.api import down_cells
import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _sort_value(instance, key):
    value = getattr(instance, key, None) if instance.obj_attr_is_set(key) else None
    # None sorts first ascending, as the databases do for NULLs here.
    return (value is not None, value if value is not None else 0)


def _compare(sort_keys, sort_dirs, a, b):
    for key, direction in zip(sort_keys, sort_dirs):
        va, vb = _sort_value(a, key), _sort_value(b, key)
        try:
            if va == vb:
                continue
            smaller = va < vb
        except TypeError:
            smaller = str(va) < str(vb)
        result = -1 if smaller else 1
        return result if direction == 'asc' else -result
    return 0


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
                         sort_dirs, cell_down_support=False):
    """One page of instances from build requests and all cells, merged in order."""
    sort_keys = list(sort_keys or ['created_at', 'id'])
    sort_dirs = list(sort_dirs or ['desc'] * len(sort_keys))
    # 'id' only breaks ties within a cell; uuid keeps the merge deterministic.
    merge_keys = [k for k in sort_keys if k != 'id'] + ['uuid']
    merge_dirs = [d for k, d in zip(sort_keys, sort_dirs) if k != 'id'] + [sort_dirs[-1]]
    compare = functools.cmp_to_key(functools.partial(_compare, merge_keys, merge_dirs))

    marker_instance, marker_cell = (None, None)
    if marker:
        marker_instance, marker_cell = _find_marker(context, marker)

    candidates = []
    building = []
    try:
        build_reqs = objects.BuildRequestList.get_by_filters(
            context, filters, limit=None, sort_keys=sort_keys, sort_dirs=sort_dirs)
        building.extend(br.instance for br in build_reqs)
    except exception.MarkerNotFound:
        pass

    for cell in objects.CellMappingList.get_all(context):
        with nova_context.target_cell(context, cell) as cctxt:
            cell_marker = marker if marker_cell == cell.uuid else None
            try:
                found = objects.InstanceList.get_by_filters(
                    cctxt, filters, limit=limit, marker=cell_marker,
                    expected_attrs=expected_attrs, sort_keys=sort_keys,
                    sort_dirs=sort_dirs)
            except exception.MarkerNotFound:
                found = []
            except Exception as exc:
                LOG.warning('Cell %s did not answer while listing instances: %s',
                            cell.uuid, exc)
                candidates.extend(_from_down_cell(context, cell, filters, limit,
                                                  cell_down_support))
                continue
            candidates.extend(found)

    # Between conductor writing a server to its cell and removing its build
    # request both exist; the cell's record is the one further along.
    in_cells = {instance.uuid for instance in candidates}
    candidates.extend(i for i in building if i.uuid not in in_cells)
    candidates.sort(key=compare)
    if marker_instance is not None:
        # Drop everything up to and including the marker in the merged order.
        marker_key = compare(marker_instance)
        candidates = [i for i in candidates
                      if compare(i) > marker_key and i.uuid != marker_instance.uuid]
    if limit is not None:
        candidates = candidates[:limit]
    return objects.InstanceList(context, objects=candidates)
