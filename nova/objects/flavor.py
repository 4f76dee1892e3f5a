"""Flavors (API DB): the sizes offered for servers, their extra specs and access list."""

from oslo_db import exception as db_exc
import sqlalchemy as sa
from sqlalchemy import orm

from nova.db.api import engine as api_engine
from nova.db.api import models as api_models
from nova import exception
from nova.objects import base
from nova.objects import fields

F = api_models.Flavors
_COLUMNS = ('id', 'name', 'memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'flavorid',
            'swap', 'rxtx_factor', 'vcpu_weight', 'disabled', 'is_public', 'description',
            'created_at', 'updated_at')
OPTIONAL_FIELDS = ('extra_specs', 'projects')


def _query(context):
    """Flavors ``context`` may see: all for an admin; for anyone else the public
    ones and the private ones shared with their project (so a private flavor
    is not found, and cannot be booted, by a project without access)."""
    query = sa.select(F).options(orm.selectinload(F.extra_specs), orm.selectinload(F.projects))
    if not getattr(context, 'is_admin', True):
        query = query.where(sa.or_(F.is_public == sa.true(), F.projects.any(
            api_models.FlavorProjects.project_id == context.project_id)))
    return query


def _flavor_dict(db_flavor):
    values = {key: getattr(db_flavor, key) for key in _COLUMNS}
    values['extra_specs'] = {s.key: s.value for s in db_flavor.extra_specs}
    values['projects'] = sorted(p.project_id for p in db_flavor.projects)
    return values


@api_engine.reader
def _get_one(context, **filters):
    db_flavor = context.session.scalars(_query(context).filter_by(**filters)).first()
    return _flavor_dict(db_flavor) if db_flavor else None


@api_engine.reader
def _get_projects(context, flavor_id):
    query = sa.select(api_models.FlavorProjects.project_id).where(
        api_models.FlavorProjects.flavor_id == flavor_id)
    return sorted(context.session.scalars(query).all())


@api_engine.writer
def _create(context, values):
    values = dict(values)
    specs = values.pop('extra_specs', None) or {}
    projects = values.pop('projects', None) or []
    db_flavor = F(**values)
    db_flavor.extra_specs = [api_models.FlavorExtraSpecs(key=k, value=v)
                             for k, v in specs.items()]
    db_flavor.projects = [api_models.FlavorProjects(project_id=p) for p in set(projects)]
    context.session.add(db_flavor)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry as error:
        if 'flavorid' in (error.columns or []):
            raise exception.FlavorIdExists(flavor_id=values['flavorid'])
        raise exception.FlavorExists(name=values['name'])
    return _flavor_dict(db_flavor)


@api_engine.writer
def _update(context, flavor_id, values):
    db_flavor = context.session.get(F, flavor_id)
    if db_flavor is None:
        raise exception.FlavorNotFound(flavor_id=flavor_id)
    for key, value in values.items():
        setattr(db_flavor, key, value)
    context.session.flush()


@api_engine.writer
def _destroy(context, flavor_id=None, flavorid=None):
    query = sa.select(F)
    query = query.where(F.id == flavor_id) if flavor_id is not None \
        else query.where(F.flavorid == flavorid)
    db_flavor = context.session.scalars(query).first()
    if db_flavor is None:
        raise exception.FlavorNotFound(flavor_id=flavorid or flavor_id)
    for model in (api_models.FlavorExtraSpecs, api_models.FlavorProjects):
        context.session.execute(sa.delete(model).where(model.flavor_id == db_flavor.id))
    context.session.delete(db_flavor)
    return _flavor_dict_no_children(db_flavor)


def _flavor_dict_no_children(db_flavor):
    return {key: getattr(db_flavor, key) for key in _COLUMNS}


@api_engine.writer
def _set_extra_specs(context, flavor_id, to_add, to_delete):
    model = api_models.FlavorExtraSpecs
    for key in to_delete:
        result = context.session.execute(sa.delete(model).where(
            model.flavor_id == flavor_id, model.key == key))
        if not result.rowcount:
            raise exception.FlavorExtraSpecsNotFound(flavor_id=flavor_id, extra_specs_key=key)
    if to_add:
        existing = {s.key: s for s in context.session.scalars(sa.select(model).where(
            model.flavor_id == flavor_id, model.key.in_(list(to_add))))}
        for key, value in to_add.items():
            if key in existing:
                existing[key].value = value
            else:
                context.session.add(model(flavor_id=flavor_id, key=key, value=value))
    context.session.flush()


@api_engine.writer
def _add_access(context, flavor_id, flavorid, project_id):
    context.session.add(api_models.FlavorProjects(flavor_id=flavor_id, project_id=project_id))
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.FlavorAccessExists(flavor_id=flavorid, project_id=project_id)


@api_engine.writer
def _remove_access(context, flavor_id, flavorid, project_id):
    model = api_models.FlavorProjects
    result = context.session.execute(sa.delete(model).where(
        model.flavor_id == flavor_id, model.project_id == project_id))
    if not result.rowcount:
        raise exception.FlavorAccessNotFound(flavor_id=flavorid, project_id=project_id)


@base.NovaObjectRegistry.register
class Flavor(base.NovaPersistentObject, base.NovaObject, base.NovaObjectDictCompat):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'name': fields.StringField(nullable=True),
        'memory_mb': fields.IntegerField(),
        'vcpus': fields.IntegerField(),
        'root_gb': fields.IntegerField(),
        'ephemeral_gb': fields.IntegerField(),
        'flavorid': fields.StringField(),
        'swap': fields.IntegerField(),
        'rxtx_factor': fields.FloatField(nullable=True, default=1.0),
        'vcpu_weight': fields.IntegerField(nullable=True),
        'disabled': fields.BooleanField(),
        'is_public': fields.BooleanField(),
        'extra_specs': fields.DictOfStringsField(),
        'projects': fields.ListOfStringsField(),
        'description': fields.StringField(nullable=True),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._orig_extra_specs = {}
        self._orig_projects = []

    def obj_reset_changes(self, fields=None, recursive=False):
        super().obj_reset_changes(fields=fields, recursive=recursive)
        if fields is None or 'extra_specs' in fields:
            self._orig_extra_specs = (dict(self.extra_specs)
                                      if self.obj_attr_is_set('extra_specs') else {})
        if fields is None or 'projects' in fields:
            self._orig_projects = (list(self.projects)
                                   if self.obj_attr_is_set('projects') else [])

    def obj_what_changed(self):
        changes = super().obj_what_changed()
        if self.obj_attr_is_set('extra_specs') and self.extra_specs != self._orig_extra_specs:
            changes.add('extra_specs')
        if self.obj_attr_is_set('projects') and self.projects != self._orig_projects:
            changes.add('projects')
        return changes

    @classmethod
    def _obj_from_primitive(cls, context, objver, primitive):
        flavor = super()._obj_from_primitive(context, objver, primitive)
        changes = flavor.obj_what_changed()
        if 'extra_specs' not in changes:
            flavor._orig_extra_specs = (dict(flavor.extra_specs)
                                        if flavor.obj_attr_is_set('extra_specs') else {})
        if 'projects' not in changes:
            flavor._orig_projects = (list(flavor.projects)
                                     if flavor.obj_attr_is_set('projects') else [])
        return flavor

    @staticmethod
    def _from_db_object(context, flavor, db_flavor, expected_attrs=None):
        expected_attrs = expected_attrs if expected_attrs is not None else OPTIONAL_FIELDS
        for key in _COLUMNS:
            value = db_flavor[key]
            if key == 'rxtx_factor' and value is None:
                value = 1.0
            if key == 'swap' and value is None:
                value = 0
            setattr(flavor, key, value)
        flavor.deleted = False
        flavor.deleted_at = None
        if 'extra_specs' in expected_attrs and 'extra_specs' in db_flavor:
            flavor.extra_specs = db_flavor['extra_specs']
        if 'projects' in expected_attrs and 'projects' in db_flavor:
            flavor.projects = db_flavor['projects']
        flavor._context = context
        flavor.obj_reset_changes()
        return flavor

    def obj_load_attr(self, attrname):
        if attrname not in OPTIONAL_FIELDS:
            raise exception.ObjectActionError(
                action='obj_load_attr', reason='attribute %s not lazy-loadable' % attrname)
        if self._context is None:
            raise exception.OrphanedObjectError(method='obj_load_attr',
                                                objtype=self.obj_name())
        if attrname == 'projects':
            self.projects = _get_projects(self._context, self.id)
        else:
            db_flavor = _get_one(self._context, id=self.id)
            self.extra_specs = db_flavor['extra_specs'] if db_flavor else {}
        self.obj_reset_changes([attrname])

    @classmethod
    def _get(cls, context, error, **filters):
        db_flavor = _get_one(context, **filters)
        if db_flavor is None:
            raise error
        return cls._from_db_object(context, cls(context), db_flavor)

    @classmethod
    @base.remotable
    def get_by_id(cls, context, id):
        return cls._get(context, exception.FlavorNotFound(flavor_id=id), id=id)

    @classmethod
    @base.remotable
    def get_by_name(cls, context, name):
        return cls._get(context, exception.FlavorNotFoundByName(flavor_name=name), name=name)

    @classmethod
    @base.remotable
    def get_by_flavor_id(cls, context, flavor_id, read_deleted=None):
        return cls._get(context, exception.FlavorNotFound(flavor_id=flavor_id),
                        flavorid=flavor_id)

    @base.remotable
    def add_access(self, project_id):
        if 'projects' in self.obj_what_changed():
            raise exception.ObjectActionError(action='add_access',
                                              reason='projects modified')
        _add_access(self._context, self.id, self.flavorid, project_id)
        self.obj_reset_changes(['projects'])
        self.projects = _get_projects(self._context, self.id)
        self.obj_reset_changes(['projects'])

    @base.remotable
    def remove_access(self, project_id):
        if 'projects' in self.obj_what_changed():
            raise exception.ObjectActionError(action='remove_access',
                                              reason='projects modified')
        _remove_access(self._context, self.id, self.flavorid, project_id)
        self.projects = _get_projects(self._context, self.id)
        self.obj_reset_changes(['projects'])

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        updates = self.obj_get_changes()
        for key in ('deleted', 'deleted_at', 'created_at', 'updated_at'):
            updates.pop(key, None)
        updates.setdefault('is_public', True)
        updates.setdefault('disabled', False)
        updates.setdefault('swap', 0)
        updates.setdefault('ephemeral_gb', 0)
        updates.setdefault('rxtx_factor', 1.0)
        db_flavor = _create(self._context, updates)
        self._from_db_object(self._context, self, db_flavor)

    @base.remotable
    def save_projects(self, to_add=None, to_delete=None):
        for project_id in to_add or ():
            _add_access(self._context, self.id, self.flavorid, project_id)
        for project_id in to_delete or ():
            _remove_access(self._context, self.id, self.flavorid, project_id)
        self.projects = _get_projects(self._context, self.id)
        self.obj_reset_changes(['projects'])

    @base.remotable
    def save_extra_specs(self, to_add=None, to_delete=None):
        """Add/update the ``to_add`` specs and remove the ``to_delete`` keys."""
        _set_extra_specs(self._context, self.id, to_add or {}, to_delete or [])
        specs = dict(self._orig_extra_specs)
        specs.update(to_add or {})
        for key in to_delete or ():
            specs.pop(key, None)
        self.extra_specs = specs
        self.obj_reset_changes(['extra_specs'])

    def save(self):
        """Write description, extra spec and access changes (other fields are fixed)."""
        updates = self.obj_get_changes()
        if 'id' in updates and self.obj_attr_is_set('id'):
            updates.pop('id')
        specs = updates.pop('extra_specs', None)
        projects = updates.pop('projects', None)
        allowed = {'description'}
        bad = set(updates) - allowed
        if bad:
            raise exception.ObjectActionError(
                action='save', reason='read-only fields were changed: %s' % ', '.join(sorted(bad)))
        if 'description' in updates:
            _update(self._context, self.id, {'description': updates['description']})
            self.obj_reset_changes(['description'])
        if specs is not None:
            added = {k: v for k, v in specs.items() if self._orig_extra_specs.get(k) != v}
            deleted = [k for k in self._orig_extra_specs if k not in specs]
            self.save_extra_specs(added, deleted)
        if projects is not None:
            added = [p for p in projects if p not in self._orig_projects]
            deleted = [p for p in self._orig_projects if p not in projects]
            self.save_projects(added, deleted)

    @base.remotable
    def destroy(self):
        if self.obj_attr_is_set('id'):
            _destroy(self._context, flavor_id=self.id)
        else:
            _destroy(self._context, flavorid=self.flavorid)


@api_engine.reader
def _get_all(context, inactive, filters, sort_key, sort_dir, limit, marker):
    filters = filters or {}
    query = _query(context)
    if 'min_memory_mb' in filters:
        query = query.where(F.memory_mb >= filters['min_memory_mb'])
    if 'min_root_gb' in filters:
        query = query.where(F.root_gb >= filters['min_root_gb'])
    if 'disabled' in filters:
        query = query.where(F.disabled == filters['disabled'])
    if 'name' in filters:
        query = query.where(F.name == filters['name'])
    is_public = filters.get('is_public')
    if is_public is not None:
        condition = F.is_public == is_public
        if is_public and context.project_id:
            # Private flavors the project was granted count as visible too.
            condition = sa.or_(condition, F.projects.any(
                api_models.FlavorProjects.project_id == context.project_id))
        query = query.where(condition)
    if sort_key not in _COLUMNS:
        raise exception.InvalidSortKey()
    if sort_dir not in ('asc', 'desc'):
        raise exception.InvalidInput(reason='Unknown sort direction %s' % sort_dir)
    order = [sort_key] + (['id'] if sort_key != 'id' else [])
    if marker is not None:
        marker_row = context.session.scalars(sa.select(F).where(F.flavorid == marker)).first()
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
        key_col, key_value = getattr(F, sort_key), getattr(marker_row, sort_key)
        cmp = (lambda c, v: c > v) if sort_dir == 'asc' else (lambda c, v: c < v)
        if sort_key == 'id':
            query = query.where(cmp(F.id, marker_row.id))
        else:
            query = query.where(sa.or_(cmp(key_col, key_value),
                                       sa.and_(key_col == key_value,
                                               cmp(F.id, marker_row.id))))
    for key in order:
        column = getattr(F, key)
        query = query.order_by(column.asc() if sort_dir == 'asc' else column.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_flavor_dict(f) for f in context.session.scalars(query).all()]


@base.NovaObjectRegistry.register
class FlavorList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Flavor'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context, inactive=False, filters=None, sort_key='flavorid',
                sort_dir='asc', limit=None, marker=None):
        db_flavors = _get_all(context, inactive, filters, sort_key, sort_dir, limit, marker)
        return base.obj_make_list(context, cls(context), Flavor, db_flavors,
                                  expected_attrs=['extra_specs'])
