"""The network info cache of an instance (cell DB): what neutron last told us."""

from oslo_serialization import jsonutils
from oslo_versionedobjects import fields as ovo_fields

from nova.db.main import api as db
from nova import exception
from nova.objects import base
from nova.objects import fields


class NetworkModel(fields.FieldType):
    """Network info: a list of VIFs, carried as JSON text on the wire and in the DB."""

    @staticmethod
    def coerce(obj, attr, value):
        if isinstance(value, str):
            value = jsonutils.loads(value) if value else []
        if isinstance(value, (list, tuple)):
            return list(value)
        raise ValueError('A list of VIFs is required in field %s, not a %s'
                         % (attr, type(value).__name__))

    @staticmethod
    def to_primitive(obj, attr, value):
        return jsonutils.dumps(value)

    @staticmethod
    def from_primitive(obj, attr, value):
        return jsonutils.loads(value) if value else []

    def stringify(self, value):
        return 'NetworkModel(%s)' % ','.join(
            str(vif.get('id')) for vif in value if isinstance(vif, dict))


class NetworkModelField(ovo_fields.AutoTypedField):
    AUTO_TYPE = NetworkModel()


@base.NovaObjectRegistry.register
class InstanceInfoCache(base.NovaPersistentObject, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'instance_uuid': fields.UUIDField(),
        'network_info': NetworkModelField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, info_cache, db_cache):
        for key in ('instance_uuid', 'network_info', 'created_at', 'updated_at',
                    'deleted_at'):
            value = db_cache[key]
            if key == 'network_info':
                value = jsonutils.loads(value) if value else []
            setattr(info_cache, key, value)
        info_cache.deleted = bool(db_cache['deleted'])
        info_cache._context = context
        info_cache.obj_reset_changes()
        return info_cache

    @classmethod
    def new(cls, context, instance_uuid):
        """An empty cache for a new instance, marked changed so it is written."""
        cache = cls(context)
        cache.instance_uuid = instance_uuid
        cache.network_info = None
        cache.obj_reset_changes(['instance_uuid'])
        return cache

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        db_cache = db.instance_info_cache_get(context, instance_uuid)
        if db_cache is None:
            raise exception.InstanceInfoCacheNotFound(instance_uuid=instance_uuid)
        return cls._from_db_object(context, cls(context), db_cache)

    @base.remotable
    def save(self, update_cells=True):
        if 'network_info' not in self.obj_what_changed():
            return
        value = self.network_info
        network_json = None
        if value is not None:
            network_json = jsonutils.dumps(value)
        db_cache = db.instance_info_cache_update(self._context, self.instance_uuid,
                                                 {'network_info': network_json})
        self._from_db_object(self._context, self, db_cache)

    @base.remotable
    def delete(self):
        db.instance_info_cache_delete(self._context, self.instance_uuid)

    @base.remotable
    def refresh(self):
        current = self.__class__.get_by_instance_uuid(self._context, self.instance_uuid)
        current._context = None
        for field in self.fields:
            if current.obj_attr_is_set(field):
                setattr(self, field, getattr(current, field))
        self.obj_reset_changes()
