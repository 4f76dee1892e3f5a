"""Block device mappings (cell DB): the disks of an instance and where they come from."""

from nova.db.main import api as db
from nova import exception
from nova import objects
from nova.objects import base
from nova.objects import fields

_COLUMN_FIELDS = ('id', 'uuid', 'instance_uuid', 'source_type', 'destination_type',
                  'guest_format', 'device_type', 'disk_bus', 'boot_index', 'device_name',
                  'delete_on_termination', 'snapshot_id', 'volume_id', 'volume_size',
                  'image_id', 'no_device', 'connection_info', 'tag', 'attachment_id',
                  'volume_type', 'encrypted', 'encryption_secret_uuid', 'encryption_format',
                  'encryption_options', 'created_at', 'updated_at', 'deleted_at')
_BOOLEANS = ('delete_on_termination', 'no_device', 'encrypted')


@base.NovaObjectRegistry.register
class BlockDeviceMapping(base.NovaPersistentObject, base.NovaObject,
                         base.NovaObjectDictCompat):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'instance_uuid': fields.UUIDField(),
        'instance': fields.ObjectField('Instance'),
        'source_type': fields.StringField(nullable=True),
        'destination_type': fields.StringField(nullable=True),
        'guest_format': fields.StringField(nullable=True),
        'device_type': fields.StringField(nullable=True),
        'disk_bus': fields.StringField(nullable=True),
        'boot_index': fields.IntegerField(nullable=True),
        'device_name': fields.StringField(nullable=True),
        'delete_on_termination': fields.BooleanField(default=False),
        'snapshot_id': fields.StringField(nullable=True),
        'volume_id': fields.StringField(nullable=True),
        'volume_size': fields.IntegerField(nullable=True),
        'image_id': fields.StringField(nullable=True),
        'no_device': fields.BooleanField(default=False),
        'connection_info': fields.SensitiveStringField(nullable=True),
        'tag': fields.StringField(nullable=True),
        'attachment_id': fields.UUIDField(nullable=True),
        'volume_type': fields.StringField(nullable=True),
        'encrypted': fields.BooleanField(default=False),
        'encryption_secret_uuid': fields.UUIDField(nullable=True),
        'encryption_format': fields.StringField(nullable=True),
        'encryption_options': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, bdm, db_bdm, expected_attrs=None):
        for key in _COLUMN_FIELDS:
            value = db_bdm[key]
            if key in _BOOLEANS:
                value = bool(value)
            setattr(bdm, key, value)
        bdm.deleted = bool(db_bdm['deleted'])
        bdm._context = context
        bdm.obj_reset_changes()
        return bdm

    def _db_values(self):
        values = self.obj_get_changes()
        values.pop('instance', None)
        values.pop('id', None)
        return values

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        self._from_db_object(self._context, self,
                             db.block_device_mapping_create(self._context, self._db_values()))

    @base.remotable
    def update_or_create(self):
        values = self._db_values()
        values.setdefault('instance_uuid', self.instance_uuid)
        self._from_db_object(self._context, self,
                             db.block_device_mapping_update_or_create(self._context, values))

    @base.remotable
    def save(self):
        values = self._db_values()
        if 'instance_uuid' in values:
            raise exception.ObjectActionError(action='save', reason='instance_uuid changed')
        if values:
            self._from_db_object(self._context, self, db.block_device_mapping_update(
                self._context, self.id, values))

    @base.remotable
    def destroy(self):
        if not self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='destroy', reason='already destroyed')
        db.block_device_mapping_destroy(self._context, self.id)
        delattr(self, base.get_attrname('id'))

    @classmethod
    @base.remotable
    def get_by_volume_id(cls, context, volume_id, instance_uuid=None, expected_attrs=None):
        db_bdms = db.block_device_mapping_get_by_volume_id(context, volume_id, instance_uuid)
        if not db_bdms:
            raise exception.VolumeBDMNotFound(volume_id=volume_id)
        if len(db_bdms) > 1:
            raise exception.VolumeBDMIsMultiAttach(volume_id=volume_id)
        return cls._from_db_object(context, cls(), db_bdms[0])

    @classmethod
    @base.remotable
    def get_by_volume_and_instance(cls, context, volume_id, instance_uuid,
                                   expected_attrs=None):
        return cls.get_by_volume_id(context, volume_id, instance_uuid=instance_uuid)

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, uuid):
        return cls._from_db_object(context, cls(), db.block_device_mapping_get_by_uuid(
            context, uuid))

    def obj_load_attr(self, attrname):
        if attrname != 'instance':
            raise exception.ObjectActionError(
                action='obj_load_attr', reason='attribute %s not lazy-loadable' % attrname)
        if self._context is None:
            raise exception.OrphanedObjectError(method='obj_load_attr',
                                                objtype=self.obj_name())
        self.instance = objects.Instance.get_by_uuid(self._context, self.instance_uuid)
        self.obj_reset_changes(['instance'])

    @property
    def is_root(self):
        return self.boot_index == 0

    @property
    def is_volume(self):
        return self.destination_type == 'volume'

    @property
    def is_image(self):
        return self.source_type == 'image'

    @property
    def is_local(self):
        return self.destination_type == 'local'


@base.NovaObjectRegistry.register
class BlockDeviceMappingList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('BlockDeviceMapping'),
    }

    @classmethod
    @base.remotable
    def get_by_instance_uuids(cls, context, instance_uuids):
        return base.obj_make_list(context, cls(), BlockDeviceMapping,
                                  db.block_device_mapping_get_all_by_instance_uuids(
                                      context, list(instance_uuids)))

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        return cls.get_by_instance_uuids(context, [instance_uuid])

    @classmethod
    def bdms_by_instance_uuid(cls, context, instance_uuids):
        result = {}
        for bdm in cls.get_by_instance_uuids(context, instance_uuids):
            result.setdefault(bdm.instance_uuid, cls(context, objects=[]))
            result[bdm.instance_uuid].objects.append(bdm)
        return result

    def root_bdm(self):
        """The boot disk's mapping (boot_index 0), or None."""
        for bdm in self.objects:
            if bdm.is_root:
                return bdm
        return None
