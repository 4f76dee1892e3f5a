"""Read-only server records for the API's list and show views.

A page of servers read as full ``Instance`` objects spends most of its time
in the versioned-object machinery: every column is coerced and tracked as a
change, every joined piece becomes an object of its own.  The views only read.
An ``InstanceRecord`` is the cell row's columns and the joined pieces the
view asked for, read straight from the dicts the DB layer returns; it answers
the reads a view makes of an ``Instance`` (attributes, ``obj_attr_is_set``,
``name``) and nothing else: it cannot be saved, and a piece not asked for reads
as unset rather than being lazy-loaded.
"""

from oslo_serialization import jsonutils

from nova.db.main import api as db
from nova.objects import instance as instance_obj

# Pieces a record can carry, and the DB joins they need.
_JOINS = {
    'metadata': 'metadata', 'system_metadata': 'system_metadata',
    'info_cache': 'info_cache', 'security_groups': 'security_groups', 'tags': 'tags',
    'flavor': 'extra.flavor', 'trusted_certs': 'extra.trusted_certs',
}
_BOOLEANS = frozenset(instance_obj._BOOLEAN_DEFAULTS)


class _Piece(object):
    """Attribute access over a dict, as the views read a nested object."""

    __slots__ = ('_values',)

    def __init__(self, values):
        self._values = values

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name)

    def obj_attr_is_set(self, name):
        return name in self._values


class InstanceRecord(object):
    """One server as the views read it; see the module's docstring."""

    fields = instance_obj.Instance.fields

    def __init__(self, context, values):
        self._context = context
        self._values = values

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError('%s of instance %s was not read' % (
                name, self._values.get('uuid')))

    def obj_attr_is_set(self, name):
        return name in self._values

    def get(self, name, default=None):
        return self._values.get(name, default)

    def __repr__(self):
        return '<InstanceRecord %s>' % self._values.get('uuid')


def _flavor(blob, cache):
    """The current flavor of an instance_extra.flavor JSON blob, decoded once per blob."""
    if blob in cache:
        return cache[blob]
    flavor = None
    current = (jsonutils.loads(blob) if blob else {}).get('cur')
    if current:
        values = dict(current.get('nova_object.data') or {})
        flavor = _Piece(values)
    cache[blob] = flavor
    return flavor


def _trusted_cert_ids(blob):
    if not blob:
        return None
    primitive = jsonutils.loads(blob)
    return list((primitive.get('nova_object.data') or {}).get('ids') or [])


def _record(context, db_inst, attrs, flavors):
    values = {key: db_inst[key] for key in instance_obj._COLUMN_FIELDS}
    for key in _BOOLEANS:
        values[key] = bool(values[key])
    for key in ('access_ip_v4', 'access_ip_v6'):
        if values[key] is not None:
            values[key] = str(values[key])
    values['deleted'] = bool(db_inst['deleted']) and db_inst['deleted'] == db_inst['id']
    values['name'] = db_inst['name']
    if 'metadata' in attrs:
        values['metadata'] = db_inst.get('metadata') or {}
    if 'system_metadata' in attrs:
        values['system_metadata'] = db_inst.get('system_metadata') or {}
    if 'info_cache' in attrs:
        cache = db_inst.get('info_cache')
        if cache is not None:
            network_info = cache['network_info']
            cache = _Piece({'network_info': jsonutils.loads(network_info)
                            if network_info else []})
        values['info_cache'] = cache
    if 'security_groups' in attrs:
        values['security_groups'] = [_Piece(g) for g in db_inst.get('security_groups') or ()]
    if 'tags' in attrs:
        values['tags'] = [_Piece({'tag': tag}) for tag in db_inst.get('tags') or ()]
    extra = db_inst.get('extra') or {}
    if 'flavor' in attrs:
        flavor = _flavor(extra.get('flavor'), flavors)
        if flavor is not None:
            values['flavor'] = flavor
    if 'trusted_certs' in attrs:
        values['trusted_certs'] = _trusted_cert_ids(extra.get('trusted_certs'))
    return InstanceRecord(context, values)


def _records(context, db_insts, attrs):
    attrs = frozenset(attrs or ())
    flavors = {}
    records = [_record(context, db_inst, attrs, flavors) for db_inst in db_insts]
    if 'fault' in attrs and records:
        faults = db.instance_fault_get_by_instance_uuids(
            context, [r.uuid for r in records], latest=True)
        for record in records:
            found = faults.get(record.uuid)
            record._values['fault'] = _Piece(found[0]) if found else None
    return records


def _joins(attrs):
    return sorted({_JOINS[a] for a in attrs or () if a in _JOINS})


def get_by_filters(context, filters, limit=None, marker=None, expected_attrs=None,
                   sort_keys=None, sort_dirs=None, marker_values=None,
                   ids_follow_marker=False):
    """Records of the instances of the context's cell matching ``filters``, in order
    (the marker arguments as ``instance_get_all_by_filters_sort`` takes them)."""
    db_insts = db.instance_get_all_by_filters_sort(
        context, filters, limit=limit, marker=marker, columns_to_join=_joins(expected_attrs),
        sort_keys=sort_keys, sort_dirs=sort_dirs, marker_values=marker_values,
        ids_follow_marker=ids_follow_marker)
    return _records(context, db_insts, expected_attrs)


def get_by_uuid(context, uuid, expected_attrs=None):
    """The record of one instance of the context's cell (InstanceNotFound if none)."""
    db_inst = db.instance_get_by_uuid(context, uuid, columns_to_join=_joins(expected_attrs))
    return _records(context, [db_inst], expected_attrs)[0]
