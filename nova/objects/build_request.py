"""Build requests (API DB): a server accepted by the API but not yet in a cell.

The not-yet-created Instance (with its block device mappings and tags) is
kept as its serialized object primitive, so the API can list and show the
server before conductor has put it in a cell database.
"""

import re

from oslo_db import exception as db_exc
from oslo_log import log as logging
from oslo_serialization import jsonutils
from oslo_versionedobjects import exception as ovo_exc
import sqlalchemy as sa

from nova.db.api import engine as api_engine
from nova.db.api import models as api_models
from nova import exception
from nova import objects
from nova.objects import base
from nova.objects import fields

LOG = logging.getLogger(__name__)

BR = api_models.BuildRequest
_COLUMNS = ('id', 'instance_uuid', 'project_id', 'instance', 'block_device_mappings', 'tags',
            'created_at', 'updated_at')


def _as_dict(row):
    return {key: getattr(row, key) for key in _COLUMNS}


@api_engine.reader
def _get_by_instance_uuid(context, instance_uuid):
    row = context.session.scalars(sa.select(BR).where(BR.instance_uuid == instance_uuid)).first()
    if row is None:
        raise exception.BuildRequestNotFound(uuid=instance_uuid)
    return _as_dict(row)


@api_engine.reader
def _get_all(context, project_id=None):
    query = sa.select(BR).order_by(BR.id)
    if project_id is not None:
        query = query.where(BR.project_id == project_id)
    return [_as_dict(row) for row in context.session.scalars(query)]


@api_engine.writer
def _create(context, values):
    row = BR(**values)
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.BuildRequestAlreadyExists(uuid=values['instance_uuid'])
    return _as_dict(row)


@api_engine.writer
def _update(context, build_request_id, values):
    row = context.session.get(BR, build_request_id)
    if row is None:
        raise exception.BuildRequestNotFound(uuid=values.get('instance_uuid'))
    for key, value in values.items():
        setattr(row, key, value)
    context.session.flush()
    return _as_dict(row)


@api_engine.writer
def _destroy(context, instance_uuid):
    result = context.session.execute(sa.delete(BR).where(BR.instance_uuid == instance_uuid))
    if not result.rowcount:
        raise exception.BuildRequestNotFound(uuid=instance_uuid)


@base.NovaObjectRegistry.register
class BuildRequest(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'instance_uuid': fields.UUIDField(),
        'project_id': fields.StringField(),
        'instance': fields.ObjectField('Instance'),
        'block_device_mappings': fields.ObjectField('BlockDeviceMappingList'),
        'tags': fields.ObjectField('TagList'),
        'created_at': fields.DateTimeField(nullable=True),
        'updated_at': fields.DateTimeField(nullable=True),
    }

    def _load_instance(self, db_instance):
        try:
            self.instance = objects.Instance.obj_from_primitive(jsonutils.loads(db_instance))
        except (TypeError, ValueError, ovo_exc.IncompatibleObjectVersion) as error:
            # Written by a newer service we cannot read: nothing we can show.
            LOG.debug('Could not deserialize the instance of build request %s: %s',
                      self.instance_uuid, error)
            raise exception.BuildRequestNotFound(uuid=self.instance_uuid)
        # Never persisted in a cell: present it as a live, unsaved instance.
        self.instance.deleted = False
        self.instance.created_at = self.created_at
        self.instance.updated_at = self.updated_at
        self.instance.tags = self.tags if self.obj_attr_is_set('tags') else \
            objects.TagList(objects=[])
        self.instance._context = self._context
        self.instance.obj_reset_changes(recursive=True)

    @staticmethod
    def _from_db_object(context, req, db_req):
        req._context = context
        for key in ('id', 'instance_uuid', 'project_id', 'created_at', 'updated_at'):
            setattr(req, key, db_req[key])
        if db_req['block_device_mappings']:
            req.block_device_mappings = objects.BlockDeviceMappingList.obj_from_primitive(
                jsonutils.loads(db_req['block_device_mappings']))
        else:
            req.block_device_mappings = objects.BlockDeviceMappingList(objects=[])
        if db_req['tags']:
            req.tags = objects.TagList.obj_from_primitive(jsonutils.loads(db_req['tags']))
        else:
            req.tags = objects.TagList(objects=[])
        req._load_instance(db_req['instance'])
        req.obj_reset_changes(recursive=True)
        return req

    def obj_load_attr(self, attrname):
        if attrname == 'block_device_mappings':
            self.block_device_mappings = objects.BlockDeviceMappingList(objects=[])
        elif attrname == 'tags':
            self.tags = objects.TagList(objects=[])
        else:
            raise exception.ObjectActionError(
                action='obj_load_attr', reason='attribute %s not lazy-loadable' % attrname)
        self.obj_reset_changes([attrname])

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        return cls._from_db_object(context, cls(), _get_by_instance_uuid(context, instance_uuid))

    def _db_values(self, changes):
        values = {}
        for key in changes:
            if key in ('instance', 'block_device_mappings', 'tags'):
                values[key] = jsonutils.dumps(getattr(self, key).obj_to_primitive())
            elif key not in ('id',):
                values[key] = getattr(self, key)
        return values

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if not self.obj_attr_is_set('instance_uuid'):
            raise exception.ObjectActionError(action='create', reason='instance_uuid must be set')
        changes = set(self.obj_what_changed()) | {'block_device_mappings', 'tags'}
        values = self._db_values(changes)
        values.pop('created_at', None)
        values.pop('updated_at', None)
        db_req = _create(self._context, values)
        # The instance we hold is what was just stored: no need to decode it back.
        for key in ('id', 'created_at', 'updated_at'):
            setattr(self, key, db_req[key])
        self.instance.created_at = self.created_at
        self.obj_reset_changes(recursive=True)

    @base.remotable
    def save(self):
        values = self._db_values(self.obj_what_changed())
        if values:
            self._from_db_object(self._context, self, _update(self._context, self.id, values))

    @base.remotable
    def destroy(self):
        _destroy(self._context, self.instance_uuid)

    def get_new_instance(self, context):
        """An unsaved Instance carrying everything the build request recorded."""
        instance = objects.Instance(context=context)
        for field in self.instance.obj_fields:
            if field in ('id', 'created_at', 'updated_at', 'deleted', 'deleted_at'):
                continue
            if self.instance.obj_attr_is_set(field):
                setattr(instance, field, getattr(self.instance, field))
        return instance


# Matched as case-insensitive regular expressions, the way the cell databases
# match them (nova.db.main.instance_api), so a build request and the instance
# it becomes answer the same filters.
_REGEX_FILTERS = ('display_name', 'display_description', 'hostname')
_EXACT_FILTERS = ('project_id', 'user_id', 'image_ref', 'availability_zone', 'key_name',
                  'vm_state', 'task_state', 'uuid', 'reservation_id', 'launch_index',
                  'kernel_id', 'ramdisk_id', 'os_type', 'architecture', 'config_drive',
                  'access_ip_v4', 'access_ip_v6')


def _regex_matches(pattern, text):
    """``pattern`` found in ``text`` ignoring case; a broken pattern matches literally."""
    try:
        compiled = re.compile(str(pattern), re.IGNORECASE)
    except re.error:
        compiled = re.compile(re.escape(str(pattern)), re.IGNORECASE)
    return compiled.search(text or '') is not None


def _field(instance, key):
    return getattr(instance, key, None) if instance.obj_attr_is_set(key) else None


def _matches(instance, filters):
    for key, value in filters.items():
        key = 'display_name' if key == 'name' else key
        if key in _EXACT_FILTERS:
            actual = _field(instance, key)
            if isinstance(value, (list, tuple, set, frozenset)):
                if actual not in value:
                    return False
            elif actual != value:
                return False
        elif key in _REGEX_FILTERS:
            if not _regex_matches(value, _field(instance, key)):
                return False
        elif key == 'flavor':
            if not instance.obj_attr_is_set('flavor') or instance.flavor.flavorid != value:
                return False
        elif key in ('tags', 'tags-any', 'not-tags', 'not-tags-any'):
            have = {t.tag for t in instance.tags} if instance.obj_attr_is_set('tags') \
                else set()
            wanted = set([value] if isinstance(value, str) else value)
            ok = {'tags': wanted <= have, 'tags-any': bool(wanted & have),
                  'not-tags': not wanted <= have, 'not-tags-any': not (wanted & have)}[key]
            if not ok:
                return False
    return True


# Filters that no build request can ever satisfy: they describe placed servers.
_UNMATCHABLE = ('host', 'node', 'ip', 'ip6', 'changes-before', 'launched_at',
                'terminated_at', 'power_state', 'locked', 'hidden')


@base.NovaObjectRegistry.register
class BuildRequestList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('BuildRequest'),
    }

    @staticmethod
    def _load_all(context, db_reqs):
        result = []
        for db_req in db_reqs:
            try:
                result.append(BuildRequest._from_db_object(context, BuildRequest(), db_req))
            except exception.BuildRequestNotFound:
                continue
        return result

    @classmethod
    @base.remotable
    def get_all(cls, context):
        project_id = None if context.is_admin else context.project_id
        return cls(context, objects=cls._load_all(context, _get_all(context, project_id)))

    @classmethod
    @base.remotable
    def get_by_filters(cls, context, filters, limit=None, marker=None, sort_keys=None,
                       sort_dirs=None):
        """Build requests whose instance matches ``filters``, sorted and paged in memory."""
        if limit == 0 or filters.get('deleted') or filters.get('cleaned'):
            return cls(context, objects=[])
        if any(key in filters for key in _UNMATCHABLE):
            return cls(context, objects=[])
        project_id = filters.get('project_id')
        if project_id is None and not context.is_admin:
            project_id = context.project_id
        reqs = [r for r in cls._load_all(context, _get_all(context, project_id))
                if _matches(r.instance, filters)]
        sort_keys = list(sort_keys or ['created_at'])
        sort_dirs = list(sort_dirs or ['desc'] * len(sort_keys))
        for key, direction in reversed(list(zip(sort_keys, sort_dirs))):
            def sort_value(req, key=key):
                if key == 'created_at':
                    return (0, req.created_at)
                value = (getattr(req.instance, key)
                         if req.instance.obj_attr_is_set(key) else None)
                return (0, value) if value is not None else (-1, '')
            reqs.sort(key=sort_value, reverse=(direction == 'desc'))
        if marker is not None:
            uuids = [r.instance_uuid for r in reqs]
            if marker not in uuids:
                raise exception.MarkerNotFound(marker=marker)
            reqs = reqs[uuids.index(marker) + 1:]
        if limit is not None:
            reqs = reqs[:limit]
        return cls(context, objects=reqs)
