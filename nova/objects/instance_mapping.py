"""Instance mappings: which cell holds each instance (API DB)."""

import sqlalchemy as sa

from nova.db.api import engine as api_engine
from nova.db.api import models as api_models
from nova import exception
from nova.objects import base
from nova.objects import fields
from nova.objects import mapping_db


@base.NovaObjectRegistry.register
class InstanceMapping(base.NovaTimestampObject, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(read_only=True),
        'instance_uuid': fields.UUIDField(),
        'cell_mapping': fields.ObjectField('CellMapping', nullable=True),
        'project_id': fields.StringField(),
        'user_id': fields.StringField(nullable=True),
        'queued_for_delete': fields.BooleanField(default=False),
    }

    @staticmethod
    def _from_db_object(context, mapping, db_mapping):
        for key in ('id', 'instance_uuid', 'project_id', 'user_id', 'queued_for_delete',
                    'created_at', 'updated_at'):
            setattr(mapping, key, getattr(db_mapping, key))
        mapping.cell_mapping = mapping_db.load_cell(context, db_mapping.cell_mapping)
        mapping.obj_reset_changes()
        mapping._context = context
        return mapping

    @staticmethod
    def _query():
        return mapping_db.select(api_models.InstanceMapping, with_cell=True)

    @staticmethod
    @api_engine.context_manager.reader
    def _get_by_instance_uuid_from_db(context, instance_uuid):
        return mapping_db.get_one(
            context, InstanceMapping._query().filter_by(instance_uuid=instance_uuid),
            exception.InstanceMappingNotFound, uuid=instance_uuid)

    @classmethod

    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        return cls._from_db_object(context, cls(),
                                   cls._get_by_instance_uuid_from_db(context, instance_uuid))

    @staticmethod
    def _cell_id(updates):
        if 'cell_mapping' in updates:
            cell = updates.pop('cell_mapping')
            updates['cell_id'] = cell.id if cell else None
        return updates

    @staticmethod
    @api_engine.context_manager.writer
    def _create_in_db(context, updates):
        db_mapping = api_models.InstanceMapping(**updates)
        context.session.add(db_mapping)
        context.session.flush()
        return {'id': db_mapping.id, 'created_at': db_mapping.created_at,
                'updated_at': db_mapping.updated_at}

    @base.remotable
    def create(self):
        cell = self.cell_mapping if 'cell_mapping' in self else None
        updates = self._cell_id(self.obj_get_changes())
        updates.setdefault('queued_for_delete', False)
        stored = self._create_in_db(self._context, updates)
        # What we sent is what is stored; only the generated columns come back.
        for key, value in stored.items():
            setattr(self, key, value)
        self.cell_mapping = cell
        self.queued_for_delete = updates['queued_for_delete']
        if 'user_id' not in self:
            self.user_id = None
        self.obj_reset_changes()

    @staticmethod
    @api_engine.context_manager.writer
    def _save_in_db(context, instance_uuid, updates):
        db_mapping = mapping_db.get_one(
            context, mapping_db.select(api_models.InstanceMapping).filter_by(
                instance_uuid=instance_uuid),
            exception.InstanceMappingNotFound, uuid=instance_uuid)
        for key, value in updates.items():
            setattr(db_mapping, key, value)
        context.session.flush()
        context.session.refresh(db_mapping)
        db_mapping.cell_mapping  # noqa: B018
        return db_mapping

    @base.remotable
    def save(self):
        updates = self._cell_id(self.obj_get_changes())
        updates.pop('id', None)
        if updates:
            self._from_db_object(self._context, self,
                                 self._save_in_db(self._context, self.instance_uuid, updates))

    @staticmethod
    @api_engine.context_manager.writer
    def _destroy_in_db(context, instance_uuid):
        mapping_db.delete_one(context, api_models.InstanceMapping,
                              api_models.InstanceMapping.instance_uuid, instance_uuid,
                              exception.InstanceMappingNotFound, uuid=instance_uuid)

    @base.remotable
    def destroy(self):
        self._destroy_in_db(self._context, self.instance_uuid)


@base.NovaObjectRegistry.register
class InstanceMappingList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceMapping'),
    }

    @staticmethod
    @api_engine.context_manager.reader
    def _get_from_db(context, **filters):
        query = InstanceMapping._query().order_by(api_models.InstanceMapping.id)
        cell_id = filters.pop('cell_id', None)
        if cell_id is not None:
            query = query.where(api_models.InstanceMapping.cell_id == cell_id)
        uuids = filters.pop('instance_uuids', None)
        if uuids is not None:
            query = query.where(api_models.InstanceMapping.instance_uuid.in_(uuids))
        if filters:
            query = query.filter_by(**filters)
        return context.session.scalars(query).unique().all()

    @classmethod

    @base.remotable
    def get_by_project_id(cls, context, project_id):
        return base.obj_make_list(context, cls(), InstanceMapping,
                                  cls._get_from_db(context, project_id=project_id))

    @classmethod

    @base.remotable
    def get_by_cell_id(cls, context, cell_id):
        return base.obj_make_list(context, cls(), InstanceMapping,
                                  cls._get_from_db(context, cell_id=cell_id))

    @classmethod

    @base.remotable
    def get_by_instance_uuids(cls, context, uuids):
        return base.obj_make_list(context, cls(), InstanceMapping,
                                  cls._get_from_db(context, instance_uuids=list(uuids)))

    @staticmethod
    @api_engine.context_manager.reader
    def _count_from_db(context, project_id, user_id=None):
        query = sa.select(sa.func.count(api_models.InstanceMapping.id)).where(
            api_models.InstanceMapping.project_id == project_id,
            api_models.InstanceMapping.queued_for_delete.is_(False))
        if user_id:
            query = query.where(api_models.InstanceMapping.user_id == user_id)
        return context.session.execute(query).scalar()

    @staticmethod
    @api_engine.context_manager.reader
    def _incomplete_exists_in_db(context, project_id):
        mapping = api_models.InstanceMapping
        query = sa.select(sa.exists().where(
            mapping.project_id == project_id,
            sa.or_(mapping.user_id.is_(None), mapping.queued_for_delete.is_(None))))
        return bool(context.session.execute(query).scalar())

    @classmethod
    def has_incomplete_for_project(cls, context, project_id):
        """True while some mapping of the project lacks its user or its delete flag.

        Such mappings (from before those columns were filled in) cannot be
        counted per user or told apart from deleted servers.
        """
        return cls._incomplete_exists_in_db(context, project_id)

    @classmethod
    def get_count_by_uuids_and_user(cls, context, uuids, user_id):
        return len([m for m in cls.get_by_instance_uuids(context, uuids)
                    if m.user_id == user_id])

    @classmethod
    def get_counts(cls, context, project_id, user_id=None):
        counts = {'project': {'instances': cls._count_from_db(context, project_id)}}
        if user_id:
            counts['user'] = {'instances': cls._count_from_db(context, project_id, user_id)}
        return counts
