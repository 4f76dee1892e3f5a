"""SQLAlchemy models of the API database.

The API database is global to a deployment: cell and host mappings, flavors,
keypairs, server groups, aggregates, quotas and the transient records of a
server being built (build requests, request specs). Table, column, index and
constraint names follow upstream Nova so existing databases and tools keep
working. The placement tables that upstream still carries are kept too, so a
schema created here matches one created by upstream.
"""

import logging

from oslo_db.sqlalchemy import models
import sqlalchemy as sa
from sqlalchemy import orm

from nova.db import types
from nova.db.model_base import table_args as _table_args

LOG = logging.getLogger(__name__)


class BASE(orm.DeclarativeBase):
    """Declarative base of every API database model."""


class _NovaAPIBase(models.ModelBase, models.TimestampMixin):
    """Every API table carries created_at/updated_at but no soft delete."""


# --- aggregates ---------------------------------------------------------------

class AggregateHost(BASE, _NovaAPIBase):
    """A compute host that belongs to an aggregate."""
    __tablename__ = 'aggregate_hosts'
    __table_args__ = _table_args(
        sa.UniqueConstraint('host', 'aggregate_id',
                            name='uniq_aggregate_hosts0host0aggregate_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    host = sa.Column(sa.String(255))
    aggregate_id = sa.Column(sa.Integer, sa.ForeignKey('aggregates.id'), nullable=False)


class AggregateMetadata(BASE, _NovaAPIBase):
    """One key/value pair attached to an aggregate."""
    __tablename__ = 'aggregate_metadata'
    __table_args__ = _table_args(
        sa.UniqueConstraint('aggregate_id', 'key',
                            name='uniq_aggregate_metadata0aggregate_id0key'),
        sa.Index('aggregate_metadata_key_idx', 'key'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    key = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.String(255), nullable=False)
    aggregate_id = sa.Column(sa.Integer, sa.ForeignKey('aggregates.id'), nullable=False)


class Aggregate(BASE, _NovaAPIBase):
    """A named group of hosts, optionally exposed as an availability zone."""
    __tablename__ = 'aggregates'
    __table_args__ = _table_args(
        sa.Index('aggregate_uuid_idx', 'uuid'),
        sa.UniqueConstraint('name', name='uniq_aggregate0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = sa.Column(sa.String(36))
    name = sa.Column(sa.String(255))
    _hosts = orm.relationship(
        AggregateHost, primaryjoin='Aggregate.id == AggregateHost.aggregate_id',
        cascade='save-update, merge, delete')
    _metadata = orm.relationship(
        AggregateMetadata, primaryjoin='Aggregate.id == AggregateMetadata.aggregate_id',
        cascade='save-update, merge, delete')

    @property
    def _extra_keys(self):
        return ['hosts', 'metadetails', 'availability_zone']

    @property
    def hosts(self):
        return [h.host for h in self._hosts]

    @property
    def metadetails(self):
        return {m.key: m.value for m in self._metadata}

    @property
    def availability_zone(self):
        return self.metadetails.get('availability_zone')


# --- cells v2 mappings ----------------------------------------------------------

class CellMapping(BASE, _NovaAPIBase):
    """Where a cell's database and message queue live."""
    __tablename__ = 'cell_mappings'
    __table_args__ = _table_args(
        sa.Index('uuid_idx', 'uuid'),
        sa.UniqueConstraint('uuid', name='uniq_cell_mappings0uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255))
    transport_url = sa.Column(sa.Text())
    database_connection = sa.Column(sa.Text())
    disabled = sa.Column(sa.Boolean, default=False)


class InstanceMapping(BASE, _NovaAPIBase):
    """Which cell (if any yet) holds a given instance."""
    __tablename__ = 'instance_mappings'
    __table_args__ = _table_args(
        sa.Index('project_id_idx', 'project_id'),
        sa.Index('instance_uuid_idx', 'instance_uuid'),
        sa.UniqueConstraint('instance_uuid', name='uniq_instance_mappings0instance_uuid'),
        sa.Index('instance_mappings_user_id_project_id_idx', 'user_id', 'project_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    instance_uuid = sa.Column(sa.String(36), nullable=False)
    cell_id = sa.Column(sa.Integer, sa.ForeignKey('cell_mappings.id'), nullable=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=True)
    queued_for_delete = sa.Column(sa.Boolean)
    cell_mapping = orm.relationship(
        CellMapping, foreign_keys=[cell_id],
        primaryjoin='InstanceMapping.cell_id == CellMapping.id')


class HostMapping(BASE, _NovaAPIBase):
    """Which cell a compute host belongs to."""
    __tablename__ = 'host_mappings'
    __table_args__ = _table_args(
        sa.Index('host_idx', 'host'),
        sa.UniqueConstraint('host', name='uniq_host_mappings0host'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    cell_id = sa.Column(sa.Integer, sa.ForeignKey('cell_mappings.id'), nullable=False)
    host = sa.Column(sa.String(255), nullable=False)
    cell_mapping = orm.relationship(
        CellMapping, foreign_keys=[cell_id],
        primaryjoin='HostMapping.cell_id == CellMapping.id')


# --- builds in flight -----------------------------------------------------------

class RequestSpec(BASE, _NovaAPIBase):
    """The serialized scheduling request of an instance, kept for moves."""
    __tablename__ = 'request_specs'
    __table_args__ = _table_args(
        sa.Index('request_spec_instance_uuid_idx', 'instance_uuid'),
        sa.UniqueConstraint('instance_uuid', name='uniq_request_specs0instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    instance_uuid = sa.Column(sa.String(36), nullable=False)
    spec = sa.Column(types.MediumText(), nullable=False)


class BuildRequest(BASE, _NovaAPIBase):
    """A server accepted by the API but not yet placed in a cell."""
    __tablename__ = 'build_requests'
    __table_args__ = _table_args(
        sa.Index('build_requests_instance_uuid_idx', 'instance_uuid'),
        sa.Index('build_requests_project_id_idx', 'project_id'),
        sa.UniqueConstraint('instance_uuid', name='uniq_build_requests0instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    instance_uuid = sa.Column(sa.String(36))
    project_id = sa.Column(sa.String(255), nullable=False)
    instance = sa.Column(types.MediumText())
    block_device_mappings = sa.Column(types.MediumText())
    tags = sa.Column(sa.Text())


# --- flavors --------------------------------------------------------------------

class Flavors(BASE, _NovaAPIBase):
    """A flavor: the size and shape offered for new servers."""
    __tablename__ = 'flavors'
    __table_args__ = _table_args(
        sa.UniqueConstraint('flavorid', name='uniq_flavors0flavorid'),
        sa.UniqueConstraint('name', name='uniq_flavors0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(255), nullable=False)
    memory_mb = sa.Column(sa.Integer, nullable=False)
    vcpus = sa.Column(sa.Integer, nullable=False)
    root_gb = sa.Column(sa.Integer)
    ephemeral_gb = sa.Column(sa.Integer)
    flavorid = sa.Column(sa.String(255), nullable=False)
    swap = sa.Column(sa.Integer, nullable=False, default=0)
    rxtx_factor = sa.Column(sa.Float, default=1)
    vcpu_weight = sa.Column(sa.Integer)
    disabled = sa.Column(sa.Boolean, default=False)
    is_public = sa.Column(sa.Boolean, default=True)
    description = sa.Column(sa.Text)


class FlavorExtraSpecs(BASE, _NovaAPIBase):
    """A key/value extra spec of a flavor (case-sensitive keys on MySQL)."""
    __tablename__ = 'flavor_extra_specs'
    __table_args__ = _table_args(
        sa.Index('flavor_extra_specs_flavor_id_key_idx', 'flavor_id', 'key'),
        sa.UniqueConstraint('flavor_id', 'key', name='uniq_flavor_extra_specs0flavor_id0key'),
        mysql_collate='utf8_bin',
    )

    id = sa.Column(sa.Integer, primary_key=True)
    key = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.String(255))
    flavor_id = sa.Column(sa.Integer, sa.ForeignKey('flavors.id'), nullable=False)
    flavor = orm.relationship(
        Flavors, backref='extra_specs', foreign_keys=[flavor_id],
        primaryjoin='FlavorExtraSpecs.flavor_id == Flavors.id')


class FlavorProjects(BASE, _NovaAPIBase):
    """A project granted access to a private flavor."""
    __tablename__ = 'flavor_projects'
    __table_args__ = _table_args(
        sa.UniqueConstraint('flavor_id', 'project_id',
                            name='uniq_flavor_projects0flavor_id0project_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    flavor_id = sa.Column(sa.Integer, sa.ForeignKey('flavors.id'), nullable=False)
    project_id = sa.Column(sa.String(255), nullable=False)
    flavor = orm.relationship(
        Flavors, backref='projects', foreign_keys=[flavor_id],
        primaryjoin='FlavorProjects.flavor_id == Flavors.id')


# --- keypairs -------------------------------------------------------------------

class KeyPair(BASE, _NovaAPIBase):
    """A user's public key (ssh or x509) injected into servers."""
    __tablename__ = 'key_pairs'
    __table_args__ = _table_args(
        sa.UniqueConstraint('user_id', 'name', name='uniq_key_pairs0user_id0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=False)
    fingerprint = sa.Column(sa.String(255))
    public_key = sa.Column(sa.Text())
    type = sa.Column(sa.Enum('ssh', 'x509', name='keypair_types'),
                     nullable=False, server_default='ssh')


# --- placement leftovers (unused since placement moved out, kept for parity) -----

class ResourceClass(BASE, _NovaAPIBase):
    """Unused: placement resource classes, kept so the schema matches upstream."""
    __tablename__ = 'resource_classes'
    __table_args__ = _table_args(
        sa.UniqueConstraint('name', name='uniq_resource_classes0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    name = sa.Column(sa.String(255), nullable=False)


class ResourceProvider(BASE, _NovaAPIBase):
    """Unused: placement resource providers, kept so the schema matches upstream."""
    __tablename__ = 'resource_providers'
    __table_args__ = _table_args(
        sa.Index('resource_providers_uuid_idx', 'uuid'),
        sa.UniqueConstraint('uuid', name='uniq_resource_providers0uuid'),
        sa.Index('resource_providers_name_idx', 'name'),
        sa.Index('resource_providers_root_provider_id_idx', 'root_provider_id'),
        sa.Index('resource_providers_parent_provider_id_idx', 'parent_provider_id'),
        sa.UniqueConstraint('name', name='uniq_resource_providers0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.Unicode(200), nullable=True)
    generation = sa.Column(sa.Integer, default=0)
    root_provider_id = sa.Column(
        sa.Integer, sa.ForeignKey('resource_providers.id'), nullable=True)
    parent_provider_id = sa.Column(
        sa.Integer, sa.ForeignKey('resource_providers.id'), nullable=True)


class Inventory(BASE, _NovaAPIBase):
    """Unused: placement inventories, kept so the schema matches upstream."""
    __tablename__ = 'inventories'
    __table_args__ = _table_args(
        sa.Index('inventories_resource_provider_id_idx', 'resource_provider_id'),
        sa.Index('inventories_resource_class_id_idx', 'resource_class_id'),
        sa.Index('inventories_resource_provider_resource_class_idx',
                 'resource_provider_id', 'resource_class_id'),
        sa.UniqueConstraint('resource_provider_id', 'resource_class_id',
                            name='uniq_inventories0resource_provider_resource_class'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    resource_provider_id = sa.Column(sa.Integer, nullable=False)
    resource_class_id = sa.Column(sa.Integer, nullable=False)
    total = sa.Column(sa.Integer, nullable=False)
    reserved = sa.Column(sa.Integer, nullable=False)
    min_unit = sa.Column(sa.Integer, nullable=False)
    max_unit = sa.Column(sa.Integer, nullable=False)
    step_size = sa.Column(sa.Integer, nullable=False)
    allocation_ratio = sa.Column(sa.Float, nullable=False)


class Allocation(BASE, _NovaAPIBase):
    """Unused: placement allocations, kept so the schema matches upstream."""
    __tablename__ = 'allocations'
    __table_args__ = _table_args(
        sa.Index('allocations_resource_provider_class_used_idx',
                 'resource_provider_id', 'resource_class_id', 'used'),
        sa.Index('allocations_resource_class_id_idx', 'resource_class_id'),
        sa.Index('allocations_consumer_id_idx', 'consumer_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    resource_provider_id = sa.Column(sa.Integer, nullable=False)
    consumer_id = sa.Column(sa.String(36), nullable=False)
    resource_class_id = sa.Column(sa.Integer, nullable=False)
    used = sa.Column(sa.Integer, nullable=False)


class ResourceProviderAggregate(BASE, _NovaAPIBase):
    """Unused: placement provider/aggregate links, kept for schema parity."""
    __tablename__ = 'resource_provider_aggregates'
    __table_args__ = _table_args(
        sa.Index('resource_provider_aggregates_aggregate_id_idx', 'aggregate_id'),
    )

    resource_provider_id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    aggregate_id = sa.Column(sa.Integer, primary_key=True, nullable=False)


class PlacementAggregate(BASE, _NovaAPIBase):
    """Unused: placement aggregates, kept so the schema matches upstream."""
    __tablename__ = 'placement_aggregates'
    __table_args__ = _table_args(
        sa.UniqueConstraint('uuid', name='uniq_placement_aggregates0uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = sa.Column(sa.String(36), index=True)


class Trait(BASE, _NovaAPIBase):
    """Unused: placement traits, kept so the schema matches upstream."""
    __tablename__ = 'traits'
    __table_args__ = _table_args(
        sa.UniqueConstraint('name', name='uniq_traits0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    name = sa.Column(sa.Unicode(255), nullable=False)


class ResourceProviderTrait(BASE, _NovaAPIBase):
    """Unused: placement provider/trait links, kept so the schema matches upstream."""
    __tablename__ = 'resource_provider_traits'
    __table_args__ = _table_args(
        sa.Index('resource_provider_traits_resource_provider_trait_idx',
                 'resource_provider_id', 'trait_id'),
    )

    trait_id = sa.Column(sa.Integer, sa.ForeignKey('traits.id'),
                         primary_key=True, nullable=False)
    resource_provider_id = sa.Column(sa.Integer, sa.ForeignKey('resource_providers.id'),
                                     primary_key=True, nullable=False)


class Project(BASE, _NovaAPIBase):
    """Unused: placement's copy of keystone projects, kept for schema parity."""
    __tablename__ = 'projects'
    __table_args__ = _table_args(
        sa.UniqueConstraint('external_id', name='uniq_projects0external_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    external_id = sa.Column(sa.String(255), nullable=False)


class User(BASE, _NovaAPIBase):
    """Unused: placement's copy of keystone users, kept for schema parity."""
    __tablename__ = 'users'
    __table_args__ = _table_args(
        sa.UniqueConstraint('external_id', name='uniq_users0external_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    external_id = sa.Column(sa.String(255), nullable=False)


class Consumer(BASE, _NovaAPIBase):
    """Unused: placement consumers, kept so the schema matches upstream."""
    __tablename__ = 'consumers'
    __table_args__ = _table_args(
        sa.Index('consumers_project_id_uuid_idx', 'project_id', 'uuid'),
        sa.Index('consumers_project_id_user_id_uuid_idx', 'project_id', 'user_id', 'uuid'),
        sa.UniqueConstraint('uuid', name='uniq_consumers0uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    project_id = sa.Column(sa.Integer, nullable=False)
    user_id = sa.Column(sa.Integer, nullable=False)
    generation = sa.Column(sa.Integer, nullable=False, server_default='0', default=0)


# --- server groups --------------------------------------------------------------

class InstanceGroupMember(BASE, _NovaAPIBase):
    """An instance that is a member of a server group."""
    __tablename__ = 'instance_group_member'
    __table_args__ = _table_args(
        sa.Index('instance_group_member_instance_idx', 'instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    instance_uuid = sa.Column(sa.String(255))
    group_id = sa.Column(sa.Integer, sa.ForeignKey('instance_groups.id'), nullable=False)


class InstanceGroupPolicy(BASE, _NovaAPIBase):
    """The (anti-)affinity policy of a server group and its rules (JSON)."""
    __tablename__ = 'instance_group_policy'
    __table_args__ = _table_args(
        sa.Index('instance_group_policy_policy_idx', 'policy'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    policy = sa.Column(sa.String(255))
    group_id = sa.Column(sa.Integer, sa.ForeignKey('instance_groups.id'), nullable=False)
    rules = sa.Column(sa.Text)


class InstanceGroup(BASE, _NovaAPIBase):
    """A server group: instances scheduled together under one policy."""
    __tablename__ = 'instance_groups'
    __table_args__ = _table_args(
        sa.UniqueConstraint('uuid', name='uniq_instance_groups0uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255))
    _policies = orm.relationship(
        InstanceGroupPolicy, primaryjoin='InstanceGroup.id == InstanceGroupPolicy.group_id')
    _members = orm.relationship(
        InstanceGroupMember, primaryjoin='InstanceGroup.id == InstanceGroupMember.group_id')

    @property
    def policy(self):
        """The group's single policy row (upstream never stores more than one)."""
        if len(self._policies) > 1:
            LOG.warning('Server group %s has %d policies; using the first one',
                        self.name, len(self._policies))
        return self._policies[0] if self._policies else None

    @property
    def members(self):
        return [m.instance_uuid for m in self._members]


# --- quotas ---------------------------------------------------------------------

class Quota(BASE, _NovaAPIBase):
    """A per-project quota limit; a NULL hard_limit means unlimited."""
    __tablename__ = 'quotas'
    __table_args__ = _table_args(
        sa.UniqueConstraint('project_id', 'resource', name='uniq_quotas0project_id0resource'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    project_id = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255), nullable=False)
    hard_limit = sa.Column(sa.Integer)


class ProjectUserQuota(BASE, _NovaAPIBase):
    """A quota limit for one user inside a project."""
    __tablename__ = 'project_user_quotas'
    __table_args__ = _table_args(
        sa.UniqueConstraint('user_id', 'project_id', 'resource',
                            name='uniq_project_user_quotas0user_id0project_id0resource'),
        sa.Index('project_user_quotas_project_id_idx', 'project_id'),
        sa.Index('project_user_quotas_user_id_idx', 'user_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    project_id = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=False)
    resource = sa.Column(sa.String(255), nullable=False)
    hard_limit = sa.Column(sa.Integer)


class QuotaClass(BASE, _NovaAPIBase):
    """A quota limit for a quota class (only 'default' is used in practice)."""
    __tablename__ = 'quota_classes'
    __table_args__ = _table_args(
        sa.Index('quota_classes_class_name_idx', 'class_name'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    class_name = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255))
    hard_limit = sa.Column(sa.Integer)


class QuotaUsage(BASE, _NovaAPIBase):
    """Legacy reservation-based quota usage (counting quotas replaced it)."""
    __tablename__ = 'quota_usages'
    __table_args__ = _table_args(
        sa.Index('quota_usages_project_id_idx', 'project_id'),
        sa.Index('quota_usages_user_id_idx', 'user_id'),
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


class Reservation(BASE, _NovaAPIBase):
    """Legacy quota reservation against a usage row."""
    __tablename__ = 'reservations'
    __table_args__ = _table_args(
        sa.Index('reservations_project_id_idx', 'project_id'),
        sa.Index('reservations_uuid_idx', 'uuid'),
        sa.Index('reservations_expire_idx', 'expire'),
        sa.Index('reservations_user_id_idx', 'user_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False)
    uuid = sa.Column(sa.String(36), nullable=False)
    usage_id = sa.Column(sa.Integer, sa.ForeignKey('quota_usages.id'), nullable=False)
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255))
    delta = sa.Column(sa.Integer, nullable=False)
    expire = sa.Column(sa.DateTime)
    usage = orm.relationship(
        QuotaUsage, foreign_keys=[usage_id],
        primaryjoin='Reservation.usage_id == QuotaUsage.id')
