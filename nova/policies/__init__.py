"""Policy defaults of every compute API resource, for the enforcer and the sample generator."""

import itertools

from nova.policies import base
from nova.policies import admin_actions
from nova.policies import admin_password
from nova.policies import aggregates
from nova.policies import assisted_volume_snapshots
from nova.policies import attach_interfaces
from nova.policies import availability_zone
from nova.policies import baremetal_nodes
from nova.policies import console_auth_tokens
from nova.policies import console_output
from nova.policies import create_backup
from nova.policies import deferred_delete
from nova.policies import evacuate
from nova.policies import extended_server_attributes
from nova.policies import extensions
from nova.policies import flavor_access
from nova.policies import flavor_extra_specs
from nova.policies import flavor_manage
from nova.policies import floating_ip_pools
from nova.policies import floating_ips
from nova.policies import hosts
from nova.policies import hypervisors
from nova.policies import instance_actions
from nova.policies import instance_usage_audit_log
from nova.policies import ips
from nova.policies import keypairs
from nova.policies import limits
from nova.policies import lock_server
from nova.policies import migrate_server
from nova.policies import migrations
from nova.policies import multinic
from nova.policies import networks
from nova.policies import pause_server
from nova.policies import quota_class_sets
from nova.policies import quota_sets
from nova.policies import remote_consoles
from nova.policies import rescue
from nova.policies import security_groups
from nova.policies import server_diagnostics
from nova.policies import server_external_events
from nova.policies import server_groups
from nova.policies import server_metadata
from nova.policies import server_password
from nova.policies import server_shares
from nova.policies import server_tags
from nova.policies import server_topology
from nova.policies import servers
from nova.policies import services
from nova.policies import shelve
from nova.policies import simple_tenant_usage
from nova.policies import suspend_server
from nova.policies import tenant_networks
from nova.policies import unrescue
from nova.policies import volumes
from nova.policies import volumes_attachments


_MODULES = (
    base,
    admin_actions,
    admin_password,
    aggregates,
    assisted_volume_snapshots,
    attach_interfaces,
    availability_zone,
    baremetal_nodes,
    console_auth_tokens,
    console_output,
    create_backup,
    deferred_delete,
    evacuate,
    extended_server_attributes,
    extensions,
    flavor_access,
    flavor_extra_specs,
    flavor_manage,
    floating_ip_pools,
    floating_ips,
    hosts,
    hypervisors,
    instance_actions,
    instance_usage_audit_log,
    ips,
    keypairs,
    limits,
    lock_server,
    migrate_server,
    migrations,
    multinic,
    networks,
    pause_server,
    quota_class_sets,
    quota_sets,
    remote_consoles,
    rescue,
    security_groups,
    server_diagnostics,
    server_external_events,
    server_groups,
    server_metadata,
    server_password,
    server_shares,
    server_tags,
    server_topology,
    servers,
    services,
    shelve,
    simple_tenant_usage,
    suspend_server,
    tenant_networks,
    unrescue,
    volumes,
    volumes_attachments,
)


def list_rules():
    return list(itertools.chain.from_iterable(m.list_rules() for m in _MODULES))
