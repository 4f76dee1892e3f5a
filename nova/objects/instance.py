"""Instances (cell DB): a server, with the attributes that hang off its row.

Flavors (current, old and new during a resize) and keypairs are stored as
JSON in the instance_extra row; metadata, system metadata, the network info
cache, tags and security groups live in their own tables. Attributes not
named in ``expected_attrs`` are loaded lazily on first access.
"""

from oslo_log import log as logging
from oslo_serialization import jsonutils
from oslo_utils import timeutils

import nova.conf
from nova.db.main import api as db
from nova import exception
from nova import objects
from nova.objects import base
from nova.objects import fields

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Attributes outside the instances row, loaded only when asked for.
INSTANCE_OPTIONAL_ATTRS = ('metadata', 'system_metadata', 'info_cache', 'security_groups',
                           'fault', 'flavor', 'old_flavor', 'new_flavor', 'tags',
                           'keypairs', 'trusted_certs')
# What Instance.get_by_uuid and friends load unless told otherwise.
INSTANCE_DEFAULT_FIELDS = ('metadata', 'system_metadata', 'info_cache', 'security_groups')

_FLAVOR_SLOTS = {'flavor': 'cur', 'old_flavor': 'old', 'new_flavor': 'new'}

# Fields stored in the instances row itself.
_COLUMN_FIELDS = (
    'id', 'user_id', 'project_id', 'image_ref', 'kernel_id', 'ramdisk_id', 'hostname',
    'launch_index', 'key_name', 'key_data', 'power_state', 'vm_state', 'task_state',
    'memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'ephemeral_key_uuid', 'host', 'node',
    'compute_id', 'instance_type_id', 'user_data', 'reservation_id', 'launched_at',
    'terminated_at', 'availability_zone', 'display_name', 'display_description',
    'launched_on', 'locked', 'locked_by', 'os_type', 'architecture', 'vm_mode', 'uuid',
    'root_device_name', 'default_ephemeral_device', 'default_swap_device', 'config_drive',
    'access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'progress', 'shutdown_terminate',
    'disable_terminate', 'cell_name', 'cleaned', 'hidden',
    'created_at', 'updated_at', 'deleted_at',
)
# Called as hook(context, instance, old) after a save that changed one of
# _NOTIFIED_FIELDS, ``old`` holding their previous values. The notification
# layer installs its instance.update sender here (nova.notifications.base),
# so this module never imports it.
STATE_CHANGE_HOOKS = []
_NOTIFIED_FIELDS = ('vm_state', 'task_state', 'display_name')

_BOOLEAN_DEFAULTS = ('locked', 'auto_disk_config', 'shutdown_terminate',
                     'disable_terminate', 'cleaned', 'hidden')


def _expected_cols(expected_attrs):
    """DB join names for the optional attributes in ``expected_attrs``."""
    if not expected_attrs:
        return []
    columns = []
    for attr in expected_attrs:
        if attr in ('metadata', 'system_metadata', 'info_cache', 'security_groups', 'tags'):
            columns.append(attr)
        elif attr in _FLAVOR_SLOTS:
            columns.append('extra.flavor')
        elif attr == 'keypairs':
            columns.append('extra.keypairs')
        elif attr == 'trusted_certs':
            columns.append('extra.trusted_certs')
    return sorted(set(columns))


def _flavor_from_primitive(primitive):
    if primitive is None:
        return None
    flavor = objects.Flavor.obj_from_primitive(primitive)
    flavor.obj_reset_changes()
    return flavor


@base.NovaObjectRegistry.register
class Instance(base.NovaPersistentObject, base.NovaObject, base.NovaObjectDictCompat):
    # Version 1.0: initial version
    # Version 1.1: trusted_certs
    VERSION = '1.1'

    fields = {
        'id': fields.IntegerField(),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'image_ref': fields.StringField(nullable=True),
        'kernel_id': fields.StringField(nullable=True),
        'ramdisk_id': fields.StringField(nullable=True),
        'hostname': fields.StringField(nullable=True),
        'launch_index': fields.IntegerField(nullable=True),
        'key_name': fields.StringField(nullable=True),
        'key_data': fields.StringField(nullable=True),
        'power_state': fields.IntegerField(nullable=True),
        'vm_state': fields.StringField(nullable=True),
        'task_state': fields.StringField(nullable=True),
        'memory_mb': fields.IntegerField(nullable=True),
        'vcpus': fields.IntegerField(nullable=True),
        'root_gb': fields.IntegerField(nullable=True),
        'ephemeral_gb': fields.IntegerField(nullable=True),
        'ephemeral_key_uuid': fields.UUIDField(nullable=True),
        'host': fields.StringField(nullable=True),
        'node': fields.StringField(nullable=True),
        'compute_id': fields.IntegerField(nullable=True),
        'instance_type_id': fields.IntegerField(nullable=True),
        'user_data': fields.StringField(nullable=True),
        'reservation_id': fields.StringField(nullable=True),
        'launched_at': fields.DateTimeField(nullable=True),
        'terminated_at': fields.DateTimeField(nullable=True),
        'availability_zone': fields.StringField(nullable=True),
        'display_name': fields.StringField(nullable=True),
        'display_description': fields.StringField(nullable=True),
        'launched_on': fields.StringField(nullable=True),
        'locked': fields.BooleanField(default=False),
        'locked_by': fields.StringField(nullable=True),
        'os_type': fields.StringField(nullable=True),
        'architecture': fields.StringField(nullable=True),
        'vm_mode': fields.StringField(nullable=True),
        'uuid': fields.UUIDField(),
        'root_device_name': fields.StringField(nullable=True),
        'default_ephemeral_device': fields.StringField(nullable=True),
        'default_swap_device': fields.StringField(nullable=True),
        'config_drive': fields.StringField(nullable=True),
        'access_ip_v4': fields.IPV4AddressField(nullable=True),
        'access_ip_v6': fields.IPV6AddressField(nullable=True),
        'auto_disk_config': fields.BooleanField(default=False),
        'progress': fields.IntegerField(nullable=True),
        'shutdown_terminate': fields.BooleanField(default=False),
        'disable_terminate': fields.BooleanField(default=False),
        'cell_name': fields.StringField(nullable=True),
        'metadata': fields.DictOfStringsField(),
        'system_metadata': fields.DictOfNullableStringsField(),
        'info_cache': fields.ObjectField('InstanceInfoCache', nullable=True),
        'security_groups': fields.ObjectField('SecurityGroupList'),
        'fault': fields.ObjectField('InstanceFault', nullable=True),
        'cleaned': fields.BooleanField(default=False),
        'tags': fields.ObjectField('TagList'),
        'flavor': fields.ObjectField('Flavor'),
        'old_flavor': fields.ObjectField('Flavor', nullable=True),
        'new_flavor': fields.ObjectField('Flavor', nullable=True),
        'keypairs': fields.ObjectField('KeyPairList'),
        'hidden': fields.BooleanField(default=False),
        'trusted_certs': fields.ObjectField('TrustedCerts', nullable=True),
    }

    obj_extra_fields = ['name']

    # An Instance older than 1.1 has no trusted_certs: the backport drops it.
    obj_relationships = {'trusted_certs': [('1.1', '1.0')]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._reset_metadata_tracking()

    # --- change tracking of the metadata dicts (mutated in place by callers) ---

    def _reset_metadata_tracking(self, fields=None):
        if fields is None or 'metadata' in fields:
            self._orig_metadata = (dict(self.metadata) if self.obj_attr_is_set('metadata')
                                   else {})
        if fields is None or 'system_metadata' in fields:
            self._orig_system_metadata = (dict(self.system_metadata)
                                          if self.obj_attr_is_set('system_metadata') else {})

    def obj_reset_changes(self, fields=None, recursive=False):
        super().obj_reset_changes(fields, recursive=recursive)
        self._reset_metadata_tracking(fields=fields)

    def obj_what_changed(self):
        changes = super().obj_what_changed()
        if self.obj_attr_is_set('metadata') and self.metadata != self._orig_metadata:
            changes.add('metadata')
        if self.obj_attr_is_set('system_metadata') and \
                self.system_metadata != self._orig_system_metadata:
            changes.add('system_metadata')
        return changes

    @classmethod
    def _obj_from_primitive(cls, context, objver, primitive):
        instance = super()._obj_from_primitive(context, objver, primitive)
        changes = instance.obj_what_changed()
        unchanged = [f for f in ('metadata', 'system_metadata') if f not in changes]
        if unchanged:
            instance._reset_metadata_tracking(fields=unchanged)
        return instance

    # --- naming -------------------------------------------------------------------

    @property
    def name(self):
        """The guest's hypervisor-side name, from ``instance_name_template``."""
        template = CONF.instance_name_template
        try:
            if not self.obj_attr_is_set('id'):
                # Not in a cell database yet (a build request): no id to format.
                raise TypeError('no id')
            return template % self.id
        except TypeError:
            info = {}
            for key in self.fields:
                if key == 'name' or not self.obj_attr_is_set(key):
                    continue
                info[key] = getattr(self, key)
            try:
                return template % info
            except (KeyError, TypeError):
                return self.uuid

    # --- loading ------------------------------------------------------------------

    @staticmethod
    def _from_db_object(context, instance, db_inst, expected_attrs=None, flavor_cache=None):
        """Fill ``instance`` from a DB dict, with the optional attrs it carries.

        ``flavor_cache`` (a dict shared while loading one list) lets instances
        stored with the same flavor share one Flavor object instead of each
        decoding its own copy.
        """
        expected_attrs = expected_attrs or []
        instance._context = context
        for key in _COLUMN_FIELDS:
            value = db_inst[key]
            if key in _BOOLEAN_DEFAULTS:
                value = bool(value)
            elif key in ('access_ip_v4', 'access_ip_v6') and value is not None:
                value = str(value)
            setattr(instance, key, value)
        instance.deleted = bool(db_inst['deleted']) and db_inst['deleted'] == db_inst['id']
        if 'metadata' in expected_attrs and 'metadata' in db_inst:
            instance.metadata = dict(db_inst['metadata'])
        if 'system_metadata' in expected_attrs and 'system_metadata' in db_inst:
            instance.system_metadata = dict(db_inst['system_metadata'])
        if 'fault' in expected_attrs:
            if 'fault' in db_inst:
                db_fault = db_inst['fault']
                instance.fault = (objects.InstanceFault._from_db_object(
                    context, objects.InstanceFault(), db_fault) if db_fault else None)
            else:
                instance.fault = objects.InstanceFault.get_latest_for_instance(
                    context, instance.uuid)
        if 'info_cache' in expected_attrs and 'info_cache' in db_inst:
            db_cache = db_inst['info_cache']
            if db_cache is None:
                instance.info_cache = None
            else:
                instance.info_cache = objects.InstanceInfoCache._from_db_object(
                    context, objects.InstanceInfoCache(context), db_cache)
        if 'security_groups' in expected_attrs and 'security_groups' in db_inst:
            groups = objects.SecurityGroupList(context, objects=[
                objects.SecurityGroup._from_db_object(context, objects.SecurityGroup(), g)
                for g in db_inst['security_groups']])
            groups.obj_reset_changes()
            instance.security_groups = groups
        if 'tags' in expected_attrs and 'tags' in db_inst:
            instance.tags = objects.TagList.from_names(context, instance.uuid, db_inst['tags'])
        extra = db_inst.get('extra')
        if extra is not None or 'extra' in db_inst:
            extra = extra or {}
            if any(a in expected_attrs for a in _FLAVOR_SLOTS) and 'flavor' in extra:
                instance._flavor_from_db(extra['flavor'], flavor_cache)
            if 'keypairs' in expected_attrs and 'keypairs' in extra:
                instance._keypairs_from_db(extra['keypairs'])
            if 'trusted_certs' in expected_attrs and 'trusted_certs' in extra:
                instance._trusted_certs_from_db(extra['trusted_certs'])
        instance.obj_reset_changes()
        return instance

    def _flavor_from_db(self, db_flavor, flavor_cache=None):
        decoded = flavor_cache.get(db_flavor) if flavor_cache is not None else None
        if decoded is None:
            blob = jsonutils.loads(db_flavor) if db_flavor else {}
            decoded = {slot: _flavor_from_primitive(blob.get(slot))
                       for slot in _FLAVOR_SLOTS.values()}
            if flavor_cache is not None:
                flavor_cache[db_flavor] = decoded
        for field, slot in _FLAVOR_SLOTS.items():
            flavor = decoded[slot]
            if field == 'flavor' and flavor is None:
                # Never given one (a broken record): leave it unset, not None.
                continue
            setattr(self, field, flavor)
        self.obj_reset_changes(list(_FLAVOR_SLOTS))

    def _keypairs_from_db(self, db_keypairs):
        if db_keypairs:
            keypairs = objects.KeyPairList.obj_from_primitive(jsonutils.loads(db_keypairs))
        else:
            keypairs = objects.KeyPairList(objects=[])
        keypairs._context = self._context
        keypairs.obj_reset_changes(recursive=True)
        self.keypairs = keypairs
        self.obj_reset_changes(['keypairs'])

    def _trusted_certs_from_db(self, db_certs):
        certs = None
        if db_certs:
            certs = objects.TrustedCerts.obj_from_primitive(jsonutils.loads(db_certs))
            certs.obj_reset_changes()
        self.trusted_certs = certs
        self.obj_reset_changes(['trusted_certs'])

    def _trusted_certs_json(self):
        certs = self.trusted_certs
        return jsonutils.dumps(certs.obj_to_primitive()) if certs is not None else None

    def _flavor_json(self):
        blob = {}
        for field, slot in _FLAVOR_SLOTS.items():
            flavor = getattr(self, field) if self.obj_attr_is_set(field) else None
            blob[slot] = flavor.obj_to_primitive() if flavor is not None else None
        return jsonutils.dumps(blob)

    def _keypairs_json(self):
        return jsonutils.dumps(self.keypairs.obj_to_primitive())

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, uuid, expected_attrs=None, use_slave=False):
        expected_attrs = (list(INSTANCE_DEFAULT_FIELDS) if expected_attrs is None
                          else list(expected_attrs))
        db_inst = db.instance_get_by_uuid(context, uuid,
                                          columns_to_join=_expected_cols(expected_attrs))
        return cls._from_db_object(context, cls(), db_inst, expected_attrs)

    @classmethod
    @base.remotable
    def get_by_id(cls, context, inst_id, expected_attrs=None):
        expected_attrs = (list(INSTANCE_DEFAULT_FIELDS) if expected_attrs is None
                          else list(expected_attrs))
        db_inst = db.instance_get(context, inst_id,
                                  columns_to_join=_expected_cols(expected_attrs))
        return cls._from_db_object(context, cls(), db_inst, expected_attrs)

    def obj_load_attr(self, attrname):
        if attrname not in self.fields:
            raise exception.ObjectActionError(action='obj_load_attr',
                                              reason='unknown attribute %s' % attrname)
        if not self._context:
            raise exception.OrphanedObjectError(method='obj_load_attr',
                                                objtype=self.obj_name())
        if 'uuid' not in self:
            raise exception.ObjectActionError(action='obj_load_attr',
                                              reason='cannot load %s without a uuid' % attrname)
        LOG.debug('Lazy-loading %(attr)s on Instance %(uuid)s',
                  {'attr': attrname, 'uuid': self.uuid})
        with self.obj_alternate_context(self._context.elevated(read_deleted='yes')):
            self._load_attr(attrname)

    def _load_attr(self, attrname):
        if attrname == 'fault':
            self.fault = objects.InstanceFault.get_latest_for_instance(self._context, self.uuid)
        elif attrname == 'tags':
            if self.obj_attr_is_set('deleted') and self.deleted:
                self.tags = objects.TagList(self._context, objects=[])
            else:
                self.tags = objects.TagList.get_by_resource_id(self._context, self.uuid)
        elif attrname in _FLAVOR_SLOTS:
            extra = db.instance_extra_get_by_instance_uuid(self._context, self.uuid,
                                                           columns=['flavor'])
            self._flavor_from_db((extra or {}).get('flavor'))
            if not self.obj_attr_is_set(attrname):
                raise exception.ObjectActionError(action='obj_load_attr',
                                                  reason='instance has no flavor')
        elif attrname == 'keypairs':
            extra = db.instance_extra_get_by_instance_uuid(self._context, self.uuid,
                                                           columns=['keypairs'])
            self._keypairs_from_db((extra or {}).get('keypairs'))
        elif attrname == 'trusted_certs':
            extra = db.instance_extra_get_by_instance_uuid(self._context, self.uuid,
                                                           columns=['trusted_certs'])
            self._trusted_certs_from_db((extra or {}).get('trusted_certs'))
        else:
            # Everything else comes from (or with) the instances row.
            fresh = self.__class__.get_by_uuid(self._context, self.uuid,
                                               expected_attrs=[attrname]
                                               if attrname in INSTANCE_OPTIONAL_ATTRS else [])
            value = getattr(fresh, attrname) if fresh.obj_attr_is_set(attrname) else None
            if value is None and attrname == 'security_groups':
                value = objects.SecurityGroupList(objects=[])
            setattr(self, attrname, value)
        self.obj_reset_changes([attrname])

    # --- writing ------------------------------------------------------------------

    def _column_updates(self, changes):
        updates = {}
        for key in changes:
            if key in _COLUMN_FIELDS or key in ('deleted',):
                value = getattr(self, key)
                if key in ('access_ip_v4', 'access_ip_v6') and value is not None:
                    value = str(value)
                if key == 'cleaned':
                    value = int(bool(value))
                updates[key] = value
        updates.pop('id', None)
        updates.pop('deleted', None)
        for key in ('created_at', 'updated_at', 'deleted_at', 'launched_at', 'terminated_at'):
            if updates.get(key) is not None:
                updates[key] = timeutils.normalize_time(updates[key])
        return updates

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if self.obj_attr_is_set('deleted') and self.deleted:
            raise exception.ObjectActionError(action='create', reason='already deleted')
        changes = self.obj_what_changed()
        values = self._column_updates(changes)
        for key in _BOOLEAN_DEFAULTS:
            if key not in values:
                values[key] = int(False) if key == 'cleaned' else False
        expected_attrs = [a for a in INSTANCE_DEFAULT_FIELDS if a in changes or a in
                          ('metadata', 'system_metadata', 'info_cache')]
        if 'metadata' in changes:
            values['metadata'] = dict(self.metadata)
        if 'system_metadata' in changes:
            values['system_metadata'] = dict(self.system_metadata)
        if self.obj_attr_is_set('info_cache') and self.info_cache is not None:
            network_info = self.info_cache.network_info
            values['info_cache'] = {'network_info': (
                None if network_info is None else
                network_info.json() if hasattr(network_info, 'json')
                else jsonutils.dumps(network_info))}
        extra = {}
        if any(self.obj_attr_is_set(f) for f in _FLAVOR_SLOTS):
            extra['flavor'] = self._flavor_json()
        if self.obj_attr_is_set('keypairs'):
            extra['keypairs'] = self._keypairs_json()
        if self.obj_attr_is_set('trusted_certs'):
            extra['trusted_certs'] = self._trusted_certs_json()
        values['extra'] = extra
        if self.obj_attr_is_set('tags'):
            values['tags'] = [t.tag for t in self.tags]
        db_inst = db.instance_create(self._context, values)
        kept = {f: getattr(self, f) for f in ('flavor', 'old_flavor', 'new_flavor', 'keypairs',
                                              'security_groups', 'tags', 'trusted_certs')
                if self.obj_attr_is_set(f)}
        self._from_db_object(self._context, self, db_inst, expected_attrs)
        for field, value in kept.items():
            if field == 'tags':
                value = objects.TagList.from_names(self._context, self.uuid,
                                                   [t.tag for t in value])
            setattr(self, field, value)
        self.obj_reset_changes(recursive=True)

    @base.remotable
    def destroy(self, hard_delete=False):
        if not self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='destroy', reason='already destroyed')
        if not self.obj_attr_is_set('uuid'):
            raise exception.ObjectActionError(action='destroy', reason='no uuid')
        constraint = None
        if self.obj_attr_is_set('host') and self.host:
            # Someone else (an evacuation) may own the instance by now.
            constraint = {'host': [self.host]}
        try:
            db_inst = db.instance_destroy(self._context, self.uuid, constraint=constraint,
                                          hard_delete=hard_delete)
        except exception.ConstraintNotMet:
            raise exception.ObjectActionError(action='destroy', reason='host changed')
        self._from_db_object(self._context, self, db_inst)

    @base.remotable
    def save(self, expected_vm_state=None, expected_task_state=None, admin_state_reset=False):
        """Write changed fields; with ``expected_*_state`` only if the row still has them."""
        changes = self.obj_what_changed()
        updates = self._column_updates(changes)
        for field in ('metadata', 'system_metadata'):
            if field in changes:
                updates[field] = dict(getattr(self, field))
        expected = {}
        if expected_task_state is not None:
            expected['task_state'] = expected_task_state
        if expected_vm_state is not None:
            expected['vm_state'] = expected_vm_state
        if 'info_cache' in changes and self.info_cache is not None:
            self.info_cache.save()
        extra = {}
        if any(f in changes for f in _FLAVOR_SLOTS):
            extra['flavor'] = self._flavor_json()
        if 'keypairs' in changes:
            extra['keypairs'] = self._keypairs_json()
        if 'trusted_certs' in changes:
            extra['trusted_certs'] = self._trusted_certs_json()
        if extra:
            db.instance_extra_update_by_uuid(self._context, self.uuid, extra)
        if updates or expected:
            old, db_inst = db.instance_update_and_get_original(
                self._context, self.uuid, updates, expected=expected)
            loaded = [a for a in ('metadata', 'system_metadata') if self.obj_attr_is_set(a)]
            self._from_db_object(self._context, self, db_inst, expected_attrs=loaded)
            if STATE_CHANGE_HOOKS and any(f in updates for f in _NOTIFIED_FIELDS):
                self._run_state_change_hooks({f: old[f] for f in _NOTIFIED_FIELDS})
        self.obj_reset_changes(recursive=True)

    def _run_state_change_hooks(self, old):
        for hook in STATE_CHANGE_HOOKS:
            try:
                hook(self._context, self, old)
            except Exception:
                LOG.exception('State change hook %s failed for %s', hook, self.uuid)

    @base.remotable
    def refresh(self, use_slave=False):
        loaded = [a for a in INSTANCE_OPTIONAL_ATTRS if self.obj_attr_is_set(a)]
        current = self.__class__.get_by_uuid(self._context, self.uuid, expected_attrs=loaded)
        for field in self.fields:
            if not current.obj_attr_is_set(field):
                continue
            value = getattr(current, field)
            if field == 'info_cache' and self.obj_attr_is_set('info_cache') and \
                    self.info_cache is not None:
                self.info_cache.refresh()
                continue
            if not self.obj_attr_is_set(field) or getattr(self, field) != value:
                setattr(self, field, value)
        self.obj_reset_changes()

    # --- helpers callers use ---------------------------------------------------

    def get_flavor(self, namespace=None):
        """The current flavor, or the old/new one during a resize ('old'/'new')."""
        return getattr(self, '%s_flavor' % namespace if namespace else 'flavor')

    def set_flavor(self, flavor, namespace=None):
        setattr(self, '%s_flavor' % namespace if namespace else 'flavor', flavor)
        self.save()

    def delete_flavor(self, namespace):
        setattr(self, '%s_flavor' % namespace, None)
        self.save()

    def delete_metadata_key(self, key):
        """Drop one user metadata key, saving immediately."""
        metadata = dict(self.metadata)
        metadata.pop(key, None)
        self.metadata = metadata
        self.save()

    def get_network_info(self):
        if self.info_cache is None or self.info_cache.network_info is None:
            return []
        return self.info_cache.network_info


def _fill_faults(context, instances):
    uuids = [inst.uuid for inst in instances]
    faults = db.instance_fault_get_by_instance_uuids(context, uuids, latest=True)
    for inst in instances:
        db_fault = faults.get(inst.uuid)
        inst.fault = (objects.InstanceFault._from_db_object(
            context, objects.InstanceFault(), db_fault[0]) if db_fault else None)
        inst.obj_reset_changes(['fault'])


def _make_instance_list(context, inst_list, db_inst_list, expected_attrs):
    expected_attrs = list(expected_attrs or [])
    without_fault = [a for a in expected_attrs if a != 'fault']
    flavor_cache = {}
    inst_list.objects = [Instance._from_db_object(context, Instance(), db_inst, without_fault,
                                                  flavor_cache=flavor_cache)
                         for db_inst in db_inst_list]
    if 'fault' in expected_attrs:
        _fill_faults(context, inst_list.objects)
    inst_list._context = context
    inst_list.obj_reset_changes()
    return inst_list


@base.NovaObjectRegistry.register
class InstanceList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    # Version 1.1: get_active_by_window_joined
    VERSION = '1.1'

    fields = {
        'objects': fields.ListOfObjectsField('Instance'),
    }

    @classmethod
    @base.remotable
    def get_by_filters(cls, context, filters, sort_key='created_at', sort_dir='desc',
                       limit=None, marker=None, expected_attrs=None, use_slave=False,
                       sort_keys=None, sort_dirs=None):
        if sort_keys is None and sort_dirs is None:
            sort_keys, sort_dirs = [sort_key], [sort_dir]
        db_insts = db.instance_get_all_by_filters_sort(
            context, filters, limit=limit, marker=marker,
            columns_to_join=_expected_cols(expected_attrs),
            sort_keys=sort_keys, sort_dirs=sort_dirs)
        return _make_instance_list(context, cls(), db_insts, expected_attrs)

    @classmethod
    def get_after_marker_values(cls, context, filters, marker_values, ids_follow_marker,
                                limit=None, expected_attrs=None, sort_keys=None,
                                sort_dirs=None):
        """As get_by_filters, after a marker of another cell (API side only: the
        listing across cells; see ``instance_get_all_by_filters_sort``)."""
        db_insts = db.instance_get_all_by_filters_sort(
            context, filters, limit=limit, columns_to_join=_expected_cols(expected_attrs),
            sort_keys=sort_keys, sort_dirs=sort_dirs, marker_values=marker_values,
            ids_follow_marker=ids_follow_marker)
        return _make_instance_list(context, cls(), db_insts, expected_attrs)

    @classmethod
    @base.remotable
    def get_by_host(cls, context, host, expected_attrs=None, use_slave=False):
        db_insts = db.instance_get_all_by_host(context, host,
                                               columns_to_join=_expected_cols(expected_attrs))
        return _make_instance_list(context, cls(), db_insts, expected_attrs)

    @classmethod
    @base.remotable
    def get_by_host_and_node(cls, context, host, node, expected_attrs=None):
        db_insts = db.instance_get_all_by_filters_sort(
            context, {'host': host, 'node': node, 'deleted': False, 'soft_deleted': True},
            columns_to_join=_expected_cols(expected_attrs), sort_keys=['id'],
            sort_dirs=['asc'])
        return _make_instance_list(context, cls(), db_insts, expected_attrs)

    @classmethod
    @base.remotable
    def get_active_by_window_joined(cls, context, begin, end=None, project_id=None,
                                    host=None, expected_attrs=None, use_slave=False):
        """Instances (deleted ones too) that ran at some time in [begin, end)."""
        db_insts = db.instance_get_active_by_window_joined(
            context, base.datetime_arg(begin), base.datetime_arg(end),
            project_id=project_id, host=host,
            columns_to_join=_expected_cols(expected_attrs))
        return _make_instance_list(context, cls(), db_insts, expected_attrs)

    @classmethod
    @base.remotable
    def get_uuids_by_host(cls, context, host):
        return [inst['uuid'] for inst in db.instance_get_all_by_host(context, host)]

    @classmethod
    def get_by_uuids(cls, context, uuids, expected_attrs=None):
        return cls.get_by_filters(context, {'uuid': list(uuids)},
                                  expected_attrs=expected_attrs)

    @base.remotable
    def fill_faults(self):
        """Set each instance's latest fault; returns the uuids that have one."""
        _fill_faults(self._context, self.objects)
        return [inst.uuid for inst in self.objects if inst.fault is not None]

    @classmethod
    @base.remotable
    def get_counts(cls, context, project_id, user_id=None):
        """Instances, cores and RAM used by a project (and user) in this cell."""
        return db.instance_usage_counts(context, project_id, user_id=user_id)
