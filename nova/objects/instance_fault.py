"""Instance faults (cell DB): the errors shown in a server's ``fault`` attribute."""

from nova.db.main import api as db
from nova import exception
from nova.objects import base
from nova.objects import fields


@base.NovaObjectRegistry.register
class InstanceFault(base.NovaPersistentObject, base.NovaObject, base.NovaObjectDictCompat):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'instance_uuid': fields.UUIDField(),
        'code': fields.IntegerField(),
        'message': fields.StringField(nullable=True),
        'details': fields.StringField(nullable=True),
        'host': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, fault, db_fault):
        for key in fault.fields:
            value = db_fault[key]
            setattr(fault, key, bool(value) if key == 'deleted' else value)
        fault._context = context
        fault.obj_reset_changes()
        return fault

    @classmethod
    @base.remotable
    def get_latest_for_instance(cls, context, instance_uuid):
        faults = db.instance_fault_get_by_instance_uuids(context, [instance_uuid], latest=True)
        if faults[instance_uuid]:
            return cls._from_db_object(context, cls(), faults[instance_uuid][0])
        return None

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        values = {key: getattr(self, key) for key in
                  ('instance_uuid', 'code', 'message', 'details', 'host')
                  if self.obj_attr_is_set(key)}
        # The column is 255 characters; a long message would fail the insert.
        if values.get('message'):
            values['message'] = values['message'][:255]
        db_fault = db.instance_fault_create(self._context, values)
        self._from_db_object(self._context, self, db_fault)


@base.NovaObjectRegistry.register
class InstanceFaultList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceFault'),
    }

    @classmethod
    @base.remotable
    def get_latest_by_instance_uuids(cls, context, instance_uuids):
        by_uuid = db.instance_fault_get_by_instance_uuids(context, instance_uuids, latest=True)
        db_faults = [f for faults in by_uuid.values() for f in faults]
        return base.obj_make_list(context, cls(context), InstanceFault, db_faults)

    @classmethod
    @base.remotable
    def get_by_instance_uuids(cls, context, instance_uuids):
        by_uuid = db.instance_fault_get_by_instance_uuids(context, instance_uuids)
        db_faults = [f for faults in by_uuid.values() for f in faults]
        return base.obj_make_list(context, cls(context), InstanceFault, db_faults)
