"""Key pairs (API DB): public keys users inject into their servers."""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova.db.api import engine as api_engine
from nova.db.api import models as api_models
from nova import exception
from nova.objects import base
from nova.objects import fields

KEYPAIR_TYPE_SSH = 'ssh'
KEYPAIR_TYPE_X509 = 'x509'

K = api_models.KeyPair
_COLUMNS = ('id', 'name', 'user_id', 'fingerprint', 'public_key', 'type',
            'created_at', 'updated_at')


class KeyPairType(fields.Enum):
    ALL = (KEYPAIR_TYPE_SSH, KEYPAIR_TYPE_X509)

    def __init__(self):
        super().__init__(valid_values=KeyPairType.ALL)


class KeyPairTypeField(fields.BaseEnumField):
    AUTO_TYPE = KeyPairType()


def _as_dict(row):
    return {key: getattr(row, key) for key in _COLUMNS}


@api_engine.reader
def _get_by_name(context, user_id, name):
    row = context.session.scalars(sa.select(K).where(K.user_id == user_id,
                                                     K.name == name)).first()
    if row is None:
        raise exception.KeypairNotFound(user_id=user_id, name=name)
    return _as_dict(row)


@api_engine.reader
def _get_by_user(context, user_id, limit=None, marker=None):
    query = sa.select(K).where(K.user_id == user_id).order_by(K.name, K.id)
    if marker is not None:
        marker_row = context.session.scalars(sa.select(K).where(
            K.user_id == user_id, K.name == marker)).first()
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
        query = query.where(K.name > marker_row.name)
    if limit is not None:
        query = query.limit(limit)
    return [_as_dict(row) for row in context.session.scalars(query)]


@api_engine.reader
def _count_by_user(context, user_id):
    return context.session.execute(
        sa.select(sa.func.count(K.id)).where(K.user_id == user_id)).scalar()


@api_engine.writer
def _create(context, values):
    row = K(**values)
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.KeyPairExists(key_name=values['name'])
    return _as_dict(row)


@api_engine.writer
def _destroy(context, user_id, name):
    result = context.session.execute(sa.delete(K).where(K.user_id == user_id, K.name == name))
    if not result.rowcount:
        raise exception.KeypairNotFound(user_id=user_id, name=name)


@base.NovaObjectRegistry.register
class KeyPair(base.NovaPersistentObject, base.NovaObject, base.NovaObjectDictCompat):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'name': fields.StringField(nullable=False),
        'user_id': fields.StringField(nullable=True),
        'fingerprint': fields.StringField(nullable=True),
        'public_key': fields.StringField(nullable=True),
        'type': KeyPairTypeField(nullable=False),
    }

    @staticmethod
    def _from_db_object(context, keypair, db_keypair):
        for key in _COLUMNS:
            setattr(keypair, key, db_keypair[key])
        keypair.deleted = False
        keypair.deleted_at = None
        keypair._context = context
        keypair.obj_reset_changes()
        return keypair

    @classmethod
    @base.remotable
    def get_by_name(cls, context, user_id, name, localonly=False):
        return cls._from_db_object(context, cls(), _get_by_name(context, user_id, name))

    @classmethod
    @base.remotable
    def destroy_by_name(cls, context, user_id, name, localonly=False):
        _destroy(context, user_id, name)

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        updates = self.obj_get_changes()
        for key in ('deleted', 'deleted_at', 'created_at', 'updated_at'):
            updates.pop(key, None)
        updates.setdefault('type', KEYPAIR_TYPE_SSH)
        self._from_db_object(self._context, self, _create(self._context, updates))

    @base.remotable
    def destroy(self):
        _destroy(self._context, self.user_id, self.name)


@base.NovaObjectRegistry.register
class KeyPairList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('KeyPair'),
    }

    @classmethod
    @base.remotable
    def get_by_user(cls, context, user_id, limit=None, marker=None):
        return base.obj_make_list(context, cls(context), KeyPair,
                                  _get_by_user(context, user_id, limit, marker))

    @classmethod
    @base.remotable
    def get_count_by_user(cls, context, user_id):
        return _count_by_user(context, user_id)
