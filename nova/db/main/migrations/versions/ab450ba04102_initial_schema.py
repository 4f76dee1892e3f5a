"""Initial schema of a cell database

Creates every cell database table, and the shadow twin of each soft-deletable
one, in one step. The revision id is that of upstream Nova's latest cell
database revision, so a database already brought to that level by upstream
Nova is seen as up to date rather than unknown.

Revision ID: ab450ba04102
Revises:
Create Date: 2026-01-01 00:00:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from nova.db import types

# revision identifiers, used by Alembic.
revision = 'ab450ba04102'
down_revision = None
branch_labels = None
depends_on = None

MYSQL_OPTS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8'}


def _timestamps():
    return [sa.Column('created_at', sa.DateTime), sa.Column('updated_at', sa.DateTime)]


def _soft_delete():
    return [sa.Column('deleted_at', sa.DateTime), sa.Column('deleted', sa.Integer)]


def _shadow_column(column, table_name):
    """The shadow copy of a column: no foreign key, a table-specific enum type."""
    col_type = column.type
    if isinstance(col_type, sa.Enum):
        if col_type.name == f'{table_name}0{column.name}':
            col_type = sa.Enum(*col_type.enums, name=f'shadow_{table_name}0{column.name}')
        else:
            # Shared type on PostgreSQL: it exists already, never create it twice.
            col_type = sa.Enum(*col_type.enums, name=col_type.name).with_variant(
                postgresql.ENUM(*col_type.enums, name=col_type.name, create_type=False),
                'postgresql')
    return sa.Column(column.name, col_type, primary_key=column.primary_key,
                     nullable=column.nullable, autoincrement=column.autoincrement)


def _table(name, columns, *constraints, soft_delete=True, timestamps=True, shadow=None):
    """Create ``name`` (timestamps first, soft-delete columns last) and its shadow.

    ``columns`` is a callable returning fresh Column objects, so the shadow table
    gets its own copies. Soft-deletable tables get a shadow unless told otherwise.
    """
    def all_columns():
        cols = (_timestamps() if timestamps else []) + columns()
        if soft_delete:
            cols += _soft_delete()
        return cols

    op.create_table(name, *all_columns(), *constraints, **MYSQL_OPTS)
    if shadow if shadow is not None else soft_delete:
        op.create_table('shadow_' + name,
                        *(_shadow_column(c, name) for c in all_columns()), **MYSQL_OPTS)


def _fk_instance(name=None):
    return sa.ForeignKey('instances.uuid', name=name)


# --- services and hosts -----------------------------------------------------------

def _services_and_hosts():
    _table(
        'services',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('uuid', sa.String(36), nullable=True),
            sa.Column('host', sa.String(255)),
            sa.Column('binary', sa.String(255)),
            sa.Column('topic', sa.String(255)),
            sa.Column('report_count', sa.Integer, nullable=False),
            sa.Column('disabled', sa.Boolean),
            sa.Column('disabled_reason', sa.String(255)),
            sa.Column('last_seen_up', sa.DateTime, nullable=True),
            sa.Column('forced_down', sa.Boolean),
            sa.Column('version', sa.Integer),
        ],
        sa.UniqueConstraint('host', 'topic', 'deleted', name='uniq_services0host0topic0deleted'),
        sa.UniqueConstraint('host', 'binary', 'deleted',
                            name='uniq_services0host0binary0deleted'),
        sa.Index('services_uuid_idx', 'uuid', unique=True),
    )
    _table(
        'compute_nodes',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('service_id', sa.Integer, nullable=True),
            sa.Column('host', sa.String(255), nullable=True),
            sa.Column('uuid', sa.String(36), nullable=True),
            sa.Column('vcpus', sa.Integer, nullable=False),
            sa.Column('memory_mb', sa.Integer, nullable=False),
            sa.Column('local_gb', sa.Integer, nullable=False),
            sa.Column('vcpus_used', sa.Integer, nullable=False),
            sa.Column('memory_mb_used', sa.Integer, nullable=False),
            sa.Column('local_gb_used', sa.Integer, nullable=False),
            sa.Column('hypervisor_type', types.MediumText(), nullable=False),
            sa.Column('hypervisor_version', sa.Integer, nullable=False),
            sa.Column('hypervisor_hostname', sa.String(255)),
            sa.Column('free_ram_mb', sa.Integer),
            sa.Column('free_disk_gb', sa.Integer),
            sa.Column('current_workload', sa.Integer),
            sa.Column('running_vms', sa.Integer),
            sa.Column('cpu_info', types.MediumText(), nullable=False),
            sa.Column('disk_available_least', sa.Integer),
            sa.Column('host_ip', types.IPAddress()),
            sa.Column('supported_instances', sa.Text),
            sa.Column('metrics', sa.Text),
            sa.Column('pci_stats', sa.Text),
            sa.Column('extra_resources', sa.Text),
            sa.Column('stats', sa.Text),
            sa.Column('numa_topology', sa.Text),
            sa.Column('ram_allocation_ratio', sa.Float, nullable=True),
            sa.Column('cpu_allocation_ratio', sa.Float, nullable=True),
            sa.Column('disk_allocation_ratio', sa.Float, nullable=True),
            sa.Column('mapped', sa.Integer, nullable=True),
        ],
        sa.Index('compute_nodes_uuid_idx', 'uuid', unique=True),
        sa.UniqueConstraint('host', 'hypervisor_hostname', 'deleted',
                            name='uniq_compute_nodes0host0hypervisor_hostname0deleted'),
    )
    _table(
        'pci_devices',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('uuid', sa.String(36)),
            sa.Column('compute_node_id', sa.Integer,
                      sa.ForeignKey('compute_nodes.id', name='pci_devices_compute_node_id_fkey'),
                      nullable=False),
            sa.Column('address', sa.String(12), nullable=False),
            sa.Column('vendor_id', sa.String(4), nullable=False),
            sa.Column('product_id', sa.String(4), nullable=False),
            sa.Column('dev_type', sa.String(8), nullable=False),
            sa.Column('dev_id', sa.String(255)),
            sa.Column('label', sa.String(255), nullable=False),
            sa.Column('status', sa.String(36), nullable=False),
            sa.Column('request_id', sa.String(36), nullable=True),
            sa.Column('extra_info', sa.Text),
            sa.Column('instance_uuid', sa.String(36)),
            sa.Column('numa_node', sa.Integer, nullable=True),
            sa.Column('parent_addr', sa.String(12), nullable=True),
        ],
        sa.Index('ix_pci_devices_compute_node_id_deleted', 'compute_node_id', 'deleted'),
        sa.Index('ix_pci_devices_instance_uuid_deleted', 'instance_uuid', 'deleted'),
        sa.Index('ix_pci_devices_compute_node_id_parent_addr_deleted',
                 'compute_node_id', 'parent_addr', 'deleted'),
        sa.UniqueConstraint('compute_node_id', 'address', 'deleted',
                            name='uniq_pci_devices0compute_node_id0address0deleted'),
    )
    _table(
        'certificates',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('user_id', sa.String(255)),
            sa.Column('project_id', sa.String(255)),
            sa.Column('file_name', sa.String(255)),
        ],
        sa.Index('certificates_project_id_deleted_idx', 'project_id', 'deleted'),
        sa.Index('certificates_user_id_deleted_idx', 'user_id', 'deleted'),
    )
    _table(
        'task_log',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False, autoincrement=True),
            sa.Column('task_name', sa.String(255), nullable=False),
            sa.Column('state', sa.String(255), nullable=False),
            sa.Column('host', sa.String(255), nullable=False),
            sa.Column('period_beginning', sa.DateTime, nullable=False),
            sa.Column('period_ending', sa.DateTime, nullable=False),
            sa.Column('message', sa.String(255), nullable=False),
            sa.Column('task_items', sa.Integer),
            sa.Column('errors', sa.Integer),
        ],
        sa.UniqueConstraint(
            'task_name', 'host', 'period_beginning', 'period_ending',
            name='uniq_task_log0task_name0host0period_beginning0period_ending'),
        sa.Index('ix_task_log_period_beginning', 'period_beginning'),
        sa.Index('ix_task_log_host', 'host'),
        sa.Index('ix_task_log_period_ending', 'period_ending'),
    )
    _table(
        'volume_usage_cache',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('volume_id', sa.String(36), nullable=False),
            sa.Column('instance_uuid', sa.String(36)),
            sa.Column('project_id', sa.String(36)),
            sa.Column('user_id', sa.String(64)),
            sa.Column('availability_zone', sa.String(255)),
            sa.Column('tot_last_refreshed', sa.DateTime),
            sa.Column('tot_reads', sa.BigInteger),
            sa.Column('tot_read_bytes', sa.BigInteger),
            sa.Column('tot_writes', sa.BigInteger),
            sa.Column('tot_write_bytes', sa.BigInteger),
            sa.Column('curr_last_refreshed', sa.DateTime),
            sa.Column('curr_reads', sa.BigInteger),
            sa.Column('curr_read_bytes', sa.BigInteger),
            sa.Column('curr_writes', sa.BigInteger),
            sa.Column('curr_write_bytes', sa.BigInteger),
        ],
    )
    _table(
        's3_images',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False, autoincrement=True),
            sa.Column('uuid', sa.String(36), nullable=False),
        ],
    )


# --- instances ------------------------------------------------------------------

def _instances():
    _table(
        'instances',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False, autoincrement=True),
            sa.Column('user_id', sa.String(255)),
            sa.Column('project_id', sa.String(255)),
            sa.Column('image_ref', sa.String(255)),
            sa.Column('kernel_id', sa.String(255)),
            sa.Column('ramdisk_id', sa.String(255)),
            sa.Column('hostname', sa.String(255)),
            sa.Column('launch_index', sa.Integer),
            sa.Column('key_name', sa.String(255)),
            sa.Column('key_data', types.MediumText()),
            sa.Column('power_state', sa.Integer),
            sa.Column('vm_state', sa.String(255)),
            sa.Column('task_state', sa.String(255)),
            sa.Column('memory_mb', sa.Integer),
            sa.Column('vcpus', sa.Integer),
            sa.Column('root_gb', sa.Integer),
            sa.Column('ephemeral_gb', sa.Integer),
            sa.Column('ephemeral_key_uuid', sa.String(36)),
            sa.Column('host', sa.String(255)),
            sa.Column('node', sa.String(255)),
            sa.Column('compute_id', sa.BigInteger(), nullable=True),
            sa.Column('instance_type_id', sa.Integer),
            sa.Column('user_data', types.MediumText()),
            sa.Column('reservation_id', sa.String(255)),
            sa.Column('launched_at', sa.DateTime),
            sa.Column('terminated_at', sa.DateTime),
            sa.Column('availability_zone', sa.String(255)),
            sa.Column('display_name', sa.String(255)),
            sa.Column('display_description', sa.String(255)),
            sa.Column('launched_on', types.MediumText()),
            sa.Column('locked', sa.Boolean),
            sa.Column('locked_by', sa.Enum('owner', 'admin', name='instances0locked_by')),
            sa.Column('os_type', sa.String(255)),
            sa.Column('architecture', sa.String(255)),
            sa.Column('vm_mode', sa.String(255)),
            sa.Column('uuid', sa.String(36), nullable=False),
            sa.Column('root_device_name', sa.String(255)),
            sa.Column('default_ephemeral_device', sa.String(255)),
            sa.Column('default_swap_device', sa.String(255)),
            sa.Column('config_drive', sa.String(255)),
            sa.Column('access_ip_v4', types.IPAddress()),
            sa.Column('access_ip_v6', types.IPAddress()),
            sa.Column('auto_disk_config', sa.Boolean),
            sa.Column('progress', sa.Integer),
            sa.Column('shutdown_terminate', sa.Boolean),
            sa.Column('disable_terminate', sa.Boolean),
            sa.Column('cell_name', sa.String(255)),
            sa.Column('cleaned', sa.Integer),
            sa.Column('hidden', sa.Boolean),
        ],
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
    _table(
        'instance_info_caches',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False, autoincrement=True),
            sa.Column('network_info', types.MediumText()),
            sa.Column('instance_uuid', sa.String(36), _fk_instance(), nullable=False),
        ],
        sa.UniqueConstraint('instance_uuid', name='uniq_instance_info_caches0instance_uuid'),
    )
    _table(
        'instance_extra',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False, autoincrement=True),
            sa.Column('instance_uuid', sa.String(36),
                      _fk_instance('fk_instance_extra_instance_uuid'), nullable=False),
            sa.Column('device_metadata', sa.Text),
            sa.Column('numa_topology', sa.Text),
            sa.Column('pci_requests', sa.Text),
            sa.Column('flavor', sa.Text),
            sa.Column('vcpu_model', sa.Text),
            sa.Column('migration_context', sa.Text),
            sa.Column('keypairs', sa.Text),
            sa.Column('trusted_certs', sa.Text),
            sa.Column('resources', sa.Text),
        ],
        sa.Index('instance_extra_idx', 'instance_uuid'),
    )
    _table(
        'instance_metadata',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('key', sa.String(255)),
            sa.Column('value', sa.String(255)),
            sa.Column('instance_uuid', sa.String(36), _fk_instance()),
        ],
        sa.Index('instance_metadata_instance_uuid_idx', 'instance_uuid'),
    )
    _table(
        'instance_system_metadata',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('key', sa.String(255), nullable=False),
            sa.Column('value', sa.String(255)),
            sa.Column('instance_uuid', sa.String(36), _fk_instance(), nullable=False),
        ],
        sa.Index('instance_uuid', 'instance_uuid'),
    )
    _table(
        'instance_faults',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('instance_uuid', sa.String(36),
                      _fk_instance('fk_instance_faults_instance_uuid')),
            sa.Column('code', sa.Integer, nullable=False),
            sa.Column('message', sa.String(255)),
            sa.Column('details', types.MediumText()),
            sa.Column('host', sa.String(255)),
        ],
        sa.Index('instance_faults_host_idx', 'host'),
        sa.Index('instance_faults_instance_uuid_deleted_created_at_idx',
                 'instance_uuid', 'deleted', 'created_at'),
    )
    _table(
        'instance_actions',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False, autoincrement=True),
            sa.Column('action', sa.String(255)),
            sa.Column('instance_uuid', sa.String(36),
                      _fk_instance('fk_instance_actions_instance_uuid')),
            sa.Column('request_id', sa.String(255)),
            sa.Column('user_id', sa.String(255)),
            sa.Column('project_id', sa.String(255)),
            sa.Column('start_time', sa.DateTime),
            sa.Column('finish_time', sa.DateTime),
            sa.Column('message', sa.String(255)),
        ],
        sa.Index('instance_uuid_idx', 'instance_uuid'),
        sa.Index('request_id_idx', 'request_id'),
        sa.Index('instance_actions_instance_uuid_updated_at_idx',
                 'instance_uuid', 'updated_at'),
    )
    _table(
        'instance_actions_events',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False, autoincrement=True),
            sa.Column('event', sa.String(255)),
            sa.Column('action_id', sa.Integer, sa.ForeignKey('instance_actions.id')),
            sa.Column('start_time', sa.DateTime),
            sa.Column('finish_time', sa.DateTime),
            sa.Column('result', sa.String(255)),
            sa.Column('traceback', sa.Text),
            sa.Column('host', sa.String(255)),
            sa.Column('details', sa.Text),
        ],
    )
    _table(
        'instance_id_mappings',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False, autoincrement=True),
            sa.Column('uuid', sa.String(36), nullable=False),
        ],
        sa.Index('ix_instance_id_mappings_uuid', 'uuid'),
    )


def _instance_devices():
    _table(
        'block_device_mapping',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False, autoincrement=True),
            sa.Column('instance_uuid', sa.String(36),
                      _fk_instance('block_device_mapping_instance_uuid_fkey')),
            sa.Column('uuid', sa.String(36)),
            sa.Column('source_type', sa.String(255)),
            sa.Column('destination_type', sa.String(255)),
            sa.Column('guest_format', sa.String(255)),
            sa.Column('device_type', sa.String(255)),
            sa.Column('disk_bus', sa.String(255)),
            sa.Column('boot_index', sa.Integer),
            sa.Column('device_name', sa.String(255)),
            sa.Column('delete_on_termination', sa.Boolean),
            sa.Column('snapshot_id', sa.String(36)),
            sa.Column('volume_id', sa.String(36)),
            sa.Column('volume_size', sa.Integer),
            sa.Column('volume_type', sa.String(255)),
            sa.Column('image_id', sa.String(36)),
            sa.Column('no_device', sa.Boolean),
            sa.Column('connection_info', types.MediumText()),
            sa.Column('tag', sa.String(255)),
            sa.Column('attachment_id', sa.String(36)),
            sa.Column('encrypted', sa.Boolean, nullable=True),
            sa.Column('encryption_secret_uuid', sa.String(36), nullable=True),
            sa.Column('encryption_format', sa.String(128), nullable=True),
            sa.Column('encryption_options', sa.String(4096), nullable=True),
        ],
        sa.Index('snapshot_id', 'snapshot_id'),
        sa.Index('volume_id', 'volume_id'),
        sa.Index('block_device_mapping_instance_uuid_device_name_idx',
                 'instance_uuid', 'device_name'),
        sa.Index('block_device_mapping_instance_uuid_volume_id_idx',
                 'instance_uuid', 'volume_id'),
        sa.Index('block_device_mapping_instance_uuid_idx', 'instance_uuid'),
        sa.UniqueConstraint('uuid', name='uniq_block_device_mapping0uuid'),
    )
    _table(
        'virtual_interfaces',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('address', sa.String(255)),
            sa.Column('network_id', sa.Integer),
            sa.Column('instance_uuid', sa.String(36),
                      _fk_instance('virtual_interfaces_instance_uuid_fkey')),
            sa.Column('uuid', sa.String(36)),
            sa.Column('tag', sa.String(255)),
        ],
        sa.UniqueConstraint('address', 'deleted',
                            name='uniq_virtual_interfaces0address0deleted'),
        sa.Index('virtual_interfaces_network_id_idx', 'network_id'),
        sa.Index('virtual_interfaces_instance_uuid_fkey', 'instance_uuid'),
        sa.Index('virtual_interfaces_uuid_idx', 'uuid'),
    )
    _table(
        'migrations',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('source_compute', sa.String(255)),
            sa.Column('dest_compute', sa.String(255)),
            sa.Column('source_node', sa.String(255)),
            sa.Column('dest_node', sa.String(255)),
            sa.Column('dest_compute_id', sa.BigInteger(), nullable=True),
            sa.Column('dest_host', sa.String(255)),
            sa.Column('old_instance_type_id', sa.Integer),
            sa.Column('new_instance_type_id', sa.Integer),
            sa.Column('instance_uuid', sa.String(36),
                      _fk_instance('fk_migrations_instance_uuid')),
            sa.Column('uuid', sa.String(36), nullable=True),
            sa.Column('status', sa.String(255)),
            sa.Column('migration_type',
                      sa.Enum('migration', 'resize', 'live-migration', 'evacuation',
                              name='migration_type'),
                      nullable=True),
            sa.Column('hidden', sa.Boolean),
            sa.Column('memory_total', sa.BigInteger, nullable=True),
            sa.Column('memory_processed', sa.BigInteger, nullable=True),
            sa.Column('memory_remaining', sa.BigInteger, nullable=True),
            sa.Column('disk_total', sa.BigInteger, nullable=True),
            sa.Column('disk_processed', sa.BigInteger, nullable=True),
            sa.Column('disk_remaining', sa.BigInteger, nullable=True),
            sa.Column('cross_cell_move', sa.Boolean),
            sa.Column('user_id', sa.String(255), nullable=True),
            sa.Column('project_id', sa.String(255), nullable=True),
        ],
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
    _table(
        'tags',
        lambda: [
            sa.Column('resource_id', sa.String(36), primary_key=True, nullable=False),
            sa.Column('tag', sa.Unicode(80), primary_key=True, nullable=False),
        ],
        sa.Index('tags_tag_idx', 'tag'),
        soft_delete=False,
        timestamps=False,
    )
    _table(
        'console_auth_tokens',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('token_hash', sa.String(255), nullable=False),
            sa.Column('console_type', sa.String(255), nullable=False),
            sa.Column('host', sa.String(255), nullable=False),
            sa.Column('port', sa.Integer, nullable=False),
            sa.Column('tls_port', sa.Integer),
            sa.Column('internal_access_path', sa.String(255)),
            sa.Column('instance_uuid', sa.String(36), nullable=False),
            sa.Column('expires', sa.Integer, nullable=False),
            sa.Column('access_url_base', sa.String(255)),
        ],
        sa.Index('console_auth_tokens_instance_uuid_idx', 'instance_uuid'),
        sa.Index('console_auth_tokens_host_expires_idx', 'host', 'expires'),
        sa.Index('console_auth_tokens_token_hash_instance_uuid_idx',
                 'token_hash', 'instance_uuid'),
        sa.UniqueConstraint('token_hash', name='uniq_console_auth_tokens0token_hash'),
        soft_delete=False,
    )
    _table(
        'share_mapping',
        lambda: [
            sa.Column('id', sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                      primary_key=True, autoincrement=True, nullable=False),
            sa.Column('uuid', sa.String(36)),
            sa.Column('instance_uuid', sa.String(36),
                      _fk_instance('share_mapping_instance_uuid_fkey')),
            sa.Column('share_id', sa.String(36)),
            sa.Column('status', sa.String(32)),
            sa.Column('tag', sa.String(48)),
            sa.Column('export_location', sa.Text),
            sa.Column('share_proto', sa.String(32)),
        ],
        sa.UniqueConstraint('instance_uuid', 'share_id',
                            name='uniq_key_pairs0instance_uuid0share_id'),
        sa.UniqueConstraint('instance_uuid', 'tag', name='uniq_key_pairs0instance_uuid0tag'),
        sa.Index('share_idx', 'share_id'),
        sa.Index('share_mapping_instance_uuid_share_id_idx', 'instance_uuid', 'share_id'),
        soft_delete=False,
    )


# --- legacy security groups and quotas -----------------------------------------------

def _security_groups():
    _table(
        'security_groups',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('name', sa.String(255)),
            sa.Column('description', sa.String(255)),
            sa.Column('user_id', sa.String(255)),
            sa.Column('project_id', sa.String(255)),
        ],
        sa.UniqueConstraint('project_id', 'name', 'deleted',
                            name='uniq_security_groups0project_id0name0deleted'),
    )
    _table(
        'security_group_instance_association',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('security_group_id', sa.Integer, sa.ForeignKey('security_groups.id')),
            sa.Column('instance_uuid', sa.String(36),
                      _fk_instance('security_group_instance_association_instance_uuid_fkey')),
        ],
        sa.Index('security_group_instance_association_instance_uuid_idx', 'instance_uuid'),
    )
    _table(
        'security_group_rules',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('parent_group_id', sa.Integer, sa.ForeignKey('security_groups.id')),
            sa.Column('protocol', sa.String(255)),
            sa.Column('from_port', sa.Integer),
            sa.Column('to_port', sa.Integer),
            sa.Column('cidr', types.CIDR()),
            sa.Column('group_id', sa.Integer, sa.ForeignKey('security_groups.id')),
        ],
    )


def _quotas():
    _table(
        'quotas',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('project_id', sa.String(255)),
            sa.Column('resource', sa.String(255), nullable=False),
            sa.Column('hard_limit', sa.Integer),
        ],
        sa.UniqueConstraint('project_id', 'resource', 'deleted',
                            name='uniq_quotas0project_id0resource0deleted'),
    )
    _table(
        'project_user_quotas',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('project_id', sa.String(255), nullable=False),
            sa.Column('user_id', sa.String(255), nullable=False),
            sa.Column('resource', sa.String(255), nullable=False),
            sa.Column('hard_limit', sa.Integer),
        ],
        sa.UniqueConstraint(
            'user_id', 'project_id', 'resource', 'deleted',
            name='uniq_project_user_quotas0user_id0project_id0resource0deleted'),
        sa.Index('project_user_quotas_project_id_deleted_idx', 'project_id', 'deleted'),
        sa.Index('project_user_quotas_user_id_deleted_idx', 'user_id', 'deleted'),
    )
    _table(
        'quota_classes',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('class_name', sa.String(255)),
            sa.Column('resource', sa.String(255)),
            sa.Column('hard_limit', sa.Integer),
        ],
        sa.Index('ix_quota_classes_class_name', 'class_name'),
    )
    _table(
        'quota_usages',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('project_id', sa.String(255)),
            sa.Column('user_id', sa.String(255)),
            sa.Column('resource', sa.String(255), nullable=False),
            sa.Column('in_use', sa.Integer, nullable=False),
            sa.Column('reserved', sa.Integer, nullable=False),
            sa.Column('until_refresh', sa.Integer),
        ],
        sa.Index('ix_quota_usages_project_id', 'project_id'),
        sa.Index('ix_quota_usages_user_id_deleted', 'user_id', 'deleted'),
    )
    _table(
        'reservations',
        lambda: [
            sa.Column('id', sa.Integer, primary_key=True, nullable=False),
            sa.Column('uuid', sa.String(36), nullable=False),
            sa.Column('usage_id', sa.Integer,
                      sa.ForeignKey('quota_usages.id', name='reservations_ibfk_1'),
                      nullable=False),
            sa.Column('project_id', sa.String(255)),
            sa.Column('user_id', sa.String(255)),
            sa.Column('resource', sa.String(255)),
            sa.Column('delta', sa.Integer, nullable=False),
            sa.Column('expire', sa.DateTime),
        ],
        sa.Index('ix_reservations_project_id', 'project_id'),
        sa.Index('reservations_uuid_idx', 'uuid'),
        sa.Index('reservations_deleted_expire_idx', 'deleted', 'expire'),
        sa.Index('ix_reservations_user_id_deleted', 'user_id', 'deleted'),
    )


def upgrade():
    _services_and_hosts()
    _instances()
    _instance_devices()
    _security_groups()
    _quotas()


def downgrade():
    raise NotImplementedError('Downgrades are not supported')
