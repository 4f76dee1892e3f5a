"""Request specs (API DB): what a server asked the scheduler for, kept for later moves.

The whole object is stored as one JSON blob in ``request_specs.spec``; the
per-request parts (retries, a forced destination, network metadata) and a
server group's live members and hosts are left out of the blob on purpose.
"""

import copy

from oslo_db import exception as db_exc
from oslo_serialization import jsonutils
from oslo_versionedobjects import fields as ovo_fields
import sqlalchemy as sa

from nova.db.api import engine as api_engine
from nova.db.api import models as api_models
from nova import exception
from nova import objects
from nova.objects import base
from nova.objects import fields

RS = api_models.RequestSpec

# Valid for one scheduling request only; never written to the database.
_NOT_PERSISTED = ('retry', 'requested_destination', 'network_metadata', 'id')


def _as_dict(row):
    return {'id': row.id, 'instance_uuid': row.instance_uuid, 'spec': row.spec}


@api_engine.reader
def _get_by_instance_uuid(context, instance_uuid):
    row = context.session.scalars(sa.select(RS).where(RS.instance_uuid == instance_uuid)).first()
    if row is None:
        raise exception.RequestSpecNotFound(instance_uuid=instance_uuid)
    return _as_dict(row)


@api_engine.reader
def _get_by_instance_uuids(context, instance_uuids):
    rows = context.session.scalars(sa.select(RS).where(RS.instance_uuid.in_(instance_uuids)))
    return [_as_dict(row) for row in rows]


@api_engine.writer
def _create(context, values):
    row = RS(**values)
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.ObjectActionError(action='create',
                                          reason='request spec already exists')
    return _as_dict(row)


@api_engine.writer
def _save(context, instance_uuid, spec):
    row = context.session.scalars(sa.select(RS).where(RS.instance_uuid == instance_uuid)).first()
    if row is None:
        raise exception.RequestSpecNotFound(instance_uuid=instance_uuid)
    row.spec = spec
    context.session.flush()
    return _as_dict(row)


@api_engine.writer
def _destroy(context, instance_uuid):
    result = context.session.execute(sa.delete(RS).where(RS.instance_uuid == instance_uuid))
    if not result.rowcount:
        raise exception.RequestSpecNotFound(instance_uuid=instance_uuid)


@api_engine.writer
def _destroy_bulk(context, instance_uuids):
    result = context.session.execute(sa.delete(RS).where(RS.instance_uuid.in_(instance_uuids)))
    return result.rowcount


@base.NovaObjectRegistry.register
class RequestSpec(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'instance_uuid': fields.UUIDField(),
        'project_id': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
        'image': fields.ObjectField('ImageMeta', nullable=True),
        'flavor': fields.ObjectField('Flavor', nullable=False),
        'num_instances': fields.IntegerField(default=1),
        'availability_zone': fields.StringField(nullable=True),
        'ignore_hosts': fields.ListOfStringsField(nullable=True),
        'force_hosts': fields.ListOfStringsField(nullable=True),
        'force_nodes': fields.ListOfStringsField(nullable=True),
        'requested_destination': fields.ObjectField('Destination', nullable=True,
                                                    default=None),
        'retry': fields.ObjectField('SchedulerRetries', nullable=True),
        'limits': fields.ObjectField('SchedulerLimits', nullable=True),
        'instance_group': fields.ObjectField('InstanceGroup', nullable=True),
        'scheduler_hints': ovo_fields.DictOfListOfStringsField(nullable=True),
        'security_groups': fields.ObjectField('SecurityGroupList'),
        'network_metadata': fields.ObjectField('NetworkMetadata'),
        'is_bfv': fields.BooleanField(),
    }

    # Defaults a loaded or half-built spec gets for attributes nobody set.
    _LAZY_DEFAULTS = {
        'ignore_hosts': lambda: None,
        'force_hosts': lambda: None,
        'force_nodes': lambda: None,
        'requested_destination': lambda: None,
        'retry': lambda: None,
        'limits': lambda: None,
        'instance_group': lambda: None,
        'scheduler_hints': lambda: {},
        'availability_zone': lambda: None,
        'image': lambda: None,
        'num_instances': lambda: 1,
        'security_groups': lambda: objects.SecurityGroupList(objects=[]),
        'network_metadata': lambda: objects.NetworkMetadata(physnets=set(), tunneled=False),
        'is_bfv': lambda: False,
    }

    def obj_load_attr(self, attrname):
        if attrname not in self._LAZY_DEFAULTS:
            raise exception.ObjectActionError(
                action='obj_load_attr', reason='attribute %s not lazy-loadable' % attrname)
        setattr(self, attrname, self._LAZY_DEFAULTS[attrname]())
        self.obj_reset_changes([attrname])

    @property
    def vcpus(self):
        return self.flavor.vcpus

    @property
    def memory_mb(self):
        return self.flavor.memory_mb

    @property
    def root_gb(self):
        return self.flavor.root_gb

    @property
    def ephemeral_gb(self):
        return self.flavor.ephemeral_gb

    @property
    def swap(self):
        return self.flavor.swap

    def get_scheduler_hint(self, hint_name, default=None):
        """A hint's value: the single item of a one-item list, else the list."""
        hints = self.scheduler_hints or {}
        value = hints.get(hint_name)
        if value is None:
            return default
        return value[0] if len(value) == 1 else value

    def reset_forced_destinations(self):
        """Forget forced hosts/nodes (a move must not be pinned to the original ones)."""
        self.force_hosts = None
        self.force_nodes = None

    def ensure_project_and_user_id(self, instance):
        if 'project_id' not in self or self.project_id is None:
            self.project_id = instance.project_id
        if 'user_id' not in self or self.user_id is None:
            self.user_id = instance.user_id

    @classmethod
    def from_components(cls, context, instance_uuid, image, flavor, num_instances=1,
                        availability_zone=None, scheduler_hints=None, instance_group=None,
                        security_groups=None, project_id=None, user_id=None,
                        force_hosts=None, force_nodes=None, is_bfv=False):
        """A spec for a new build, from the pieces the compute API already holds."""
        spec = cls(context)
        spec.instance_uuid = instance_uuid
        spec.image = image
        spec.flavor = flavor
        spec.num_instances = num_instances
        spec.availability_zone = availability_zone
        spec.scheduler_hints = {k: (v if isinstance(v, list) else [v])
                                for k, v in (scheduler_hints or {}).items()}
        spec.instance_group = instance_group
        spec.security_groups = security_groups or objects.SecurityGroupList(objects=[])
        spec.project_id = project_id or context.project_id
        spec.user_id = user_id or context.user_id
        spec.force_hosts = force_hosts
        spec.force_nodes = force_nodes
        spec.ignore_hosts = None
        spec.retry = None
        spec.limits = None
        spec.requested_destination = None
        spec.is_bfv = bool(is_bfv)
        spec.network_metadata = objects.NetworkMetadata(physnets=set(), tunneled=False)
        return spec

    # --- persistence ---------------------------------------------------------

    def _spec_json(self):
        spec = self.obj_clone()
        for field in _NOT_PERSISTED:
            if spec.obj_attr_is_set(field):
                delattr(spec, base.get_attrname(field))
        if spec.obj_attr_is_set('instance_group') and spec.instance_group is not None:
            group = spec.instance_group
            # Members and hosts change all the time; they are re-read when needed.
            group.members = None
            group.hosts = None
        if spec.obj_attr_is_set('scheduler_hints') and spec.scheduler_hints:
            # Per-request hints that must not follow the server through moves.
            spec.scheduler_hints = {k: v for k, v in spec.scheduler_hints.items()
                                    if k not in ('_nova_check_type',)}
        spec.obj_reset_changes(recursive=True)
        return jsonutils.dumps(spec.obj_to_primitive())

    @staticmethod
    def _from_db_object(context, spec, db_spec):
        stored = RequestSpec.obj_from_primitive(jsonutils.loads(db_spec['spec']))
        for field in spec.fields:
            if field in ('id', 'instance_uuid'):
                continue
            if stored.obj_attr_is_set(field):
                setattr(spec, field, copy.deepcopy(getattr(stored, field)))
        spec.id = db_spec['id']
        spec.instance_uuid = db_spec['instance_uuid']
        spec._context = context
        if spec.obj_attr_is_set('instance_group') and spec.instance_group is not None:
            spec.instance_group._context = context
        spec.obj_reset_changes(recursive=True)
        return spec

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        return cls._from_db_object(context, cls(), _get_by_instance_uuid(context, instance_uuid))

    @classmethod
    def get_by_instance_uuids(cls, context, instance_uuids):
        """{instance uuid: spec} of those that have one, in one query (a page of servers)."""
        instance_uuids = list(instance_uuids)
        if not instance_uuids:
            return {}
        return {db_spec['instance_uuid']: cls._from_db_object(context, cls(), db_spec)
                for db_spec in _get_by_instance_uuids(context, instance_uuids)}

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        db_spec = _create(self._context, {'instance_uuid': self.instance_uuid,
                                          'spec': self._spec_json()})
        self.id = db_spec['id']
        self.obj_reset_changes(['id'])

    @base.remotable
    def save(self):
        _save(self._context, self.instance_uuid, self._spec_json())
        self.obj_reset_changes(recursive=True)

    @base.remotable
    def destroy(self):
        _destroy(self._context, self.instance_uuid)

    @classmethod
    def destroy_bulk(cls, context, instance_uuids):
        return _destroy_bulk(context, list(instance_uuids))


@base.NovaObjectRegistry.register
class Destination(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'host': fields.StringField(),
        'node': fields.StringField(nullable=True),
        'cell': fields.ObjectField('CellMapping', nullable=True),
        'aggregates': fields.ListOfStringsField(nullable=True, default=None),
        'forbidden_aggregates': ovo_fields.SetOfStringsField(nullable=True, default=None),
        'allow_cross_cell_move': fields.BooleanField(default=False),
    }

    def obj_load_attr(self, attrname):
        defaults = {'node': None, 'cell': None, 'aggregates': None,
                    'forbidden_aggregates': None, 'allow_cross_cell_move': False}
        if attrname not in defaults:
            raise exception.ObjectActionError(
                action='obj_load_attr', reason='attribute %s not lazy-loadable' % attrname)
        setattr(self, attrname, defaults[attrname])
        self.obj_reset_changes([attrname])

    def require_aggregates(self, aggregates):
        """Add a required set of aggregates (any one of them), as 'uuid1,uuid2'."""
        self.aggregates = list(self.aggregates or []) + [','.join(aggregates)]


@base.NovaObjectRegistry.register
class SchedulerRetries(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'num_attempts': fields.IntegerField(),
        'hosts': fields.ObjectField('ComputeNodeList'),
    }


@base.NovaObjectRegistry.register
class SchedulerLimits(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'vcpu': fields.IntegerField(nullable=True, default=None),
        'disk_gb': fields.IntegerField(nullable=True, default=None),
        'memory_mb': fields.IntegerField(nullable=True, default=None),
    }

    @classmethod
    def from_dict(cls, limits_dict):
        limits = cls(**{k: v for k, v in (limits_dict or {}).items() if k in cls.fields})
        limits.obj_set_defaults()
        return limits

    def to_dict(self):
        return {field: getattr(self, field) for field in self.fields
                if self.obj_attr_is_set(field) and getattr(self, field) is not None}


@base.NovaObjectRegistry.register
class NetworkMetadata(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'physnets': ovo_fields.SetOfStringsField(),
        'tunneled': fields.BooleanField(),
    }
