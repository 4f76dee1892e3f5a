"""SQLAlchemy models of a cell ("main") database.

Every cell database, cell0 included, holds the instances of that cell and the
records hanging off them, the services and compute nodes of its hosts, and
the legacy quota tables. Names of tables, columns, indexes and constraints
follow upstream Nova.

Soft-deletable tables (those with a ``deleted`` column) each get a
``shadow_<name>`` twin with the same columns and no constraints besides the
primary key: ``nova-manage db archive_deleted_rows`` moves soft-deleted rows
there. The shadow tables are generated at the bottom of this module from the
models, so they can never drift from their base tables.
"""

from oslo_config import cfg
from oslo_db.sqlalchemy import models
from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy import orm

from nova.db import types
from nova.db.model_base import MYSQL_TABLE_OPTS
from nova.db.model_base import table_args as _table_args

CONF = cfg.CONF

# Soft-deletable tables that are nonetheless never archived to a shadow table.
NOT_ARCHIVED = frozenset()

SHADOW_TABLE_PREFIX = 'shadow_'


class BASE(orm.DeclarativeBase):
    """Declarative base of every cell database model."""


class NovaBase(models.TimestampMixin, models.ModelBase):
    """created_at/updated_at plus dict-style access, shared by most models."""

    def __copy__(self):
        """Copy a clean mapped object without sharing its ORM state.

        Mapped objects carry per-object ORM state that must never be shared,
        so the copy is made by merging into a throwaway session.
        """
        session = orm.Session()
        copy = session.merge(self, load=False)
        session.expunge(copy)
        return copy


class SoftDeleteMixin(models.SoftDeleteMixin):
    """deleted_at plus ``deleted`` (0 while live, the row id once deleted)."""


# --- services and hosts -----------------------------------------------------------

class Service(BASE, NovaBase, SoftDeleteMixin):
    """A nova service (compute, conductor, scheduler...) running on a host."""
    __tablename__ = 'services'
    __table_args__ = _table_args(
        sa.UniqueConstraint('host', 'topic', 'deleted', name='uniq_services0host0topic0deleted'),
        sa.UniqueConstraint('host', 'binary', 'deleted',
                            name='uniq_services0host0binary0deleted'),
        sa.Index('services_uuid_idx', 'uuid', unique=True),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=True)
    host = sa.Column(sa.String(255))
    binary = sa.Column(sa.String(255))
    topic = sa.Column(sa.String(255))
    report_count = sa.Column(sa.Integer, nullable=False, default=0)
    disabled = sa.Column(sa.Boolean, default=False)
    disabled_reason = sa.Column(sa.String(255))
    last_seen_up = sa.Column(sa.DateTime, nullable=True)
    forced_down = sa.Column(sa.Boolean, default=False)
    version = sa.Column(sa.Integer, default=0)


class ComputeNode(BASE, NovaBase, SoftDeleteMixin):
    """A hypervisor node reported by a nova-compute service."""
    __tablename__ = 'compute_nodes'
    __table_args__ = _table_args(
        sa.Index('compute_nodes_uuid_idx', 'uuid', unique=True),
        sa.UniqueConstraint('host', 'hypervisor_hostname', 'deleted',
                            name='uniq_compute_nodes0host0hypervisor_hostname0deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    service_id = sa.Column(sa.Integer, nullable=True)
    host = sa.Column(sa.String(255), nullable=True)
    uuid = sa.Column(sa.String(36), nullable=True)
    vcpus = sa.Column(sa.Integer, nullable=False)
    memory_mb = sa.Column(sa.Integer, nullable=False)
    local_gb = sa.Column(sa.Integer, nullable=False)
    vcpus_used = sa.Column(sa.Integer, nullable=False)
    memory_mb_used = sa.Column(sa.Integer, nullable=False)
    local_gb_used = sa.Column(sa.Integer, nullable=False)
    hypervisor_type = sa.Column(types.MediumText(), nullable=False)
    hypervisor_version = sa.Column(sa.Integer, nullable=False)
    hypervisor_hostname = sa.Column(sa.String(255))
    free_ram_mb = sa.Column(sa.Integer)
    free_disk_gb = sa.Column(sa.Integer)
    current_workload = sa.Column(sa.Integer)
    running_vms = sa.Column(sa.Integer)
    # JSON: arch, model, vendor, topology and features of the host CPU.
    cpu_info = sa.Column(types.MediumText(), nullable=False)
    disk_available_least = sa.Column(sa.Integer)
    host_ip = sa.Column(types.IPAddress())
    supported_instances = sa.Column(sa.Text)
    metrics = sa.Column(sa.Text)
    pci_stats = sa.Column(sa.Text)
    extra_resources = sa.Column(sa.Text)
    stats = sa.Column(sa.Text, default='{}')
    numa_topology = sa.Column(sa.Text)
    ram_allocation_ratio = sa.Column(sa.Float, nullable=True)
    cpu_allocation_ratio = sa.Column(sa.Float, nullable=True)
    disk_allocation_ratio = sa.Column(sa.Float, nullable=True)
    mapped = sa.Column(sa.Integer, nullable=True, default=0)


class Certificate(BASE, NovaBase, SoftDeleteMixin):
    """Legacy x509 certificate record (EC2 era), kept for schema parity."""
    __tablename__ = 'certificates'
    __table_args__ = _table_args(
        sa.Index('certificates_project_id_deleted_idx', 'project_id', 'deleted'),
        sa.Index('certificates_user_id_deleted_idx', 'user_id', 'deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    file_name = sa.Column(sa.String(255))


# --- instances ------------------------------------------------------------------

class Instance(BASE, NovaBase, SoftDeleteMixin):
    """A server (guest) living in this cell."""
    __tablename__ = 'instances'
    __table_args__ = _table_args(
        sa.Index('instances_project_id_idx', 'project_id'),
        sa.Index('instances_project_id_deleted_idx', 'project_id', 'deleted'),
        sa.Index('instances_reservation_id_idx', 'reservation_id'),
        sa.Index('instances_terminated_at_launched_at_idx', 'terminated_at', 'launched_at'),
        sa.Index('instances_uuid_deleted_idx', 'uuid', 'deleted'),
        sa.Index('instances_task_state_updated_at_idx', 'task_state', 'updated_at'),
        sa.Index('instances_host_node_deleted_idx', 'host', 'node', 'deleted'),
        sa.Index('instances_host_deleted_cleaned_idx', 'host', 'deleted', 'cleaned'),
        sa.Index('instances_deleted_created_at_idx', 'deleted', 'created_at'),
        sa.Index('instances_updated_at_project_id_idx', 'updated_at', 'project_id'),
        sa.Index('instances_compute_id_deleted_idx', 'compute_id', 'deleted'),
        sa.UniqueConstraint('uuid', name='uniq_instances0uuid'),
    )
    injected_files = []

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    image_ref = sa.Column(sa.String(255))
    kernel_id = sa.Column(sa.String(255))
    ramdisk_id = sa.Column(sa.String(255))
    hostname = sa.Column(sa.String(255))
    launch_index = sa.Column(sa.Integer)
    key_name = sa.Column(sa.String(255))
    key_data = sa.Column(types.MediumText())
    power_state = sa.Column(sa.Integer)
    vm_state = sa.Column(sa.String(255))
    task_state = sa.Column(sa.String(255))
    memory_mb = sa.Column(sa.Integer)
    vcpus = sa.Column(sa.Integer)
    root_gb = sa.Column(sa.Integer)
    ephemeral_gb = sa.Column(sa.Integer)
    ephemeral_key_uuid = sa.Column(sa.String(36))
    # The nova-compute service host; ``node`` is the hypervisor node name.
    host = sa.Column(sa.String(255))
    node = sa.Column(sa.String(255))
    # compute_nodes.id of the node, set alongside ``node`` by newer computes.
    compute_id = sa.Column(sa.BigInteger(), nullable=True)
    # The flavor's internal primary key, not its public flavorid.
    instance_type_id = sa.Column(sa.Integer)
    user_data = sa.Column(types.MediumText())
    reservation_id = sa.Column(sa.String(255))
    launched_at = sa.Column(sa.DateTime)
    terminated_at = sa.Column(sa.DateTime)
    # The availability zone requested at boot, not necessarily the host's.
    availability_zone = sa.Column(sa.String(255))
    display_name = sa.Column(sa.String(255))
    display_description = sa.Column(sa.String(255))
    launched_on = sa.Column(types.MediumText())
    locked = sa.Column(sa.Boolean)
    locked_by = sa.Column(sa.Enum('owner', 'admin', name='instances0locked_by'))
    os_type = sa.Column(sa.String(255))
    architecture = sa.Column(sa.String(255))
    vm_mode = sa.Column(sa.String(255))
    uuid = sa.Column(sa.String(36), nullable=False)
    root_device_name = sa.Column(sa.String(255))
    default_ephemeral_device = sa.Column(sa.String(255))
    default_swap_device = sa.Column(sa.String(255))
    config_drive = sa.Column(sa.String(255))
    access_ip_v4 = sa.Column(types.IPAddress())
    access_ip_v6 = sa.Column(types.IPAddress())
    auto_disk_config = sa.Column(sa.Boolean())
    progress = sa.Column(sa.Integer)
    shutdown_terminate = sa.Column(sa.Boolean(), default=False)
    disable_terminate = sa.Column(sa.Boolean(), default=False)
    cell_name = sa.Column(sa.String(255))
    # 1 once the guest's local files have been removed from its host.
    cleaned = sa.Column(sa.Integer, default=0)
    # Hidden instances are the inactive copy during a cross-cell resize.
    hidden = sa.Column(sa.Boolean, default=False)

    @property
    def name(self):
        """The guest name built from ``instance_name_template``."""
        return instance_name({c.name: getattr(self, c.key, None)
                              for c in orm.object_mapper(self).columns})

    @property
    def _extra_keys(self):
        return ['name']


def instance_name(columns):
    """The guest name ``instance_name_template`` gives an instance row's columns."""
    template = _instance_name_template()
    try:
        return template % columns['id']
    except TypeError:
        # A template such as 'instance-%(uuid)s' takes the row's columns.
        info = {k: v for k, v in columns.items() if k != 'name'}
        try:
            return template % info
        except KeyError:
            return columns.get('uuid')


def _instance_name_template():
    try:
        return CONF.instance_name_template
    except cfg.NoSuchOptError:
        return 'instance-%08x'


class InstanceInfoCache(BASE, NovaBase, SoftDeleteMixin):
    """The cached network info (JSON) of an instance."""
    __tablename__ = 'instance_info_caches'
    __table_args__ = _table_args(
        sa.UniqueConstraint('instance_uuid', name='uniq_instance_info_caches0instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    network_info = sa.Column(types.MediumText())
    instance_uuid = sa.Column(sa.String(36), sa.ForeignKey('instances.uuid'), nullable=False)
    instance = orm.relationship(
        Instance, backref=orm.backref('info_cache', uselist=False),
        foreign_keys=[instance_uuid], primaryjoin=instance_uuid == Instance.uuid)


class InstanceExtra(BASE, NovaBase, SoftDeleteMixin):
    """Large serialized attributes of an instance, loaded only on demand."""
    __tablename__ = 'instance_extra'
    __table_args__ = _table_args(
        sa.Index('instance_extra_idx', 'instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    instance_uuid = sa.Column(
        sa.String(36), sa.ForeignKey('instances.uuid', name='fk_instance_extra_instance_uuid'),
        nullable=False)
    device_metadata = orm.deferred(sa.Column(sa.Text))
    numa_topology = orm.deferred(sa.Column(sa.Text))
    pci_requests = orm.deferred(sa.Column(sa.Text))
    flavor = orm.deferred(sa.Column(sa.Text))
    vcpu_model = orm.deferred(sa.Column(sa.Text))
    migration_context = orm.deferred(sa.Column(sa.Text))
    keypairs = orm.deferred(sa.Column(sa.Text))
    trusted_certs = orm.deferred(sa.Column(sa.Text))
    resources = orm.deferred(sa.Column(sa.Text))
    instance = orm.relationship(
        Instance, backref=orm.backref('extra', uselist=False),
        foreign_keys=[instance_uuid], primaryjoin=instance_uuid == Instance.uuid)


class InstanceMetadata(BASE, NovaBase, SoftDeleteMixin):
    """A user-set metadata key/value of an instance."""
    __tablename__ = 'instance_metadata'
    __table_args__ = _table_args(
        sa.Index('instance_metadata_instance_uuid_idx', 'instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    key = sa.Column(sa.String(255))
    value = sa.Column(sa.String(255))
    instance_uuid = sa.Column(sa.String(36), sa.ForeignKey('instances.uuid'))
    instance = orm.relationship(
        Instance, backref='metadata', foreign_keys=[instance_uuid],
        primaryjoin='and_(InstanceMetadata.instance_uuid == Instance.uuid,'
                    'InstanceMetadata.deleted == 0)')


class InstanceSystemMetadata(BASE, NovaBase, SoftDeleteMixin):
    """A nova-owned metadata key/value of an instance."""
    __tablename__ = 'instance_system_metadata'
    __table_args__ = _table_args(
        sa.Index('instance_uuid', 'instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    key = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.String(255))
    instance_uuid = sa.Column(sa.String(36), sa.ForeignKey('instances.uuid'), nullable=False)
    instance = orm.relationship(
        Instance, backref='system_metadata', foreign_keys=[instance_uuid])


class InstanceFault(BASE, NovaBase, SoftDeleteMixin):
    """An error recorded against an instance."""
    __tablename__ = 'instance_faults'
    __table_args__ = _table_args(
        sa.Index('instance_faults_host_idx', 'host'),
        sa.Index('instance_faults_instance_uuid_deleted_created_at_idx',
                 'instance_uuid', 'deleted', 'created_at'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    instance_uuid = sa.Column(
        sa.String(36), sa.ForeignKey('instances.uuid', name='fk_instance_faults_instance_uuid'))
    code = sa.Column(sa.Integer(), nullable=False)
    message = sa.Column(sa.String(255))
    details = sa.Column(types.MediumText())
    host = sa.Column(sa.String(255))


class InstanceAction(BASE, NovaBase, SoftDeleteMixin):
    """One user request against an instance (one per instance and request id)."""
    __tablename__ = 'instance_actions'
    __table_args__ = _table_args(
        sa.Index('instance_uuid_idx', 'instance_uuid'),
        sa.Index('request_id_idx', 'request_id'),
        sa.Index('instance_actions_instance_uuid_updated_at_idx',
                 'instance_uuid', 'updated_at'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    action = sa.Column(sa.String(255))
    instance_uuid = sa.Column(
        sa.String(36), sa.ForeignKey('instances.uuid', name='fk_instance_actions_instance_uuid'))
    request_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    start_time = sa.Column(sa.DateTime, default=timeutils.utcnow)
    finish_time = sa.Column(sa.DateTime)
    message = sa.Column(sa.String(255))


class InstanceActionEvent(BASE, NovaBase, SoftDeleteMixin):
    """A step (with its result and traceback) within an instance action."""
    __tablename__ = 'instance_actions_events'
    __table_args__ = _table_args()

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    event = sa.Column(sa.String(255))
    action_id = sa.Column(sa.Integer, sa.ForeignKey('instance_actions.id'))
    start_time = sa.Column(sa.DateTime, default=timeutils.utcnow)
    finish_time = sa.Column(sa.DateTime)
    result = sa.Column(sa.String(255))
    traceback = sa.Column(sa.Text)
    host = sa.Column(sa.String(255))
    details = sa.Column(sa.Text)


class InstanceIdMapping(BASE, NovaBase, SoftDeleteMixin):
    """Integer ids for instance uuids (EC2 compatibility)."""
    __tablename__ = 'instance_id_mappings'
    __table_args__ = _table_args(
        sa.Index('ix_instance_id_mappings_uuid', 'uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    uuid = sa.Column(sa.String(36), nullable=False)


class BlockDeviceMapping(BASE, NovaBase, SoftDeleteMixin):
    """A disk (volume, image, blank, swap) attached to an instance."""
    __tablename__ = 'block_device_mapping'
    __table_args__ = _table_args(
        sa.Index('snapshot_id', 'snapshot_id'),
        sa.Index('volume_id', 'volume_id'),
        sa.Index('block_device_mapping_instance_uuid_device_name_idx',
                 'instance_uuid', 'device_name'),
        sa.Index('block_device_mapping_instance_uuid_volume_id_idx',
                 'instance_uuid', 'volume_id'),
        sa.Index('block_device_mapping_instance_uuid_idx', 'instance_uuid'),
        sa.UniqueConstraint('uuid', name='uniq_block_device_mapping0uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    instance_uuid = sa.Column(
        sa.String(36),
        sa.ForeignKey('instances.uuid', name='block_device_mapping_instance_uuid_fkey'))
    # The BDM's own uuid, not that of the volume/image/snapshot it uses.
    uuid = sa.Column(sa.String(36))
    source_type = sa.Column(sa.String(255))
    destination_type = sa.Column(sa.String(255))
    guest_format = sa.Column(sa.String(255))
    device_type = sa.Column(sa.String(255))
    disk_bus = sa.Column(sa.String(255))
    boot_index = sa.Column(sa.Integer)
    device_name = sa.Column(sa.String(255))
    delete_on_termination = sa.Column(sa.Boolean, default=False)
    snapshot_id = sa.Column(sa.String(36))
    volume_id = sa.Column(sa.String(36))
    volume_size = sa.Column(sa.Integer)
    volume_type = sa.Column(sa.String(255))
    image_id = sa.Column(sa.String(36))
    no_device = sa.Column(sa.Boolean)
    connection_info = sa.Column(types.MediumText())
    tag = sa.Column(sa.String(255))
    attachment_id = sa.Column(sa.String(36))
    encrypted = sa.Column(sa.Boolean, nullable=True)
    encryption_secret_uuid = sa.Column(sa.String(36), nullable=True)
    encryption_format = sa.Column(sa.String(128), nullable=True)
    encryption_options = sa.Column(sa.String(4096), nullable=True)
    instance = orm.relationship(
        Instance, backref=orm.backref('block_device_mapping'), foreign_keys=[instance_uuid],
        primaryjoin='and_(BlockDeviceMapping.instance_uuid == Instance.uuid,'
                    'BlockDeviceMapping.deleted == 0)')


class VirtualInterface(BASE, NovaBase, SoftDeleteMixin):
    """A port of an instance (mac address, tag) as nova last saw it."""
    __tablename__ = 'virtual_interfaces'
    __table_args__ = _table_args(
        sa.UniqueConstraint('address', 'deleted',
                            name='uniq_virtual_interfaces0address0deleted'),
        sa.Index('virtual_interfaces_network_id_idx', 'network_id'),
        sa.Index('virtual_interfaces_instance_uuid_fkey', 'instance_uuid'),
        sa.Index('virtual_interfaces_uuid_idx', 'uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    address = sa.Column(sa.String(255))
    network_id = sa.Column(sa.Integer)
    instance_uuid = sa.Column(
        sa.String(36),
        sa.ForeignKey('instances.uuid', name='virtual_interfaces_instance_uuid_fkey'))
    uuid = sa.Column(sa.String(36))
    tag = sa.Column(sa.String(255))


class Migration(BASE, NovaBase, SoftDeleteMixin):
    """A move (resize, cold/live migration, evacuation) of an instance."""
    __tablename__ = 'migrations'
    __table_args__ = _table_args(
        sa.Index('migrations_instance_uuid_and_status_idx',
                 'deleted', 'instance_uuid', 'status'),
        sa.Index('migrations_by_host_nodes_and_status_idx', 'deleted',
                 'source_compute', 'dest_compute', 'source_node', 'dest_node', 'status',
                 # Prefixes keep the key under InnoDB's 3072-byte limit.
                 mysql_length={'source_compute': 100, 'dest_compute': 100,
                               'source_node': 100, 'dest_node': 100}),
        sa.Index('migrations_by_dest_host_nodes_and_status_idx',
                 'deleted', 'dest_compute', 'dest_node', 'status'),
        sa.Index('migrations_by_src_host_nodes_and_status_idx',
                 'deleted', 'source_compute', 'source_node', 'status'),
        sa.Index('migrations_uuid', 'uuid', unique=True),
        sa.Index('migrations_updated_at_idx', 'updated_at'),
        sa.Index('migrations_dest_compute_id_deleted_idx', 'dest_compute_id', 'deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    # Service hosts; the *_node columns hold hypervisor node names.
    source_compute = sa.Column(sa.String(255))
    dest_compute = sa.Column(sa.String(255))
    source_node = sa.Column(sa.String(255))
    dest_node = sa.Column(sa.String(255))
    dest_compute_id = sa.Column(sa.BigInteger(), nullable=True)
    # An IP address of the destination, despite the name.
    dest_host = sa.Column(sa.String(255))
    old_instance_type_id = sa.Column(sa.Integer())
    new_instance_type_id = sa.Column(sa.Integer())
    instance_uuid = sa.Column(
        sa.String(36), sa.ForeignKey('instances.uuid', name='fk_migrations_instance_uuid'))
    uuid = sa.Column(sa.String(36), nullable=True)
    status = sa.Column(sa.String(255))
    migration_type = sa.Column(
        sa.Enum('migration', 'resize', 'live-migration', 'evacuation',
                name='migration_type'),
        nullable=True)
    hidden = sa.Column(sa.Boolean, default=False)
    memory_total = sa.Column(sa.BigInteger, nullable=True)
    memory_processed = sa.Column(sa.BigInteger, nullable=True)
    memory_remaining = sa.Column(sa.BigInteger, nullable=True)
    disk_total = sa.Column(sa.BigInteger, nullable=True)
    disk_processed = sa.Column(sa.BigInteger, nullable=True)
    disk_remaining = sa.Column(sa.BigInteger, nullable=True)
    cross_cell_move = sa.Column(sa.Boolean, default=False)
    user_id = sa.Column(sa.String(255), nullable=True)
    project_id = sa.Column(sa.String(255), nullable=True)
    instance = orm.relationship(
        Instance, foreign_keys=[instance_uuid],
        primaryjoin='and_(Migration.instance_uuid == Instance.uuid, Instance.deleted == 0)')


class PciDevice(BASE, NovaBase, SoftDeleteMixin):
    """A PCI device of a compute node that can be passed to an instance."""
    __tablename__ = 'pci_devices'
    __table_args__ = _table_args(
        sa.Index('ix_pci_devices_compute_node_id_deleted', 'compute_node_id', 'deleted'),
        sa.Index('ix_pci_devices_instance_uuid_deleted', 'instance_uuid', 'deleted'),
        sa.Index('ix_pci_devices_compute_node_id_parent_addr_deleted',
                 'compute_node_id', 'parent_addr', 'deleted'),
        sa.UniqueConstraint('compute_node_id', 'address', 'deleted',
                            name='uniq_pci_devices0compute_node_id0address0deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36))
    compute_node_id = sa.Column(
        sa.Integer, sa.ForeignKey('compute_nodes.id', name='pci_devices_compute_node_id_fkey'),
        nullable=False)
    # PCI address domain:bus:slot.function, e.g. 0000:09:01.1
    address = sa.Column(sa.String(12), nullable=False)
    vendor_id = sa.Column(sa.String(4), nullable=False)
    product_id = sa.Column(sa.String(4), nullable=False)
    dev_type = sa.Column(sa.String(8), nullable=False)
    dev_id = sa.Column(sa.String(255))
    # An abstract name grouping equivalent devices across hosts.
    label = sa.Column(sa.String(255), nullable=False)
    status = sa.Column(sa.String(36), nullable=False)
    request_id = sa.Column(sa.String(36), nullable=True)
    extra_info = sa.Column(sa.Text)
    instance_uuid = sa.Column(sa.String(36))
    numa_node = sa.Column(sa.Integer, nullable=True)
    parent_addr = sa.Column(sa.String(12), nullable=True)
    instance = orm.relationship(
        Instance, backref='pci_devices', foreign_keys=[instance_uuid],
        primaryjoin='and_(PciDevice.instance_uuid == Instance.uuid, PciDevice.deleted == 0)')


class Tag(BASE, models.ModelBase):
    """A tag on an instance (removed together with the instance, never archived)."""
    __tablename__ = 'tags'
    __table_args__ = _table_args(
        sa.Index('tags_tag_idx', 'tag'),
    )

    resource_id = sa.Column(sa.String(36), primary_key=True, nullable=False)
    tag = sa.Column(sa.Unicode(80), primary_key=True, nullable=False)
    instance = orm.relationship(
        Instance, backref='tags', foreign_keys=[resource_id],
        primaryjoin='and_(Tag.resource_id == Instance.uuid, Instance.deleted == 0)')


class ConsoleAuthToken(BASE, NovaBase):
    """A short-lived token authorizing one console connection to an instance."""
    __tablename__ = 'console_auth_tokens'
    __table_args__ = _table_args(
        sa.Index('console_auth_tokens_instance_uuid_idx', 'instance_uuid'),
        sa.Index('console_auth_tokens_host_expires_idx', 'host', 'expires'),
        sa.Index('console_auth_tokens_token_hash_instance_uuid_idx',
                 'token_hash', 'instance_uuid'),
        sa.UniqueConstraint('token_hash', name='uniq_console_auth_tokens0token_hash'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    token_hash = sa.Column(sa.String(255), nullable=False)
    console_type = sa.Column(sa.String(255), nullable=False)
    host = sa.Column(sa.String(255), nullable=False)
    port = sa.Column(sa.Integer, nullable=False)
    tls_port = sa.Column(sa.Integer)
    internal_access_path = sa.Column(sa.String(255))
    instance_uuid = sa.Column(sa.String(36), nullable=False)
    expires = sa.Column(sa.Integer, nullable=False)
    access_url_base = sa.Column(sa.String(255))
    instance = orm.relationship(
        Instance, backref='console_auth_tokens', foreign_keys=[instance_uuid],
        primaryjoin='and_(ConsoleAuthToken.instance_uuid == Instance.uuid,'
                    'Instance.deleted == 0)')


class ShareMapping(BASE, NovaBase):
    """A manila share attached to an instance (virtiofs)."""
    __tablename__ = 'share_mapping'
    __table_args__ = _table_args(
        sa.UniqueConstraint('instance_uuid', 'share_id',
                            name='uniq_key_pairs0instance_uuid0share_id'),
        sa.UniqueConstraint('instance_uuid', 'tag', name='uniq_key_pairs0instance_uuid0tag'),
        sa.Index('share_idx', 'share_id'),
        sa.Index('share_mapping_instance_uuid_share_id_idx', 'instance_uuid', 'share_id'),
    )

    id = sa.Column(sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                   primary_key=True, autoincrement=True, nullable=False)
    uuid = sa.Column(sa.String(36))
    instance_uuid = sa.Column(
        sa.String(36), sa.ForeignKey('instances.uuid', name='share_mapping_instance_uuid_fkey'))
    share_id = sa.Column(sa.String(36))
    status = sa.Column(sa.String(32))
    tag = sa.Column(sa.String(48))
    export_location = sa.Column(sa.Text)
    share_proto = sa.Column(sa.String(32))


# --- misc per-cell records -----------------------------------------------------

class TaskLog(BASE, NovaBase, SoftDeleteMixin):
    """Audit record of a periodic task run (instance usage audit)."""
    __tablename__ = 'task_log'
    __table_args__ = _table_args(
        sa.UniqueConstraint(
            'task_name', 'host', 'period_beginning', 'period_ending',
            name='uniq_task_log0task_name0host0period_beginning0period_ending'),
        sa.Index('ix_task_log_period_beginning', 'period_beginning'),
        sa.Index('ix_task_log_host', 'host'),
        sa.Index('ix_task_log_period_ending', 'period_ending'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    task_name = sa.Column(sa.String(255), nullable=False)
    state = sa.Column(sa.String(255), nullable=False)
    host = sa.Column(sa.String(255), nullable=False)
    period_beginning = sa.Column(sa.DateTime, default=timeutils.utcnow, nullable=False)
    period_ending = sa.Column(sa.DateTime, default=timeutils.utcnow, nullable=False)
    message = sa.Column(sa.String(255), nullable=False)
    task_items = sa.Column(sa.Integer(), default=0)
    errors = sa.Column(sa.Integer(), default=0)


class VolumeUsage(BASE, NovaBase, SoftDeleteMixin):
    """Volume I/O counters polled from the hypervisor."""
    __tablename__ = 'volume_usage_cache'
    __table_args__ = _table_args()

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    volume_id = sa.Column(sa.String(36), nullable=False)
    instance_uuid = sa.Column(sa.String(36))
    project_id = sa.Column(sa.String(36))
    user_id = sa.Column(sa.String(64))
    availability_zone = sa.Column(sa.String(255))
    tot_last_refreshed = sa.Column(sa.DateTime)
    tot_reads = sa.Column(sa.BigInteger, default=0)
    tot_read_bytes = sa.Column(sa.BigInteger, default=0)
    tot_writes = sa.Column(sa.BigInteger, default=0)
    tot_write_bytes = sa.Column(sa.BigInteger, default=0)
    curr_last_refreshed = sa.Column(sa.DateTime)
    curr_reads = sa.Column(sa.BigInteger, default=0)
    curr_read_bytes = sa.Column(sa.BigInteger, default=0)
    curr_writes = sa.Column(sa.BigInteger, default=0)
    curr_write_bytes = sa.Column(sa.BigInteger, default=0)


class S3Image(BASE, NovaBase, SoftDeleteMixin):
    """Integer ids for image uuids (EC2/S3 compatibility)."""
    __tablename__ = 's3_images'
    __table_args__ = _table_args()

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    uuid = sa.Column(sa.String(36), nullable=False)


# --- legacy security groups (nova-network era; still referenced by instances) -----

class SecurityGroupInstanceAssociation(BASE, NovaBase, SoftDeleteMixin):
    """Links a legacy security group to an instance."""
    __tablename__ = 'security_group_instance_association'
    __table_args__ = _table_args(
        sa.Index('security_group_instance_association_instance_uuid_idx', 'instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    security_group_id = sa.Column(sa.Integer, sa.ForeignKey('security_groups.id'))
    instance_uuid = sa.Column(
        sa.String(36),
        sa.ForeignKey('instances.uuid',
                      name='security_group_instance_association_instance_uuid_fkey'))


class SecurityGroup(BASE, NovaBase, SoftDeleteMixin):
    """A legacy (nova-network) security group."""
    __tablename__ = 'security_groups'
    __table_args__ = _table_args(
        sa.UniqueConstraint('project_id', 'name', 'deleted',
                            name='uniq_security_groups0project_id0name0deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(255))
    description = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    instances = orm.relationship(
        Instance, secondary='security_group_instance_association',
        primaryjoin='and_(SecurityGroup.id == '
                    'SecurityGroupInstanceAssociation.security_group_id,'
                    'SecurityGroupInstanceAssociation.deleted == 0,'
                    'SecurityGroup.deleted == 0)',
        secondaryjoin='and_(SecurityGroupInstanceAssociation.instance_uuid == Instance.uuid,'
                      'Instance.deleted == 0)',
        backref='security_groups', viewonly=True)


class SecurityGroupIngressRule(BASE, NovaBase, SoftDeleteMixin):
    """A rule of a legacy security group."""
    __tablename__ = 'security_group_rules'
    __table_args__ = _table_args()

    id = sa.Column(sa.Integer, primary_key=True)
    parent_group_id = sa.Column(sa.Integer, sa.ForeignKey('security_groups.id'))
    protocol = sa.Column(sa.String(255))
    from_port = sa.Column(sa.Integer)
    to_port = sa.Column(sa.Integer)
    cidr = sa.Column(types.CIDR())
    # The group being granted access, not the rule's own group.
    group_id = sa.Column(sa.Integer, sa.ForeignKey('security_groups.id'))
    parent_group = orm.relationship(
        SecurityGroup, backref='rules', foreign_keys=[parent_group_id],
        primaryjoin='and_(SecurityGroupIngressRule.parent_group_id == SecurityGroup.id,'
                    'SecurityGroupIngressRule.deleted == 0)')
    grantee_group = orm.relationship(
        SecurityGroup, foreign_keys=[group_id],
        primaryjoin='and_(SecurityGroupIngressRule.group_id == SecurityGroup.id,'
                    'SecurityGroupIngressRule.deleted == 0)')


# --- legacy quotas (the live quota tables are in the API database) ---------------

class Quota(BASE, NovaBase, SoftDeleteMixin):
    """Legacy per-cell project quota limit."""
    __tablename__ = 'quotas'
    __table_args__ = _table_args(
        sa.UniqueConstraint('project_id', 'resource', 'deleted',
                            name='uniq_quotas0project_id0resource0deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    project_id = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255), nullable=False)
    hard_limit = sa.Column(sa.Integer)


class ProjectUserQuota(BASE, NovaBase, SoftDeleteMixin):
    """Legacy per-cell user quota limit."""
    __tablename__ = 'project_user_quotas'
    __table_args__ = _table_args(
        sa.UniqueConstraint(
            'user_id', 'project_id', 'resource', 'deleted',
            name='uniq_project_user_quotas0user_id0project_id0resource0deleted'),
        sa.Index('project_user_quotas_project_id_deleted_idx', 'project_id', 'deleted'),
        sa.Index('project_user_quotas_user_id_deleted_idx', 'user_id', 'deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    project_id = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=False)
    resource = sa.Column(sa.String(255), nullable=False)
    hard_limit = sa.Column(sa.Integer)


class QuotaClass(BASE, NovaBase, SoftDeleteMixin):
    """Legacy per-cell quota class limit."""
    __tablename__ = 'quota_classes'
    __table_args__ = _table_args(
        sa.Index('ix_quota_classes_class_name', 'class_name'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    class_name = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255))
    hard_limit = sa.Column(sa.Integer)


class QuotaUsage(BASE, NovaBase, SoftDeleteMixin):
    """Legacy per-cell quota usage."""
    __tablename__ = 'quota_usages'
    __table_args__ = _table_args(
        sa.Index('ix_quota_usages_project_id', 'project_id'),
        sa.Index('ix_quota_usages_user_id_deleted', 'user_id', 'deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255), nullable=False)
    in_use = sa.Column(sa.Integer, nullable=False)
    reserved = sa.Column(sa.Integer, nullable=False)
    until_refresh = sa.Column(sa.Integer)

    @property
    def total(self):
        return self.in_use + self.reserved


class Reservation(BASE, NovaBase, SoftDeleteMixin):
    """Legacy per-cell quota reservation."""
    __tablename__ = 'reservations'
    __table_args__ = _table_args(
        sa.Index('ix_reservations_project_id', 'project_id'),
        sa.Index('reservations_uuid_idx', 'uuid'),
        sa.Index('reservations_deleted_expire_idx', 'deleted', 'expire'),
        sa.Index('ix_reservations_user_id_deleted', 'user_id', 'deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    uuid = sa.Column(sa.String(36), nullable=False)
    usage_id = sa.Column(
        sa.Integer, sa.ForeignKey('quota_usages.id', name='reservations_ibfk_1'),
        nullable=False)
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255))
    delta = sa.Column(sa.Integer, nullable=False)
    expire = sa.Column(sa.DateTime)
    usage = orm.relationship(
        QuotaUsage, foreign_keys=[usage_id],
        primaryjoin='and_(Reservation.usage_id == QuotaUsage.id, QuotaUsage.deleted == 0)')


# --- shadow tables ----------------------------------------------------------------

def shadow_column(column, table_name):
    """A copy of ``column`` for a shadow table: same name, type, nullability.

    Foreign keys, indexes and unique constraints are dropped on purpose: a
    shadow table accumulates archived rows whose parents may be archived
    later, or whose unique keys repeat across deletions.
    """
    col_type = column.type
    if isinstance(col_type, sa.Enum) and col_type.name == f'{table_name}0{column.name}':
        # A PostgreSQL enum type belongs to one table; give the shadow its own.
        col_type = sa.Enum(*col_type.enums,
                           name=f'{SHADOW_TABLE_PREFIX}{table_name}0{column.name}')
    return sa.Column(column.name, col_type, primary_key=column.primary_key,
                     nullable=column.nullable, autoincrement=column.autoincrement)


def archivable_table_names(metadata=None):
    """Names of the base tables that have a shadow twin, sorted."""
    metadata = metadata if metadata is not None else BASE.metadata
    return sorted(
        name for name, table in metadata.tables.items()
        if not name.startswith(SHADOW_TABLE_PREFIX)
        and 'deleted' in table.columns and name not in NOT_ARCHIVED)


def _define_shadow_tables():
    shadows = {}
    for name in archivable_table_names():
        base = BASE.metadata.tables[name]
        shadows[name] = sa.Table(
            SHADOW_TABLE_PREFIX + name, BASE.metadata,
            *(shadow_column(c, name) for c in base.columns),
            **MYSQL_TABLE_OPTS)
    return shadows


#: base table name -> shadow ``sa.Table``
SHADOW_TABLES = _define_shadow_tables()
