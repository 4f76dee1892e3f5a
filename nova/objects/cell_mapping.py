"""Cell mappings: where each cell's database and message queue live (API DB)."""

from urllib import parse as urlparse

from oslo_utils import uuidutils
import sqlalchemy as sa

from nova.db.api import engine as api_engine
from nova.db.api import models as api_models
from nova import exception
from nova import objects
from nova.objects import base
from nova.objects import fields
from nova.objects import mapping_db

CELL0_UUID = '00000000-0000-0000-0000-000000000000'


def _mask_password(url):
    """Show a URL with its password replaced, for operator-facing output."""
    if not url:
        return url
    parsed = urlparse.urlsplit(url)
    if parsed.password is None:
        return url
    netloc = parsed.netloc.replace(':%s@' % parsed.password, ':****@', 1)
    return urlparse.urlunsplit(parsed._replace(netloc=netloc))


@base.NovaObjectRegistry.register
class CellMapping(base.NovaTimestampObject, base.NovaObject):
    # Version 1.0: initial version
    # Version 1.1: added disabled
    VERSION = '1.1'

    CELL0_UUID = CELL0_UUID

    fields = {
        'id': fields.IntegerField(read_only=True),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'transport_url': fields.StringField(),
        'database_connection': fields.StringField(),
        'disabled': fields.BooleanField(default=False),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
        if target_version == '1.0':
            primitive.pop('disabled', None)

    @property
    def identity(self):
        return '%s(%s)' % (self.uuid, self.name) if self.name else self.uuid

    def is_cell0(self):
        return self.obj_attr_is_set('uuid') and self.uuid == CELL0_UUID

    @staticmethod
    def _format_url(url, default):
        """Expand {scheme}-style variables in a stored URL from the default one.

        Operators may store templates such as ``mysql+pymysql://{username}:
        {password}@{hostname}/nova_cell1`` so credentials stay in nova.conf.
        """
        if not url or '{' not in url:
            return url
        if not default:
            return url
        parts = urlparse.urlsplit(default)
        variables = {
            'scheme': parts.scheme, 'username': parts.username or '',
            'password': parts.password or '', 'hostname': parts.hostname or '',
            'port': parts.port or '', 'path': parts.path.lstrip('/'),
            'query': parts.query, 'fragment': parts.fragment,
        }
        try:
            return url.format(**variables)
        except (KeyError, IndexError, ValueError):
            return url

    @staticmethod
    def _from_db_object(context, cell_mapping, db_cell_mapping):
        import nova.conf
        conf = nova.conf.CONF
        for key in cell_mapping.fields:
            value = getattr(db_cell_mapping, key)
            if key == 'database_connection':
                value = CellMapping._format_url(value, conf.database.connection)
            elif key == 'transport_url':
                value = CellMapping._format_url(value, conf.transport_url)
            setattr(cell_mapping, key, value)
        cell_mapping.obj_reset_changes()
        cell_mapping._context = context
        return cell_mapping

    @staticmethod
    @api_engine.context_manager.reader
    def _get_by_uuid_from_db(context, uuid):
        return mapping_db.get_one(
            context, mapping_db.select(api_models.CellMapping).filter_by(uuid=uuid),
            exception.CellMappingNotFound, uuid=uuid)

    @classmethod

    @base.remotable
    def get_by_uuid(cls, context, uuid):
        return cls._from_db_object(context, cls(), cls._get_by_uuid_from_db(context, uuid))

    @staticmethod
    @api_engine.context_manager.writer
    def _create_in_db(context, updates):
        db_mapping = api_models.CellMapping()
        for key, value in updates.items():
            setattr(db_mapping, key, value)
        context.session.add(db_mapping)
        context.session.flush()
        return db_mapping

    @base.remotable
    def create(self):
        updates = self.obj_get_changes()
        updates.setdefault('uuid', self.uuid if 'uuid' in self else uuidutils.generate_uuid())
        updates.setdefault('disabled', False)
        self._from_db_object(self._context, self, self._create_in_db(self._context, updates))

    @staticmethod
    @api_engine.context_manager.writer
    def _save_in_db(context, uuid, updates):
        db_mapping = mapping_db.get_one(
            context, mapping_db.select(api_models.CellMapping).filter_by(uuid=uuid),
            exception.CellMappingNotFound, uuid=uuid)
        for key, value in updates.items():
            setattr(db_mapping, key, value)
        context.session.flush()
        return db_mapping

    @base.remotable
    def save(self):
        changes = self.obj_get_changes()
        changes.pop('uuid', None)
        changes.pop('id', None)
        if changes:
            self._from_db_object(self._context, self,
                                 self._save_in_db(self._context, self.uuid, changes))

    @staticmethod
    @api_engine.context_manager.writer
    def _destroy_in_db(context, uuid):
        mapping_db.delete_one(context, api_models.CellMapping, api_models.CellMapping.uuid,
                              uuid, exception.CellMappingNotFound, uuid=uuid)

    @base.remotable
    def destroy(self):
        self._destroy_in_db(self._context, self.uuid)

    def masked_transport_url(self):
        return _mask_password(self.transport_url)

    def masked_database_connection(self):
        return _mask_password(self.database_connection)


@base.NovaObjectRegistry.register
class CellMappingList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    # Version 1.1: added get_by_disabled
    VERSION = '1.1'

    fields = {
        'objects': fields.ListOfObjectsField('CellMapping'),
    }

    @staticmethod
    @api_engine.context_manager.reader
    def _get_all_from_db(context):
        return context.session.scalars(
            sa.select(api_models.CellMapping).order_by(api_models.CellMapping.id)).all()

    @classmethod

    @base.remotable
    def get_all(cls, context):
        return base.obj_make_list(context, cls(), objects.CellMapping,
                                  cls._get_all_from_db(context))

    @staticmethod
    @api_engine.context_manager.reader
    def _get_by_disabled_from_db(context, disabled):
        query = sa.select(api_models.CellMapping).order_by(api_models.CellMapping.id)
        if disabled:
            query = query.filter_by(disabled=True)
        else:
            query = query.filter_by(disabled=False)
        return context.session.scalars(query).all()

    @classmethod

    @base.remotable
    def get_by_disabled(cls, context, disabled):
        return base.obj_make_list(context, cls(), objects.CellMapping,
                                  cls._get_by_disabled_from_db(context, disabled))

    @staticmethod
    @api_engine.context_manager.reader
    def _get_by_project_id_from_db(context, project_id):
        query = (sa.select(api_models.CellMapping).distinct()
                 .join(api_models.InstanceMapping,
                       api_models.InstanceMapping.cell_id == api_models.CellMapping.id)
                 .where(api_models.InstanceMapping.project_id == project_id))
        return context.session.scalars(query).all()

    @classmethod
    def get_by_project_id(cls, context, project_id):
        return base.obj_make_list(context, cls(), objects.CellMapping,
                                  cls._get_by_project_id_from_db(context, project_id))
