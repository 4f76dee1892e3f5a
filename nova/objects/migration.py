"""Migrations (cell DB): one record per move of an instance between hosts."""

from nova.db.main import api as db
from nova import exception
from nova import objects
from nova.objects import base
from nova.objects import fields

_COLUMN_FIELDS = ('id', 'uuid', 'source_compute', 'dest_compute', 'source_node',
                  'dest_node', 'dest_host', 'old_instance_type_id', 'new_instance_type_id',
                  'instance_uuid', 'status', 'migration_type', 'hidden', 'memory_total',
                  'memory_processed', 'memory_remaining', 'disk_total', 'disk_processed',
                  'disk_remaining', 'cross_cell_move', 'user_id', 'project_id',
                  'dest_compute_id', 'created_at', 'updated_at', 'deleted_at')


@base.NovaObjectRegistry.register
class Migration(base.NovaPersistentObject, base.NovaObject, base.NovaObjectDictCompat):
    # Version 1.0: initial version
    # Version 1.1: get_by_id_and_instance (no new fields: nothing to backport)
    VERSION = '1.1'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'source_compute': fields.StringField(nullable=True),
        'dest_compute': fields.StringField(nullable=True),
        'source_node': fields.StringField(nullable=True),
        'dest_node': fields.StringField(nullable=True),
        'dest_host': fields.StringField(nullable=True),
        'old_instance_type_id': fields.IntegerField(nullable=True),
        'new_instance_type_id': fields.IntegerField(nullable=True),
        'instance_uuid': fields.StringField(nullable=True),
        'status': fields.StringField(nullable=True),
        'migration_type': fields.MigrationTypeField(nullable=False),
        'hidden': fields.BooleanField(nullable=False, default=False),
        'memory_total': fields.IntegerField(nullable=True),
        'memory_processed': fields.IntegerField(nullable=True),
        'memory_remaining': fields.IntegerField(nullable=True),
        'disk_total': fields.IntegerField(nullable=True),
        'disk_processed': fields.IntegerField(nullable=True),
        'disk_remaining': fields.IntegerField(nullable=True),
        'cross_cell_move': fields.BooleanField(default=False),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'dest_compute_id': fields.IntegerField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, migration, db_migration):
        for key in _COLUMN_FIELDS:
            value = db_migration[key]
            if key in ('hidden', 'cross_cell_move'):
                value = bool(value)
            elif key == 'migration_type' and value is None:
                # Old records predate the column: a flavor change means resize.
                value = ('resize' if db_migration['old_instance_type_id'] !=
                         db_migration['new_instance_type_id'] else 'migration')
            setattr(migration, key, value)
        migration.deleted = bool(db_migration['deleted'])
        migration._context = context
        migration.obj_reset_changes()
        return migration

    def obj_load_attr(self, attrname):
        if attrname == 'migration_type':
            self.migration_type = ('resize' if self.old_instance_type_id !=
                                   self.new_instance_type_id else 'migration')
        elif attrname in ('hidden', 'cross_cell_move'):
            setattr(self, attrname, False)
        else:
            raise exception.ObjectActionError(
                action='obj_load_attr', reason='attribute %s not lazy-loadable' % attrname)
        self.obj_reset_changes([attrname])

    @classmethod
    @base.remotable
    def get_by_id(cls, context, migration_id):
        return cls._from_db_object(context, cls(), db.migration_get(context, migration_id))

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, migration_uuid):
        return cls._from_db_object(context, cls(),
                                   db.migration_get_by_uuid(context, migration_uuid))

    @classmethod
    @base.remotable
    def get_by_id_and_instance(cls, context, migration_id, instance_uuid):
        return cls._from_db_object(context, cls(), db.migration_get_by_id_and_instance(
            context, migration_id, instance_uuid))

    @classmethod
    @base.remotable
    def get_by_instance_and_status(cls, context, instance_uuid, status):
        return cls._from_db_object(context, cls(), db.migration_get_by_instance_and_status(
            context, instance_uuid, status))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if 'migration_type' not in self:
            raise exception.ObjectActionError(action='create',
                                              reason='cannot create without a migration_type')
        updates = self.obj_get_changes()
        updates.pop('id', None)
        self._from_db_object(self._context, self, db.migration_create(self._context, updates))

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if updates:
            self._from_db_object(self._context, self,
                                 db.migration_update(self._context, self.id, updates))

    @property
    def instance(self):
        if not hasattr(self, '_cached_instance'):
            self._cached_instance = objects.Instance.get_by_uuid(self._context,
                                                                 self.instance_uuid)
        return self._cached_instance

    @instance.setter
    def instance(self, instance):
        self._cached_instance = instance

    @property
    def is_live_migration(self):
        return self.migration_type == 'live-migration'

    @property
    def is_resize(self):
        return self.migration_type == 'resize'

    @property
    def is_same_host_resize(self):
        return self.is_resize and self.source_node == self.dest_node


def _make_list(context, db_migrations):
    return base.obj_make_list(context, MigrationList(context), Migration, db_migrations)


@base.NovaObjectRegistry.register
class MigrationList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Migration'),
    }

    @classmethod
    @base.remotable
    def get_unconfirmed_by_dest_compute(cls, context, confirm_window, dest_compute,
                                        use_slave=False):
        return _make_list(context, db.migration_get_unconfirmed_by_dest_compute(
            context, confirm_window, dest_compute))

    @classmethod
    @base.remotable
    def get_in_progress_by_host_and_node(cls, context, host, node):
        return _make_list(context, db.migration_get_in_progress_by_host_and_node(
            context, host, node))

    @classmethod
    @base.remotable
    def get_by_filters(cls, context, filters, sort_keys=None, sort_dirs=None, limit=None,
                       marker=None):
        return _make_list(context, db.migration_get_all_by_filters(
            context, filters, sort_keys=sort_keys, sort_dirs=sort_dirs, limit=limit,
            marker=marker))

    @classmethod
    @base.remotable
    def get_in_progress_by_instance(cls, context, instance_uuid, migration_type=None):
        return _make_list(context, db.migration_get_in_progress_by_instance(
            context, instance_uuid, migration_type))
