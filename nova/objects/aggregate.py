"""Host aggregates (API DB): named host groups with metadata, some exposed as AZs."""

from oslo_db import exception as db_exc
from oslo_utils import uuidutils
import sqlalchemy as sa
from sqlalchemy import orm

from nova.db.api import engine as api_engine
from nova.db.api import models as api_models
from nova import exception
from nova.objects import base
from nova.objects import fields

AG = api_models.Aggregate
AH = api_models.AggregateHost
AM = api_models.AggregateMetadata
_COLUMNS = ('id', 'uuid', 'name', 'created_at', 'updated_at')


def _query():
    return sa.select(AG).options(orm.selectinload(AG._hosts), orm.selectinload(AG._metadata))


def _as_dict(row):
    values = {key: getattr(row, key) for key in _COLUMNS}
    values['hosts'] = sorted(row.hosts)
    values['metadata'] = row.metadetails
    return values


# Ids are a signed 32-bit INT column; a bigger number cannot name a row, and
# handing it to the driver is an error (SQLite/PostgreSQL) rather than no row.
_MAX_ID = 2 ** 31 - 1


def _get_row(context, aggregate_id):
    column = AG.uuid if uuidutils.is_uuid_like(str(aggregate_id)) else AG.id
    text = str(aggregate_id)
    if column is AG.id and text.isascii() and text.isdigit() and int(text) > _MAX_ID:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    row = context.session.scalars(_query().where(column == aggregate_id)).first()
    if row is None:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return row


@api_engine.reader
def _get(context, aggregate_id):
    return _as_dict(_get_row(context, aggregate_id))


@api_engine.reader
def _get_all(context, host=None, key=None, value=None, hosts=None):
    query = _query().order_by(AG.id)
    if host is not None:
        query = query.where(AG._hosts.any(AH.host == host))
    if key is not None:
        condition = AM.key == key
        if value is not None:
            condition = sa.and_(condition, AM.value == value)
        query = query.where(AG._metadata.any(condition))
    if hosts is not None:
        query = query.where(AG._hosts.any(AH.host.in_(hosts)))
    return [_as_dict(row) for row in context.session.scalars(query)]


def _check_name_free(context, name, aggregate_id=None):
    query = sa.select(AG.id).where(AG.name == name)
    if aggregate_id is not None:
        query = query.where(AG.id != aggregate_id)
    if context.session.execute(query).first():
        raise exception.AggregateNameExists(aggregate_name=name)


@api_engine.writer
def _create(context, values, metadata):
    _check_name_free(context, values['name'])
    row = AG(**values)
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.AggregateNameExists(aggregate_name=values['name'])
    for key, value in (metadata or {}).items():
        context.session.add(AM(aggregate_id=row.id, key=key, value=value))
    context.session.flush()
    return row.id


@api_engine.writer
def _update(context, aggregate_id, values):
    row = _get_row(context, aggregate_id)
    if 'name' in values:
        _check_name_free(context, values['name'], row.id)
    for key, value in values.items():
        setattr(row, key, value)
    context.session.flush()


@api_engine.writer
def _update_metadata(context, aggregate_id, updates):
    row = _get_row(context, aggregate_id)
    existing = {m.key: m for m in row._metadata}
    for key, value in updates.items():
        if value is None:
            if key not in existing:
                raise exception.AggregateMetadataNotFound(aggregate_id=aggregate_id,
                                                          metadata_key=key)
            context.session.delete(existing[key])
        elif key in existing:
            existing[key].value = value
        else:
            context.session.add(AM(aggregate_id=row.id, key=key, value=value))
    context.session.flush()


@api_engine.writer
def _add_host(context, aggregate_id, host):
    row = _get_row(context, aggregate_id)
    if host in row.hosts:
        raise exception.AggregateHostExists(aggregate_id=aggregate_id, host=host)
    context.session.add(AH(aggregate_id=row.id, host=host))
    context.session.flush()


@api_engine.writer
def _delete_host(context, aggregate_id, host):
    row = _get_row(context, aggregate_id)
    result = context.session.execute(sa.delete(AH).where(AH.aggregate_id == row.id,
                                                         AH.host == host))
    if not result.rowcount:
        raise exception.AggregateHostNotFound(aggregate_id=aggregate_id, host=host)


@api_engine.writer
def _destroy(context, aggregate_id):
    row = _get_row(context, aggregate_id)
    for model in (AH, AM):
        context.session.execute(sa.delete(model).where(model.aggregate_id == row.id))
    context.session.execute(sa.delete(AG).where(AG.id == row.id))


@base.NovaObjectRegistry.register
class Aggregate(base.NovaPersistentObject, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(nullable=False),
        'name': fields.StringField(),
        'hosts': fields.ListOfStringsField(nullable=True),
        'metadata': fields.DictOfStringsField(nullable=True),
    }

    obj_extra_fields = ['availability_zone']

    @staticmethod
    def _from_db_object(context, aggregate, db_aggregate):
        for key in _COLUMNS + ('hosts', 'metadata'):
            setattr(aggregate, key, db_aggregate[key])
        aggregate.deleted = False
        aggregate.deleted_at = None
        aggregate._context = context
        aggregate.obj_reset_changes()
        return aggregate

    @property
    def availability_zone(self):
        return (self.metadata or {}).get('availability_zone')

    @classmethod
    @base.remotable
    def get_by_id(cls, context, aggregate_id):
        return cls._from_db_object(context, cls(), _get(context, int(aggregate_id)))

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, aggregate_uuid):
        return cls._from_db_object(context, cls(), _get(context, aggregate_uuid))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        updates = self.obj_get_changes()
        if 'hosts' in updates:
            raise exception.ObjectActionError(action='create', reason='hosts are set')
        metadata = updates.pop('metadata', None)
        values = {'name': updates['name'], 'uuid': updates.get('uuid') or
                  uuidutils.generate_uuid()}
        new_id = _create(self._context, values, metadata)
        self._from_db_object(self._context, self, _get(self._context, new_id))

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        for key in ('hosts', 'metadata'):
            if key in updates:
                raise exception.ObjectActionError(
                    action='save', reason='%s changed; use add_host/update_metadata' % key)
        values = {k: v for k, v in updates.items() if k == 'name'}
        if values:
            _update(self._context, self.id, values)
        self._from_db_object(self._context, self, _get(self._context, self.id))

    @base.remotable
    def update_metadata(self, updates):
        """Set keys (a None value deletes the key) and reload."""
        _update_metadata(self._context, self.id, updates)
        self._from_db_object(self._context, self, _get(self._context, self.id))

    @base.remotable
    def destroy(self):
        _destroy(self._context, self.id)

    @base.remotable
    def add_host(self, host):
        _add_host(self._context, self.id, host)
        self.hosts = sorted(list(self.hosts or []) + [host])
        self.obj_reset_changes(['hosts'])

    @base.remotable
    def delete_host(self, host):
        _delete_host(self._context, self.id, host)
        self.hosts = [h for h in self.hosts or [] if h != host]
        self.obj_reset_changes(['hosts'])


@base.NovaObjectRegistry.register
class AggregateList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Aggregate'),
    }

    @classmethod
    def _make(cls, context, db_aggregates):
        return base.obj_make_list(context, cls(context), Aggregate, db_aggregates)

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return cls._make(context, _get_all(context))

    @classmethod
    @base.remotable
    def get_by_host(cls, context, host, key=None):
        return cls._make(context, _get_all(context, host=host, key=key))

    @classmethod
    @base.remotable
    def get_by_metadata_key(cls, context, key, hosts=None):
        return cls._make(context, _get_all(context, key=key, hosts=hosts))

    @classmethod
    @base.remotable
    def get_by_metadata(cls, context, key=None, value=None):
        return cls._make(context, _get_all(context, key=key, value=value))

    @classmethod
    @base.remotable
    def get_non_matching_by_metadata_keys(cls, context, keys, key_prefix, value):
        """Aggregates with a ``key_prefix*`` key, not among ``keys``, set to ``value``."""
        result = [a for a in _get_all(context)
                  if any(k.startswith(key_prefix) and k not in keys and v == value
                         for k, v in a['metadata'].items())]
        return cls._make(context, result)
