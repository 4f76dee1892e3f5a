"""Compute nodes: one row per hypervisor node a nova-compute manages."""

from oslo_serialization import jsonutils

from nova.db.main import api as db
from nova import exception
from nova import objects
from nova.objects import base
from nova.objects import fields

# Columns stored as JSON text whose object field is structured.
_JSON_FIELDS = {'stats': 'stats', 'supported_hv_specs': 'supported_instances'}


@base.NovaObjectRegistry.register
class ComputeNode(base.NovaPersistentObject, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(read_only=True),
        'uuid': fields.UUIDField(read_only=True),
        'service_id': fields.IntegerField(nullable=True),
        'host': fields.StringField(nullable=True),
        'vcpus': fields.IntegerField(),
        'memory_mb': fields.IntegerField(),
        'local_gb': fields.IntegerField(),
        'vcpus_used': fields.IntegerField(),
        'memory_mb_used': fields.IntegerField(),
        'local_gb_used': fields.IntegerField(),
        'hypervisor_type': fields.StringField(),
        'hypervisor_version': fields.IntegerField(),
        'hypervisor_hostname': fields.StringField(nullable=True),
        'free_ram_mb': fields.IntegerField(nullable=True),
        'free_disk_gb': fields.IntegerField(nullable=True),
        'current_workload': fields.IntegerField(nullable=True),
        'running_vms': fields.IntegerField(nullable=True),
        'cpu_info': fields.StringField(nullable=True),
        'disk_available_least': fields.IntegerField(nullable=True),
        'metrics': fields.StringField(nullable=True),
        'stats': fields.DictOfNullableStringsField(nullable=True),
        'host_ip': fields.IPAddressField(nullable=True),
        'numa_topology': fields.StringField(nullable=True),
        'supported_hv_specs': fields.ListOfStringsField(),
        'cpu_allocation_ratio': fields.FloatField(),
        'ram_allocation_ratio': fields.FloatField(),
        'disk_allocation_ratio': fields.FloatField(),
        'mapped': fields.IntegerField(),
    }

    _PLAIN_COLUMNS = ('id', 'uuid', 'service_id', 'host', 'vcpus', 'memory_mb', 'local_gb',
                      'vcpus_used', 'memory_mb_used', 'local_gb_used', 'hypervisor_type',
                      'hypervisor_version', 'hypervisor_hostname', 'free_ram_mb',
                      'free_disk_gb', 'current_workload', 'running_vms', 'cpu_info',
                      'disk_available_least', 'metrics', 'host_ip', 'numa_topology',
                      'cpu_allocation_ratio', 'ram_allocation_ratio',
                      'disk_allocation_ratio', 'mapped', 'created_at', 'updated_at',
                      'deleted_at', 'deleted')

    @staticmethod
    def _from_db_object(context, compute, db_compute):
        for key in ComputeNode._PLAIN_COLUMNS:
            value = getattr(db_compute, key)
            if key == 'deleted':
                value = bool(value)
            elif key == 'host_ip' and value is not None:
                value = str(value)
            elif key == 'mapped' and value is None:
                value = 0
            compute._set_value(key, value)
        stats = db_compute.stats
        compute.stats = jsonutils.loads(stats) if stats else {}
        specs = db_compute.supported_instances
        compute.supported_hv_specs = [jsonutils.dumps(s) for s in jsonutils.loads(specs)] \
            if specs else []
        compute._context = context
        compute.obj_reset_changes()
        return compute

    def _set_value(self, key, value):
        # read_only fields may be set once, when loading.
        setattr(self, base.get_attrname(key), self.fields[key].coerce(self, key, value))

    def _db_updates(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if 'stats' in updates:
            updates['stats'] = jsonutils.dumps(updates['stats'] or {})
        if 'supported_hv_specs' in updates:
            specs = updates.pop('supported_hv_specs')
            updates['supported_instances'] = jsonutils.dumps(
                [jsonutils.loads(s) for s in specs])
        if 'host_ip' in updates and updates['host_ip'] is not None:
            updates['host_ip'] = str(updates['host_ip'])
        return updates

    @classmethod

    @base.remotable
    def get_by_id(cls, context, compute_id):
        return cls._from_db_object(context, cls(), db.compute_node_get(context, compute_id))

    @classmethod

    @base.remotable
    def get_by_uuid(cls, context, compute_uuid):
        nodes = db.compute_nodes_get_by_uuids(context, [compute_uuid])
        if not nodes:
            raise exception.ComputeNodeNotFoundByUUID(compute_uuid=compute_uuid)
        return cls._from_db_object(context, cls(), nodes[0])

    @classmethod

    @base.remotable
    def get_by_host_and_nodename(cls, context, host, nodename):
        db_compute = db.compute_node_get_by_host_and_nodename(context, host, nodename)
        return cls._from_db_object(context, cls(), db_compute)

    @classmethod

    @base.remotable
    def get_by_nodename(cls, context, hypervisor_hostname):
        db_compute = db.compute_node_get_by_nodename(context, hypervisor_hostname)
        return cls._from_db_object(context, cls(), db_compute)

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        updates = self._db_updates()
        if 'uuid' not in updates:
            from oslo_utils import uuidutils
            updates['uuid'] = uuidutils.generate_uuid()
        db_compute = db.compute_node_create(self._context, updates)
        self._from_db_object(self._context, self, db_compute)

    @base.remotable
    def save(self, prune_stats=False):
        updates = self._db_updates()
        updates.pop('uuid', None)
        if not updates:
            return
        db_compute = db.compute_node_update(self._context, self.id, updates)
        self._from_db_object(self._context, self, db_compute)

    @base.remotable
    def destroy(self):
        db.compute_node_delete(self._context, self.id)

    def update_from_virt_driver(self, resources):
        """Copy the driver's view of the node onto this record."""
        keys = ('vcpus', 'memory_mb', 'local_gb', 'cpu_info', 'vcpus_used',
                'memory_mb_used', 'local_gb_used', 'numa_topology',
                'hypervisor_type', 'hypervisor_version', 'hypervisor_hostname',
                'disk_available_least', 'host_ip', 'uuid')
        for key in keys:
            if key in resources:
                if key == 'uuid' and self.obj_attr_is_set('uuid'):
                    continue
                value = resources[key]
                if key in self.fields and self.fields[key].read_only:
                    self._set_value(key, value)
                    self._changed_fields.add(key)
                else:
                    setattr(self, key, value)
        if 'supported_instances' in resources:
            self.supported_hv_specs = [jsonutils.dumps(s)
                                       for s in resources['supported_instances']]


@base.NovaObjectRegistry.register
class ComputeNodeList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('ComputeNode'),
    }

    @classmethod

    @base.remotable
    def get_all(cls, context):
        return base.obj_make_list(context, cls(context), objects.ComputeNode,
                                  db.compute_node_get_all(context))

    @classmethod

    @base.remotable
    def get_all_by_host(cls, context, host, use_slave=False):
        return base.obj_make_list(context, cls(context), objects.ComputeNode,
                                  db.compute_node_get_all_by_host(context, host))

    @classmethod

    @base.remotable
    def get_all_by_uuids(cls, context, compute_uuids):
        return base.obj_make_list(context, cls(context), objects.ComputeNode,
                                  db.compute_nodes_get_by_uuids(context, compute_uuids))

    @staticmethod
    def get_versions_by_uuids(context, compute_uuids):
        """{uuid: updated_at} of the live nodes among ``compute_uuids``.

        Plain (not remotable): for services with database access (the
        scheduler) that keep the nodes they read and re-read only the changed.
        """
        return db.compute_node_versions_by_uuids(context, compute_uuids)

    @classmethod

    @base.remotable
    def get_all_by_not_mapped(cls, context, mapped_less_than):
        return base.obj_make_list(context, cls(context), objects.ComputeNode,
                                  db.compute_node_get_all_mapped_less_than(
                                      context, mapped_less_than))

    @classmethod

    @base.remotable
    def get_by_hypervisor(cls, context, hypervisor_match):
        return base.obj_make_list(context, cls(context), objects.ComputeNode,
                                  db.compute_node_search_by_hypervisor(context, hypervisor_match))
