"""Service records: one per (host, binary), heartbeated while the daemon runs."""

from oslo_log import log as logging

from nova.db.main import api as db
from nova import exception
from nova import objects
from nova.objects import base
from nova.objects import fields

LOG = logging.getLogger(__name__)

# Our service version; bump when a service learns something others must wait
# for (a new RPC method, a new object field). Each entry records the RPC API
# versions a service at that level speaks, so '[upgrade_levels] compute = auto'
# can pin clients to what the oldest compute understands.
SERVICE_VERSION = 14
SERVICE_VERSION_HISTORY = (
    # 0: reserved for records written by services that do not report a version
    {'compute_rpc': '6.0'},
    # 1: first release of this project
    {'compute_rpc': '6.0'},
    # 2: compute RPC 6.2, external_instance_event
    {'compute_rpc': '6.2'},
    # 3: compute RPC 6.3, get_host_uptime
    {'compute_rpc': '6.3'},
    # 4: compute RPC 6.1, server actions (reboot, stop/start, pause, suspend, snapshot,
    #    backup, console output, crash dump, soft delete/restore); 6.1 was reserved
    #    for them and landed after 6.2 and 6.3
    {'compute_rpc': '6.3'},
    # 5: compute RPC 6.4, remote consoles (get_vnc/spice/serial_console)
    {'compute_rpc': '6.4'},
    # 6: compute RPC 6.5, server diagnostics (get_diagnostics, get_instance_diagnostics)
    #    and inject_network_info
    {'compute_rpc': '6.5'},
    # 7: compute RPC 6.6, os-hosts requests (set_host_enabled, host_maintenance_mode,
    #    host_power_action)
    {'compute_rpc': '6.6'},
    # 8: compute RPC 6.7, resize and cold migration (prep_resize, resize_instance,
    #    finish_resize, confirm_resize, revert_resize, finish_revert_resize)
    {'compute_rpc': '6.7'},
    # 9: compute RPC 6.8, volumes (attach_volume, detach_volume)
    {'compute_rpc': '6.8'},
    # 10: compute RPC 6.9, rebuild, rescue/unrescue, shelve/shelve offload/unshelve
    {'compute_rpc': '6.9'},
    # 11: compute RPC 6.10, evacuate_instance
    {'compute_rpc': '6.10'},
    # 12: compute RPC 6.11, live migration (check_can_live_migrate_destination/source,
    #     pre_live_migration, live_migration, post_live_migration_at_destination,
    #     rollback_live_migration_at_destination, live_migration_force_complete/abort)
    {'compute_rpc': '6.11'},
    # 13: compute RPC 6.12, attach_interface, detach_interface
    {'compute_rpc': '6.12'},
    # 14: compute RPC 6.13, swap_volume
    {'compute_rpc': '6.13'},
)


@base.NovaObjectRegistry.register
class Service(base.NovaPersistentObject, base.NovaObject, base.NovaObjectDictCompat):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(read_only=True),
        'uuid': fields.UUIDField(),
        'host': fields.StringField(nullable=True),
        'binary': fields.StringField(nullable=True),
        'topic': fields.StringField(nullable=True),
        'report_count': fields.IntegerField(),
        'disabled': fields.BooleanField(),
        'disabled_reason': fields.StringField(nullable=True),
        'availability_zone': fields.StringField(nullable=True),
        'last_seen_up': fields.DateTimeField(nullable=True),
        'forced_down': fields.BooleanField(),
        'version': fields.IntegerField(),
    }
    obj_extra_fields = []

    _COLUMNS = ('id', 'uuid', 'host', 'binary', 'topic', 'report_count', 'disabled',
                'disabled_reason', 'last_seen_up', 'forced_down', 'version',
                'created_at', 'updated_at', 'deleted_at', 'deleted')

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj_set_defaults('report_count', 'disabled', 'forced_down')
        if 'version' not in self:
            self.version = SERVICE_VERSION

    def obj_set_defaults(self, *attrs):
        defaults = {'report_count': 0, 'disabled': False, 'forced_down': False}
        for attr in attrs or defaults:
            if attr in defaults and not self.obj_attr_is_set(attr):
                setattr(self, attr, defaults[attr])
                self.obj_reset_changes([attr])

    @staticmethod
    def _from_db_object(context, service, db_service):
        for key in Service._COLUMNS:
            value = getattr(db_service, key) if not isinstance(db_service, dict) \
                else db_service[key]
            if key == 'deleted':
                value = bool(value)
            setattr(service, key, value)
        service._context = context
        service.obj_reset_changes()
        return service

    def obj_load_attr(self, attrname):
        if attrname == 'availability_zone':
            # Filled in by the API from aggregates; internal services have none.
            self.availability_zone = None
            self.obj_reset_changes(['availability_zone'])
            return
        if attrname == 'uuid':
            # Records created before uuids existed get one lazily.
            from oslo_utils import uuidutils
            self.uuid = uuidutils.generate_uuid()
            self.save()
            return
        raise exception.ObjectActionError(action='obj_load_attr',
                                          reason='attribute %s not lazy-loadable' % attrname)

    @classmethod

    @base.remotable
    def get_by_id(cls, context, service_id):
        return cls._from_db_object(context, cls(), db.service_get(context, service_id))

    @classmethod

    @base.remotable
    def get_by_uuid(cls, context, service_uuid):
        return cls._from_db_object(context, cls(), db.service_get_by_uuid(context, service_uuid))

    @classmethod

    @base.remotable
    def get_by_host_and_topic(cls, context, host, topic):
        db_service = db.service_get_by_host_and_topic(context, host, topic)
        return cls._from_db_object(context, cls(), db_service)

    @classmethod

    @base.remotable
    def get_by_host_and_binary(cls, context, host, binary):
        try:
            db_service = db.service_get_by_host_and_binary(context, host, binary)
        except exception.HostBinaryNotFound:
            return None
        return cls._from_db_object(context, cls(), db_service)

    @staticmethod
    def _binary_for(topic, binary):
        return binary or ('nova-%s' % topic if topic else None)

    @classmethod
    def get_by_args(cls, context, host, binary):
        db_service = db.service_get_by_host_and_binary(context, host, binary)
        return cls._from_db_object(context, cls(), db_service)

    @classmethod
    def get_by_compute_host(cls, context, host):
        return cls.get_by_args(context, host, 'nova-compute')

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        updates = self.obj_get_changes()
        updates.pop('availability_zone', None)
        if 'uuid' not in updates:
            from oslo_utils import uuidutils
            updates['uuid'] = uuidutils.generate_uuid()
            self.uuid = updates['uuid']
        db_service = db.service_create(self._context, updates)
        self._from_db_object(self._context, self, db_service)

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        updates.pop('availability_zone', None)
        if not updates:
            return
        db_service = db.service_update(self._context, self.id, updates)
        self._from_db_object(self._context, self, db_service)

    @base.remotable
    def destroy(self):
        db.service_destroy(self._context, self.id)
        self.deleted = True
        self.obj_reset_changes(['deleted'])

    @classmethod

    @base.remotable
    def get_minimum_version_multi(cls, context, binaries, use_slave=False):
        if not binaries:
            raise exception.ObjectActionError(action='get_minimum_version',
                                              reason='binaries must not be empty')
        return db.service_get_minimum_version(context, binaries) or 0

    @classmethod
    def get_minimum_version(cls, context, binary, use_slave=False):
        return cls.get_minimum_version_multi(context, [binary], use_slave=use_slave)


@base.NovaObjectRegistry.register
class ServiceList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Service'),
    }

    @classmethod

    @base.remotable
    def get_by_topic(cls, context, topic, include_disabled=True):
        db_services = db.service_get_all_by_topic(context, topic)
        if not include_disabled:
            db_services = [s for s in db_services if not s.disabled]
        return base.obj_make_list(context, cls(context), objects.Service, db_services)

    @classmethod

    @base.remotable
    def get_by_binary(cls, context, binary, include_disabled=False):
        db_services = db.service_get_all_by_binary(context, binary,
                                                   include_disabled=include_disabled)
        return base.obj_make_list(context, cls(context), objects.Service, db_services)

    @staticmethod
    def get_liveness_by_binary(context, binary):
        """[ServiceLiveness] of every service of ``binary``, disabled ones too.

        Plain (not remotable), for the scheduler: a thousand computes' records
        read as full objects cost it more than all its filters and weighers.
        """
        return [ServiceLiveness(row) for row in db.service_liveness_by_binary(context, binary)]

    @classmethod

    @base.remotable
    def get_by_host(cls, context, host):
        db_services = db.service_get_all_by_host(context, host)
        return base.obj_make_list(context, cls(context), objects.Service, db_services)

    @classmethod

    @base.remotable
    def get_all(cls, context, disabled=None, set_zones=False):
        db_services = db.service_get_all(context, disabled=disabled)
        return base.obj_make_list(context, cls(context), objects.Service, db_services)

    @classmethod
    def get_by_compute_hosts(cls, context, hosts):
        """{host: nova-compute service} for ``hosts`` in one query (API side only:
        a page of servers shows each one's host status)."""
        db_services = db.service_get_all_by_binary_and_hosts(context, 'nova-compute',
                                                            list(hosts))
        found = {}
        for db_service in db_services:
            found.setdefault(db_service.host,
                             objects.Service._from_db_object(context, objects.Service(),
                                                             db_service))
        return found

    @classmethod
    def get_all_computes_by_hv_type(cls, context, hv_type):
        return cls.get_by_binary(context, 'nova-compute', include_disabled=True)


def get_minimum_version_all_cells(context, binaries):
    """Lowest service version across every cell (for API-level decisions)."""
    from nova import context as nova_context
    minimum = None
    for cell in objects.CellMappingList.get_all(context):
        if cell.is_cell0():
            continue
        with nova_context.target_cell(context, cell) as cctxt:
            version = Service.get_minimum_version_multi(cctxt, binaries)
        if version and (minimum is None or version < minimum):
            minimum = version
    return minimum or 0


class ServiceLiveness(dict):
    """The columns that say whether a service can take work (id, host, disabled,
    disabled_reason, forced_down, last_seen_up, updated_at, created_at), read-only:
    by key as the servicegroup API reads a service, by attribute as filters do."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)
