"""Cell-DB queries for instances and the rows that hang off them.

Rows come back as plain dicts (columns plus whichever joined pieces the caller
asked for), so objects never touch a detached ORM row whose relationships were
not loaded. Joined pieces a caller may ask for with ``columns_to_join``:
``metadata``, ``system_metadata`` (dicts), ``info_cache`` (dict or None),
``security_groups`` (list of dicts), ``tags`` (list of str) and
``extra`` / ``extra.<column>`` (the instance_extra row, or the named columns).
"""

import re

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova.db.main import engine
from nova.db.main import models
from nova.db.main.query import model_query, soft_delete_values
from nova import exception

__all__ = [
    'instance_create', 'instance_get', 'instance_get_by_uuid', 'instance_get_all_by_host',
    'instance_get_all_by_filters_sort', 'instance_update_and_get_original',
    'instance_destroy', 'instance_info_cache_get', 'instance_info_cache_update',
    'instance_info_cache_delete', 'instance_extra_get_by_instance_uuid',
    'instance_extra_update_by_uuid', 'instance_metadata_get', 'instance_system_metadata_get',
    'instance_fault_create', 'instance_fault_get_by_instance_uuids',
    'instance_get_active_by_window_joined', 'INSTANCE_EXTRA_COLUMNS',
]

Inst = models.Instance

INSTANCE_EXTRA_COLUMNS = ('numa_topology', 'pci_requests', 'flavor', 'vcpu_model',
                          'migration_context', 'keypairs', 'device_metadata',
                          'trusted_certs', 'resources')

_INSTANCE_COLUMNS = tuple(c.key for c in sa.inspect(Inst).column_attrs)

# Instances not soft-deleted (a soft-deleted server's row is still live: deleted == 0).
NOT_SOFT_DELETED = sa.or_(Inst.vm_state.is_(None), Inst.vm_state != 'soft-delete')

# Sort keys a caller may name; anything else is a bad request upstream too.
_SORTABLE = frozenset(_INSTANCE_COLUMNS)

# Filters matched as case-insensitive regular expressions, as upstream does
# (a plain word is a substring match; a pattern the regex engine rejects is
# matched literally rather than failing the request).
_SUBSTRING_FILTERS = ('display_name', 'display_description', 'hostname', 'name',
                      'reservation_id', 'key_name', 'image_ref', 'node', 'host',
                      'locked_by')
_SUBSTRING_ONLY = ('display_name', 'display_description', 'hostname', 'name')
# Filters matched exactly (a list means "any of").
_EXACT_FILTERS = ('project_id', 'user_id', 'image_ref', 'vm_state', 'task_state',
                  'power_state', 'host', 'node', 'uuid', 'instance_type_id', 'reservation_id',
                  'key_name', 'availability_zone', 'launched_at', 'terminated_at',
                  'locked', 'locked_by', 'cleaned', 'hidden', 'compute_id', 'config_drive',
                  'auto_disk_config', 'progress', 'launch_index', 'kernel_id', 'ramdisk_id',
                  'os_type', 'architecture', 'vm_mode', 'root_device_name', 'cell_name',
                  'access_ip_v4', 'access_ip_v6')


def _row_to_dict(row, columns):
    return {key: getattr(row, key) for key in columns}


def _instance_dict(row):
    """The columns of an ORM instance row, or of a plain result row, and its name."""
    mapping = getattr(row, '_mapping', None)
    if mapping is None:
        values = _row_to_dict(row, _INSTANCE_COLUMNS)
        values['name'] = row.name
        return values
    values = dict(mapping)
    values['name'] = models.instance_name(values)
    return values


# The instance columns as plain result rows: a list reads thousands of
# them, and a row needs no ORM identity, state or change tracking.
_INSTANCE_SELECT = tuple(getattr(Inst, key) for key in _INSTANCE_COLUMNS)


def _plain_rows(context, query):
    """Run a select over Inst, fetching its columns as plain rows."""
    return context.session.execute(query.with_only_columns(*_INSTANCE_SELECT)).all()


def _key_values(context, model, uuids):
    query = (sa.select(model.instance_uuid, model.key, model.value)
             .where(model.instance_uuid.in_(uuids), model.deleted == 0)
             .order_by(model.id))
    result = {u: {} for u in uuids}
    for uuid, key, value in context.session.execute(query):
        result[uuid][key] = value
    return result


_INFO_CACHE_COLUMNS = ('id', 'instance_uuid', 'network_info', 'created_at', 'updated_at',
                       'deleted_at', 'deleted')
_SECURITY_GROUP_COLUMNS = ('id', 'name', 'description', 'user_id', 'project_id',
                           'created_at', 'updated_at', 'deleted_at', 'deleted')


def _join(context, rows, columns_to_join):
    """Turn instance rows into dicts carrying the requested joined pieces."""
    instances = [_instance_dict(row) for row in rows]
    if not instances:
        return instances
    columns_to_join = set(columns_to_join or ())
    uuids = [i['uuid'] for i in instances]
    by_uuid = {i['uuid']: i for i in instances}
    if 'metadata' in columns_to_join:
        for uuid, meta in _key_values(context, models.InstanceMetadata, uuids).items():
            by_uuid[uuid]['metadata'] = meta
    if 'system_metadata' in columns_to_join:
        for uuid, meta in _key_values(context, models.InstanceSystemMetadata,
                                      uuids).items():
            by_uuid[uuid]['system_metadata'] = meta
    if 'info_cache' in columns_to_join:
        for inst in instances:
            inst['info_cache'] = None
        model = models.InstanceInfoCache
        query = sa.select(*[getattr(model, c) for c in _INFO_CACHE_COLUMNS]).where(
            model.instance_uuid.in_(uuids), model.deleted == 0)
        for cache in context.session.execute(query):
            by_uuid[cache.instance_uuid]['info_cache'] = dict(cache._mapping)
    if 'tags' in columns_to_join:
        for inst in instances:
            inst['tags'] = []
        for tag in context.session.scalars(sa.select(models.Tag).where(
                models.Tag.resource_id.in_(uuids)).order_by(models.Tag.tag)):
            by_uuid[tag.resource_id]['tags'].append(tag.tag)
    if 'security_groups' in columns_to_join:
        for inst in instances:
            inst['security_groups'] = []
        assoc = models.SecurityGroupInstanceAssociation
        group = models.SecurityGroup
        query = (sa.select(assoc.instance_uuid,
                           *[getattr(group, c) for c in _SECURITY_GROUP_COLUMNS])
                 .join(group, group.id == assoc.security_group_id)
                 .where(assoc.instance_uuid.in_(uuids), assoc.deleted == 0,
                        group.deleted == 0))
        for row in context.session.execute(query):
            by_uuid[row[0]]['security_groups'].append(
                dict(zip(_SECURITY_GROUP_COLUMNS, row[1:])))
    extra_columns = _extra_columns_requested(columns_to_join)
    if extra_columns:
        for inst in instances:
            inst['extra'] = None
        for uuid, extra in _extra_get_multi(context, uuids, extra_columns).items():
            by_uuid[uuid]['extra'] = extra
    return instances


def _extra_columns_requested(columns_to_join):
    if 'extra' in columns_to_join:
        return INSTANCE_EXTRA_COLUMNS
    return tuple(c.split('.', 1)[1] for c in columns_to_join
                 if c.startswith('extra.') and c.split('.', 1)[1] in INSTANCE_EXTRA_COLUMNS)


def _extra_get_multi(context, uuids, columns, deleted=False):
    """{uuid: extra columns} of the live rows, or of the soft-deleted ones."""
    model = models.InstanceExtra
    state = model.deleted != 0 if deleted else model.deleted == 0
    query = (sa.select(model.instance_uuid, *[getattr(model, c) for c in columns])
             .where(model.instance_uuid.in_(uuids), state))
    result = {}
    for row in context.session.execute(query):
        values = dict(zip(('instance_uuid',) + tuple(columns), row))
        result[values['instance_uuid']] = values
    return result


def _info_cache_dict(cache):
    return _row_to_dict(cache, _INFO_CACHE_COLUMNS)


def _set_key_values(context, model, instance_uuid, new_values):
    """Make the live key/value rows of an instance exactly ``new_values``."""
    rows = context.session.scalars(model_query(context, model, read_deleted='no').where(
        model.instance_uuid == instance_uuid)).all()
    existing = {row.key: row for row in rows}
    for key, row in existing.items():
        if key not in new_values:
            for attr, value in soft_delete_values(row.id).items():
                setattr(row, attr, value)
        elif row.value != new_values[key]:
            row.value = new_values[key]
    for key, value in new_values.items():
        if key not in existing:
            context.session.add(model(key=key, value=value, instance_uuid=instance_uuid))


def _get_row(context, instance_uuid, read_deleted=None, latest=False):
    """The instance's row; ``latest``: as last committed, not as this transaction's
    snapshot saw it (a locking read: MySQL's REPEATABLE READ otherwise repeats the
    snapshot, and a change another transaction made meanwhile stays invisible)."""
    if not uuidutils.is_uuid_like(instance_uuid):
        raise exception.InvalidUUID(uuid=instance_uuid)
    query = model_query(context, Inst, read_deleted=read_deleted).where(
        Inst.uuid == instance_uuid)
    if latest:
        query = query.with_for_update()
    row = context.session.scalars(query).first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    return row


@engine.writer
def instance_create(context, values):
    """Insert an instance with its metadata, info cache, extra row and tags."""
    values = dict(values)
    metadata = values.pop('metadata', None) or {}
    system_metadata = values.pop('system_metadata', None) or {}
    info_cache = values.pop('info_cache', None)
    extra = values.pop('extra', None) or {}
    tags = values.pop('tags', None) or []
    security_group_ids = values.pop('security_group_ids', None) or []
    columns_to_join = values.pop('columns_to_join', None)
    values.setdefault('uuid', uuidutils.generate_uuid())
    values.setdefault('deleted', 0)
    row = Inst(**values)
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.InstanceExists(name=values['uuid'])
    _set_key_values(context, models.InstanceMetadata, row.uuid, metadata)
    _set_key_values(context, models.InstanceSystemMetadata, row.uuid, system_metadata)
    cache_values = dict(info_cache or {})
    cache_values.pop('instance_uuid', None)
    context.session.add(models.InstanceInfoCache(instance_uuid=row.uuid, **cache_values))
    context.session.add(models.InstanceExtra(instance_uuid=row.uuid, **extra))
    for tag in set(tags):
        context.session.add(models.Tag(resource_id=row.uuid, tag=tag))
    for group_id in security_group_ids:
        context.session.add(models.SecurityGroupInstanceAssociation(
            security_group_id=group_id, instance_uuid=row.uuid))
    context.session.flush()
    join = set(columns_to_join or ()) | {'metadata', 'system_metadata', 'info_cache'}
    return _join(context, [row], join)[0]


@engine.reader
def instance_get_by_uuid(context, instance_uuid, columns_to_join=None):
    return _join(context, [_get_row(context, instance_uuid)], columns_to_join)[0]


@engine.reader
def instance_get(context, instance_id, columns_to_join=None):
    row = context.session.scalars(model_query(context, Inst).where(Inst.id == instance_id)).first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=instance_id)
    return _join(context, [row], columns_to_join)[0]


@engine.reader
def instance_get_all_by_host(context, host, columns_to_join=None):
    rows = context.session.scalars(model_query(context, Inst).where(Inst.host == host)
                                   .order_by(Inst.id)).all()
    return _join(context, rows, columns_to_join)


def _apply_filters(context, query, filters):
    filters = dict(filters or {})
    deleted = filters.pop('deleted', None)
    soft_deleted = filters.pop('soft_deleted', None)
    if deleted is not None:
        if deleted:
            condition = Inst.deleted != 0
            if soft_deleted:
                condition = sa.or_(condition, Inst.vm_state == 'soft-delete')
            query = query.where(condition)
        else:
            query = query.where(Inst.deleted == 0)
            if not soft_deleted:
                query = query.where(NOT_SOFT_DELETED)
    changes_since = filters.pop('changes-since', None)
    if changes_since:
        query = query.where(Inst.updated_at >= timeutils.normalize_time(changes_since))
    changes_before = filters.pop('changes-before', None)
    if changes_before:
        query = query.where(Inst.updated_at <= timeutils.normalize_time(changes_before))
    if 'project_id' in filters and filters['project_id'] is None:
        filters.pop('project_id')
    for key in ('tags', 'tags-any', 'not-tags', 'not-tags-any'):
        tags = filters.pop(key, None)
        if tags:
            query = _tag_filter(query, key, tags)
    query = _exact_and_substring_filters(query, filters)
    return query


def _tag_filter(query, kind, tags):
    tags = [tags] if isinstance(tags, str) else list(tags)
    T = models.Tag

    def has(tag):
        return sa.exists().where(T.resource_id == Inst.uuid, T.tag == tag)

    if kind == 'tags':
        return query.where(sa.and_(*[has(t) for t in tags]))
    if kind == 'tags-any':
        return query.where(sa.or_(*[has(t) for t in tags]))
    if kind == 'not-tags':
        return query.where(sa.not_(sa.and_(*[has(t) for t in tags])))
    return query.where(sa.not_(sa.or_(*[has(t) for t in tags])))


def _portable_regex(value):
    """``value`` as a regex every backend accepts; a broken pattern matches literally.

    Case is ignored through an inline ``(?i)``, which Python (SQLite), MariaDB
    and PostgreSQL all read the same way.
    """
    try:
        re.compile(value)
    except re.error:
        return re.escape(value)
    return value


def _exact_and_substring_filters(query, filters):
    for key, value in filters.items():
        if key == 'name':
            key = 'display_name'
        if key == 'flavor':
            key = 'instance_type_id'
        column = getattr(Inst, key, None)
        if column is None or key not in _SORTABLE:
            # Unknown filters (e.g. 'ip' or 'metadata') are applied by callers.
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            values = list(value)
            if not values:
                return query.where(sa.false())
            non_null = [v for v in values if v is not None]
            condition = column.in_(non_null)
            if None in values:
                condition = sa.or_(condition, column.is_(None))
            query = query.where(condition)
        elif value is None:
            query = query.where(column.is_(None))
        elif key in _SUBSTRING_ONLY and isinstance(value, str):
            query = query.where(column.regexp_match('(?i)' + _portable_regex(value)))
        else:
            query = query.where(column == value)
    return query


def _sort_params(sort_keys, sort_dirs):
    sort_keys = list(sort_keys or ['created_at'])
    sort_dirs = list(sort_dirs or [])
    default_dir = sort_dirs[0] if sort_dirs else 'desc'
    while len(sort_dirs) < len(sort_keys):
        sort_dirs.append(default_dir)
    for key in sort_keys:
        if key not in _SORTABLE:
            raise exception.InvalidSortKey(sort_key=key)
    for direction in sort_dirs:
        if direction not in ('asc', 'desc'):
            raise exception.InvalidInput(reason='Unknown sort direction %s' % direction)
    # A unique tiebreaker makes marker pagination deterministic.
    for key in ('created_at', 'id'):
        if key not in sort_keys:
            sort_keys.append(key)
            sort_dirs.append(default_dir)
    return sort_keys, sort_dirs


def _marker_condition(marker_row, sort_keys, sort_dirs, ids_follow=None):
    """Rows strictly after ``marker_row`` in the given ordering.

    ``ids_follow`` (True/False) decides the ``id`` position without comparing
    ids, for a marker that is a row of another cell.
    """
    alternatives = []
    for i, key in enumerate(sort_keys):
        if key == 'id' and ids_follow is not None:
            if ids_follow:
                alternatives.append(sa.and_(*[
                    getattr(Inst, prev).is_(None) if getattr(marker_row, prev) is None
                    else getattr(Inst, prev) == getattr(marker_row, prev)
                    for prev in sort_keys[:i]]))
            break
        equal_before = []
        for prev in sort_keys[:i]:
            value = getattr(marker_row, prev)
            column = getattr(Inst, prev)
            equal_before.append(column.is_(None) if value is None else column == value)
        value = getattr(marker_row, key)
        column = getattr(Inst, key)
        if value is None:
            # NULLs sort first ascending here, so "after NULL" means "not NULL".
            after = column.is_not(None) if sort_dirs[i] == 'asc' else sa.false()
        elif sort_dirs[i] == 'asc':
            after = column > value
        else:
            after = sa.or_(column < value, column.is_(None))
        alternatives.append(sa.and_(*equal_before, after))
    return sa.or_(*alternatives)


def _order_by(query, sort_keys, sort_dirs):
    """NULLs first ascending, last descending, on every backend.

    MySQL/MariaDB have no NULLS FIRST/LAST, so nullable columns sort on an
    'is NULL' flag first (MySQL's own default happens to agree).
    """
    for key, direction in zip(sort_keys, sort_dirs):
        column = getattr(Inst, key)
        if getattr(column, 'nullable', True) and key != 'id':
            null_rank = sa.case((column.is_(None), 0), else_=1)
            query = query.order_by(null_rank.asc() if direction == 'asc'
                                   else null_rank.desc())
        query = query.order_by(column.asc() if direction == 'asc' else column.desc())
    return query


@engine.reader
def instance_get_all_by_filters_sort(context, filters, limit=None, marker=None,
                                     columns_to_join=None, sort_keys=None, sort_dirs=None,
                                     marker_values=None, ids_follow_marker=False):
    """Instances matching ``filters``, ordered, after ``marker`` (a uuid), at most ``limit``.

    ``marker_values`` instead is a marker of another cell (any object with
    the sort keys as attributes): rows strictly after it on the keys before
    ``id``, and rows equal to it on all of them if ``ids_follow_marker``.
    """
    filters = dict(filters or {})
    sort_keys, sort_dirs = _sort_params(sort_keys, sort_dirs)
    read_deleted = 'yes' if 'deleted' in filters else None
    query = model_query(context, Inst, read_deleted=read_deleted)
    if not context.is_admin and context.project_id and 'project_id' not in filters:
        filters['project_id'] = context.project_id
    query = _apply_filters(context, query, filters)
    if marker is not None:
        marker_row = context.session.scalars(
            model_query(context, Inst, read_deleted='yes').where(Inst.uuid == marker)).first()
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
        query = query.where(_marker_condition(marker_row, sort_keys, sort_dirs))
    elif marker_values is not None:
        query = query.where(_marker_condition(marker_values, sort_keys, sort_dirs,
                                              ids_follow=ids_follow_marker))
    query = _order_by(query, sort_keys, sort_dirs)
    if limit is not None:
        if limit == 0:
            return []
        query = query.limit(limit)
    return _join(context, _plain_rows(context, query), columns_to_join)


@engine.reader
def instance_get_active_by_window_joined(context, begin, end=None, project_id=None, host=None,
                                         columns_to_join=None):
    """Instances, deleted ones included, that ran at some time in [begin, end).

    Launched before ``end`` (never launched: never ran) and not terminated
    before ``begin``. A deleted instance keeps the metadata, network info and
    flavor it was deleted with, so usage can still be reported for it.
    """
    query = model_query(context, Inst, read_deleted='yes').where(
        sa.or_(Inst.terminated_at.is_(None), Inst.terminated_at > begin))
    if end is not None:
        query = query.where(Inst.launched_at < end)
    if project_id is not None:
        query = query.where(Inst.project_id == project_id)
    if host is not None:
        query = query.where(Inst.host == host)
    rows = context.session.scalars(query.order_by(Inst.id)).all()
    instances = _join(context, rows, columns_to_join)
    _join_deleted_children(context, [i for i in instances if i['deleted']],
                           set(columns_to_join or ()))
    return instances


def _join_deleted_children(context, instances, columns_to_join):
    """Fill the joined pieces of deleted instances from the rows deleted with them.

    ``instance_destroy`` soft-deletes children in the same instant as the
    instance; a metadata key removed earlier has an earlier ``deleted_at``
    and stays out.
    """
    if not instances:
        return
    by_uuid = {i['uuid']: i for i in instances}
    for column, model in (('metadata', models.InstanceMetadata),
                          ('system_metadata', models.InstanceSystemMetadata)):
        if column not in columns_to_join:
            continue
        query = model_query(context, model, read_deleted='only').where(
            model.instance_uuid.in_(by_uuid))
        for row in context.session.scalars(query.order_by(model.id)):
            inst = by_uuid[row.instance_uuid]
            if row.deleted_at == inst['deleted_at']:
                inst.setdefault(column, {})[row.key] = row.value
    if 'info_cache' in columns_to_join:
        model = models.InstanceInfoCache
        for cache in context.session.scalars(model_query(
                context, model, read_deleted='only').where(model.instance_uuid.in_(by_uuid))):
            if by_uuid[cache.instance_uuid].get('info_cache') is None:
                by_uuid[cache.instance_uuid]['info_cache'] = _info_cache_dict(cache)
    extra_columns = _extra_columns_requested(columns_to_join)
    if extra_columns:
        for uuid, extra in _extra_get_multi(context, list(by_uuid), extra_columns,
                                            deleted=True).items():
            if by_uuid[uuid].get('extra') is None:
                by_uuid[uuid]['extra'] = extra


def _expected_mismatch(row, expected):
    for attr in ('task_state', 'vm_state'):
        if attr not in expected:
            continue
        allowed = expected[attr]
        if not isinstance(allowed, (list, tuple, set)):
            allowed = [allowed]
        actual = getattr(row, attr)
        if actual not in allowed:
            return attr, list(allowed), actual
    return None


@engine.writer
def instance_update_and_get_original(context, instance_uuid, values, columns_to_join=None,
                                     expected=None):
    """Update an instance; returns (before, after) as dicts.

    ``expected`` maps 'task_state'/'vm_state' to the values (a list means
    any of) the row must still have; otherwise nothing is written and
    UnexpectedTaskStateError (or its deleting/vm_state variants) is raised.
    """
    values = dict(values)
    expected = dict(expected or {})
    if 'expected_task_state' in values:
        expected['task_state'] = values.pop('expected_task_state')
    if 'expected_vm_state' in values:
        expected['vm_state'] = values.pop('expected_vm_state')
    row = _get_row(context, instance_uuid)
    join = set(columns_to_join or ()) | {'metadata', 'system_metadata'}
    original = _join(context, [row], join)[0]
    mismatch = _expected_mismatch(row, expected)
    if mismatch:
        _raise_mismatch(instance_uuid, *mismatch)
    metadata = values.pop('metadata', None)
    system_metadata = values.pop('system_metadata', None)
    if values:
        # Compare-and-swap so a concurrent state change cannot be overwritten.
        update = sa.update(Inst).where(Inst.uuid == instance_uuid, Inst.deleted == 0)
        for attr in ('task_state', 'vm_state'):
            if attr in expected:
                allowed = expected[attr]
                if not isinstance(allowed, (list, tuple, set)):
                    allowed = [allowed]
                update = update.where(_in_or_null(getattr(Inst, attr), allowed))
        values.setdefault('updated_at', timeutils.utcnow())
        result = context.session.execute(update.values(**values).execution_options(
            synchronize_session=False))
        if not result.rowcount:
            # Someone changed (or deleted) the row since it was read: say what changed.
            context.session.expire(row)
            row = _get_row(context, instance_uuid, latest=True)
            mismatch = _expected_mismatch(row, expected)
            if mismatch:
                _raise_mismatch(instance_uuid, *mismatch)
            raise exception.InstanceNotFound(instance_id=instance_uuid)
    if metadata is not None:
        _set_key_values(context, models.InstanceMetadata, instance_uuid, metadata)
    if system_metadata is not None:
        _set_key_values(context, models.InstanceSystemMetadata, instance_uuid, system_metadata)
    context.session.flush()
    context.session.expire_all()
    updated = _join(context, [_get_row(context, instance_uuid)], join)[0]
    return original, updated


def _in_or_null(column, allowed):
    non_null = [v for v in allowed if v is not None]
    condition = column.in_(non_null) if non_null else sa.false()
    if None in allowed:
        condition = sa.or_(condition, column.is_(None))
    return condition


def _raise_mismatch(instance_uuid, attr, allowed, actual):
    if attr == 'vm_state':
        raise exception.UnexpectedVMStateError(instance_uuid=instance_uuid,
                                               expected=allowed, actual=actual)
    if actual == 'deleting':
        raise exception.UnexpectedDeletingTaskStateError(instance_uuid=instance_uuid,
                                                         expected=allowed, actual=actual)
    raise exception.UnexpectedTaskStateError(instance_uuid=instance_uuid,
                                             expected=allowed, actual=actual)


# Child tables soft-deleted together with their instance.
_SOFT_DELETED_WITH_INSTANCE = (
    models.InstanceInfoCache, models.InstanceMetadata, models.InstanceSystemMetadata,
    models.InstanceFault, models.BlockDeviceMapping, models.VirtualInterface,
    models.InstanceExtra, models.SecurityGroupInstanceAssociation,
)


@engine.writer
def instance_destroy(context, instance_uuid, constraint=None, hard_delete=False):
    """Soft delete (or with ``hard_delete`` remove) an instance and its child rows.

    ``constraint`` maps column -> list of allowed values; when the row no
    longer matches, ConstraintNotMet is raised and nothing changes.
    """
    row = _get_row(context, instance_uuid)
    original = _join(context, [row], ('metadata', 'system_metadata', 'info_cache'))[0]
    for column, allowed in (constraint or {}).items():
        if getattr(row, column) not in allowed:
            raise exception.ConstraintNotMet()
    now = timeutils.utcnow()
    if hard_delete:
        for model in _SOFT_DELETED_WITH_INSTANCE:
            context.session.execute(sa.delete(model).where(model.instance_uuid == instance_uuid))
        context.session.execute(sa.delete(Inst).where(Inst.uuid == instance_uuid))
    else:
        for model in _SOFT_DELETED_WITH_INSTANCE:
            context.session.execute(
                sa.update(model).where(model.instance_uuid == instance_uuid,
                                       model.deleted == 0)
                .values(deleted=model.id, deleted_at=now, updated_at=model.updated_at))
        context.session.execute(
            sa.update(Inst).where(Inst.uuid == instance_uuid)
            .values(deleted=Inst.id, deleted_at=now, updated_at=Inst.updated_at))
    # Tags and console tokens are never archived: they go immediately.
    context.session.execute(sa.delete(models.Tag).where(models.Tag.resource_id == instance_uuid))
    context.session.execute(sa.delete(models.ConsoleAuthToken).where(
        models.ConsoleAuthToken.instance_uuid == instance_uuid))
    original.update(deleted=row.id, deleted_at=now)
    return original


@engine.reader
def instance_info_cache_get(context, instance_uuid):
    cache = context.session.scalars(model_query(context, models.InstanceInfoCache).where(
        models.InstanceInfoCache.instance_uuid == instance_uuid)).first()
    return _info_cache_dict(cache) if cache else None


@engine.writer
def instance_info_cache_update(context, instance_uuid, values):
    """Update (creating it if missing) the network info cache of an instance."""
    model = models.InstanceInfoCache
    cache = context.session.scalars(sa.select(model).where(
        model.instance_uuid == instance_uuid)).first()
    if cache is None:
        cache = model(instance_uuid=instance_uuid)
        context.session.add(cache)
    elif cache.deleted:
        # The instance was deleted meanwhile; leave its tombstone alone.
        return _info_cache_dict(cache)
    for key, value in values.items():
        setattr(cache, key, value)
    cache.updated_at = timeutils.utcnow()
    context.session.flush()
    return _info_cache_dict(cache)


@engine.writer
def instance_info_cache_delete(context, instance_uuid):
    model = models.InstanceInfoCache
    context.session.execute(
        sa.update(model).where(model.instance_uuid == instance_uuid, model.deleted == 0)
        .values(deleted=model.id, deleted_at=timeutils.utcnow()))


@engine.reader
def instance_extra_get_by_instance_uuid(context, instance_uuid, columns=None):
    columns = tuple(columns or INSTANCE_EXTRA_COLUMNS)
    return _extra_get_multi(context, [instance_uuid], columns).get(instance_uuid)


@engine.writer
def instance_extra_update_by_uuid(context, instance_uuid, values):
    model = models.InstanceExtra
    result = context.session.execute(
        sa.update(model).where(model.instance_uuid == instance_uuid, model.deleted == 0)
        .values(updated_at=timeutils.utcnow(), **values))
    if not result.rowcount:
        context.session.add(model(instance_uuid=instance_uuid, **values))
        context.session.flush()


@engine.reader
def instance_metadata_get(context, instance_uuid):
    return _key_values(context, models.InstanceMetadata, [instance_uuid])[instance_uuid]


@engine.reader
def instance_system_metadata_get(context, instance_uuid):
    return _key_values(context, models.InstanceSystemMetadata, [instance_uuid])[instance_uuid]


_FAULT_COLUMNS = ('id', 'instance_uuid', 'code', 'message', 'details', 'host', 'created_at',
                  'updated_at', 'deleted_at', 'deleted')


@engine.writer
def instance_fault_create(context, values):
    _get_row(context, values['instance_uuid'])
    fault = models.InstanceFault(**values)
    context.session.add(fault)
    context.session.flush()
    return _row_to_dict(fault, _FAULT_COLUMNS)


@engine.reader
def instance_fault_get_by_instance_uuids(context, instance_uuids, latest=False):
    """Faults per instance uuid, newest first (only the newest with ``latest``)."""
    model = models.InstanceFault
    result = {uuid: [] for uuid in instance_uuids}
    if not instance_uuids:
        return result
    query = model_query(context, model, read_deleted='no').where(
        model.instance_uuid.in_(instance_uuids)).order_by(
        model.created_at.desc(), model.id.desc())
    for fault in context.session.scalars(query):
        if latest and result[fault.instance_uuid]:
            continue
        result[fault.instance_uuid].append(_row_to_dict(fault, _FAULT_COLUMNS))
    return result
