"""Server groups (API DB): instances scheduled under an (anti-)affinity policy."""

from oslo_db import exception as db_exc
from oslo_serialization import jsonutils
from oslo_utils import uuidutils
import sqlalchemy as sa
from sqlalchemy import orm

from nova import context as nova_context
from nova.db.api import engine as api_engine
from nova.db.api import models as api_models
from nova import exception
from nova import objects
from nova.objects import base
from nova.objects import fields

G = api_models.InstanceGroup
_COLUMNS = ('id', 'user_id', 'project_id', 'uuid', 'name', 'created_at', 'updated_at')


def _query():
    return sa.select(G).options(orm.selectinload(G._policies), orm.selectinload(G._members))


def _as_dict(row):
    values = {key: getattr(row, key) for key in _COLUMNS}
    policy = row.policy
    values['policy'] = policy.policy if policy else None
    values['rules'] = jsonutils.loads(policy.rules) if policy and policy.rules else {}
    values['members'] = row.members
    return values


@api_engine.reader
def _get(context, **filters):
    query = _query()
    name = filters.pop('name', None)
    if name is not None:
        query = query.where(G.name == name, G.project_id == context.project_id)
    instance_uuid = filters.pop('instance_uuid', None)
    if instance_uuid is not None:
        query = query.join(api_models.InstanceGroupMember,
                           api_models.InstanceGroupMember.group_id == G.id).where(
            api_models.InstanceGroupMember.instance_uuid == instance_uuid)
    row = context.session.scalars(query.filter_by(**filters)).first()
    return _as_dict(row) if row else None


@api_engine.reader
def _get_all(context, project_id=None):
    query = _query().order_by(G.id)
    if project_id is not None:
        query = query.where(G.project_id == project_id)
    return [_as_dict(row) for row in context.session.scalars(query)]


def _member_rows(group_id, instance_uuids):
    return [api_models.InstanceGroupMember(group_id=group_id, instance_uuid=u)
            for u in instance_uuids]


@api_engine.writer
def _create(context, values, policy, rules, members):
    row = G(**values)
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.InstanceGroupIdExists(group_uuid=values['uuid'])
    if policy:
        context.session.add(api_models.InstanceGroupPolicy(
            group_id=row.id, policy=policy, rules=jsonutils.dumps(rules) if rules else None))
    context.session.add_all(_member_rows(row.id, members or []))
    context.session.flush()


@api_engine.writer
def _update(context, group_uuid, values, members=None):
    row = context.session.scalars(sa.select(G).where(G.uuid == group_uuid)).first()
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
    for key, value in values.items():
        setattr(row, key, value)
    if members is not None:
        M = api_models.InstanceGroupMember
        context.session.execute(sa.delete(M).where(M.group_id == row.id))
        context.session.add_all(_member_rows(row.id, members))
    context.session.flush()


@api_engine.writer
def _add_members(context, group_uuid, instance_uuids):
    row = context.session.scalars(sa.select(G).where(G.uuid == group_uuid)).first()
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
    M = api_models.InstanceGroupMember
    existing = set(context.session.scalars(sa.select(M.instance_uuid).where(
        M.group_id == row.id)))
    new = [u for u in dict.fromkeys(instance_uuids) if u not in existing]
    context.session.add_all(_member_rows(row.id, new))
    context.session.flush()
    return new


@api_engine.writer
def _destroy(context, group_uuid):
    row = context.session.scalars(sa.select(G).where(G.uuid == group_uuid)).first()
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
    for model in (api_models.InstanceGroupPolicy, api_models.InstanceGroupMember):
        context.session.execute(sa.delete(model).where(model.group_id == row.id))
    context.session.delete(row)


@api_engine.reader
def _count(context, project_id, user_id=None):
    query = sa.select(sa.func.count(G.id)).where(G.project_id == project_id)
    if user_id:
        query = query.where(G.user_id == user_id)
    return context.session.execute(query).scalar()


@base.NovaObjectRegistry.register
class InstanceGroup(base.NovaPersistentObject, base.NovaObject, base.NovaObjectDictCompat):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'policy': fields.StringField(nullable=True),
        'rules': fields.DictOfStringsField(),
        'members': fields.ListOfStringsField(nullable=True),
        'hosts': fields.ListOfStringsField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, group, db_group):
        for key in _COLUMNS + ('policy', 'members'):
            setattr(group, key, db_group[key])
        group.rules = {k: str(v) for k, v in (db_group['rules'] or {}).items()}
        group.deleted = False
        group.deleted_at = None
        group._context = context
        group.obj_reset_changes()
        return group

    @property
    def policies(self):
        """The single policy as a list, as microversions before 2.64 show it."""
        return [self.policy] if self.policy else []

    def obj_load_attr(self, attrname):
        if attrname == 'hosts':
            self.hosts = self.get_hosts()
        elif attrname == 'rules':
            self.rules = {}
        elif attrname in ('policy',):
            self.policy = None
        elif attrname == 'members':
            self.members = []
        else:
            raise exception.ObjectActionError(
                action='obj_load_attr', reason='attribute %s not lazy-loadable' % attrname)
        self.obj_reset_changes([attrname])

    @classmethod
    def _get(cls, context, error, **filters):
        db_group = _get(context, **filters)
        if db_group is None:
            raise error
        return cls._from_db_object(context, cls(), db_group)

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, uuid):
        return cls._get(context, exception.InstanceGroupNotFound(group_uuid=uuid), uuid=uuid)

    @classmethod
    @base.remotable
    def get_by_name(cls, context, name):
        return cls._get(context, exception.InstanceGroupNotFound(group_uuid=name), name=name)

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        return cls._get(context, exception.InstanceGroupNotFound(group_uuid=instance_uuid),
                        instance_uuid=instance_uuid)

    @classmethod
    def get_by_hint(cls, context, hint):
        """The group a scheduler hint names, by uuid or by name."""
        if uuidutils.is_uuid_like(hint):
            return cls.get_by_uuid(context, hint)
        return cls.get_by_name(context, hint)

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        updates = self.obj_get_changes()
        values = {k: updates[k] for k in ('user_id', 'project_id', 'uuid', 'name')
                  if k in updates}
        values.setdefault('uuid', uuidutils.generate_uuid())
        _create(self._context, values, updates.get('policy'), updates.get('rules'),
                updates.get('members'))
        self._from_db_object(self._context, self, _get(self._context, uuid=values['uuid']))

    @base.remotable
    def save(self):
        """Write name and member changes; policy and rules never change after create."""
        updates = self.obj_get_changes()
        updates.pop('id', None)
        for field in ('policy', 'rules', 'uuid', 'user_id', 'project_id'):
            if field in updates:
                raise exception.InstanceGroupSaveException(field=field)
        hosts = updates.pop('hosts', None)
        values = {k: v for k, v in updates.items() if k == 'name'}
        if values or 'members' in updates:
            _update(self._context, self.uuid, values, updates.get('members'))
        self._from_db_object(self._context, self, _get(self._context, uuid=self.uuid))
        if hosts is not None:
            self.hosts = hosts
            self.obj_reset_changes(['hosts'])

    @base.remotable
    def refresh(self):
        current = _get(self._context, uuid=self.uuid)
        self._from_db_object(self._context, self, current)

    @base.remotable
    def destroy(self):
        _destroy(self._context, self.uuid)

    @classmethod
    @base.remotable
    def add_members(cls, context, group_uuid, instance_uuids):
        return _add_members(context, group_uuid, instance_uuids)

    @base.remotable
    def get_hosts(self, exclude=None):
        """Hosts of the group's live members, looked up in every cell."""
        exclude = set(exclude or [])
        uuids = [u for u in (self.members or []) if u not in exclude]
        if not uuids:
            return []
        hosts = set()
        filters = {'uuid': uuids, 'deleted': False}
        cells = objects.CellMappingList.get_all(self._context)
        targets = [c for c in cells if not c.is_cell0()] or [None]
        for cell in targets:
            if cell is None:
                found = objects.InstanceList.get_by_filters(self._context, filters)
            else:
                with nova_context.target_cell(self._context, cell) as cctxt:
                    found = objects.InstanceList.get_by_filters(cctxt, filters)
            hosts.update(inst.host for inst in found if inst.host)
        return sorted(hosts)

    def count_members_by_user(self, user_id):
        filters = {'uuid': list(self.members or []), 'user_id': user_id, 'deleted': False}
        if not filters['uuid']:
            return 0
        return len(objects.InstanceList.get_by_filters(self._context, filters))


@base.NovaObjectRegistry.register
class InstanceGroupList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceGroup'),
    }

    @classmethod
    @base.remotable
    def get_by_project_id(cls, context, project_id):
        return base.obj_make_list(context, cls(context), InstanceGroup,
                                  _get_all(context, project_id))

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return base.obj_make_list(context, cls(context), InstanceGroup, _get_all(context))

    @classmethod
    @base.remotable
    def get_counts(cls, context, project_id, user_id=None):
        counts = {'project': {'server_groups': _count(context, project_id)}}
        if user_id:
            counts['user'] = {'server_groups': _count(context, project_id, user_id)}
        return counts
