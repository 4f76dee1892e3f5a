"""Server tags (cell DB)."""

from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields

MAX_TAG_LENGTH = 60
#: Upstream's limit on tags per server (the DB layer enforces it too).
MAX_TAG_COUNT = db.MAX_TAGS_PER_INSTANCE


@base.NovaObjectRegistry.register
class Tag(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'resource_id': fields.StringField(),
        'tag': fields.StringField(),
    }

    @staticmethod
    def _from_db_object(context, tag, db_tag):
        for key in ('resource_id', 'tag'):
            setattr(tag, key, db_tag[key])
        tag._context = context
        tag.obj_reset_changes()
        return tag

    @base.remotable
    def create(self):
        db.instance_tag_add(self._context, self.resource_id, self.tag)

    @classmethod
    @base.remotable
    def destroy(cls, context, resource_id, name):
        db.instance_tag_delete(context, resource_id, name)

    @classmethod
    @base.remotable
    def exists(cls, context, resource_id, name):
        return db.instance_tag_exists(context, resource_id, name)


@base.NovaObjectRegistry.register
class TagList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Tag'),
    }

    @classmethod
    def from_names(cls, context, resource_id, names):
        rows = [{'resource_id': resource_id, 'tag': name} for name in sorted(set(names))]
        return base.obj_make_list(context, cls(context), Tag, rows)

    @classmethod
    @base.remotable
    def get_by_resource_id(cls, context, resource_id):
        return cls.from_names(context, resource_id,
                              db.instance_tag_get_by_instance_uuid(context, resource_id))

    @classmethod
    @base.remotable
    def create(cls, context, resource_id, tags):
        return cls.from_names(context, resource_id,
                              db.instance_tag_set(context, resource_id, tags))

    @classmethod
    @base.remotable
    def destroy(cls, context, resource_id):
        db.instance_tag_delete_all(context, resource_id)
