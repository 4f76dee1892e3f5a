"""Every compute API route, in one list: ``(path, {METHOD: (controller_factory, action)})``.

The list is ordered by resource (the path's first segment, alphabetically;
a server's sub-resources under ``/servers``).  Within a resource, literal
paths (``/servers/detail``) come before the ``{id}`` they would otherwise
match.  A value that is a string instead of a dict is a redirect target.
The router builds one Resource per controller factory; ``action`` is the
controller method name, or ``'action'`` for ``POST .../action`` whose body
key picks an ``@wsgi.action``.  To add a resource: import its module, add
its controller below and its paths at its place in ``ROUTE_LIST``.
"""

import functools

from nova.api.openstack.compute import admin_actions
from nova.api.openstack.compute import aggregates
from nova.api.openstack.compute import attach_interfaces
from nova.api.openstack.compute import availability_zone
from nova.api.openstack.compute import baremetal_nodes
from nova.api.openstack.compute import console_auth_tokens
from nova.api.openstack.compute import console_output
from nova.api.openstack.compute import consoles
from nova.api.openstack.compute import create_backup
from nova.api.openstack.compute import deferred_delete
from nova.api.openstack.compute import evacuate
from nova.api.openstack.compute import extension_info
from nova.api.openstack.compute import flavor_access
from nova.api.openstack.compute import flavor_manage
from nova.api.openstack.compute import flavors
from nova.api.openstack.compute import flavors_extraspecs
from nova.api.openstack.compute import floating_ips
from nova.api.openstack.compute import hosts
from nova.api.openstack.compute import hypervisors
from nova.api.openstack.compute import image_metadata
from nova.api.openstack.compute import images
from nova.api.openstack.compute import instance_actions
from nova.api.openstack.compute import instance_usage_audit_log
from nova.api.openstack.compute import ips
from nova.api.openstack.compute import keypairs
from nova.api.openstack.compute import limits
from nova.api.openstack.compute import live_migrate
from nova.api.openstack.compute import lock_server
from nova.api.openstack.compute import migrations
from nova.api.openstack.compute import networks
from nova.api.openstack.compute import pause_server
from nova.api.openstack.compute import quota_classes
from nova.api.openstack.compute import quota_sets
from nova.api.openstack.compute import remote_consoles
from nova.api.openstack.compute import removed
from nova.api.openstack.compute import rescue
from nova.api.openstack.compute import security_groups
from nova.api.openstack.compute import server_actions
from nova.api.openstack.compute import server_diagnostics
from nova.api.openstack.compute import server_external_events
from nova.api.openstack.compute import server_groups
from nova.api.openstack.compute import server_metadata
from nova.api.openstack.compute import server_migrations
from nova.api.openstack.compute import server_password
from nova.api.openstack.compute import server_rebuild
from nova.api.openstack.compute import server_resize
from nova.api.openstack.compute import server_shares
from nova.api.openstack.compute import server_tags
from nova.api.openstack.compute import server_topology
from nova.api.openstack.compute import servers
from nova.api.openstack.compute import services
from nova.api.openstack.compute import shelve
from nova.api.openstack.compute import simple_tenant_usage
from nova.api.openstack.compute import suspend_server
from nova.api.openstack.compute import versions
from nova.api.openstack.compute import volume_attachments
from nova.api.openstack.compute import volumes
from nova.api.openstack import wsgi


def _once(cls):
    """A factory returning one shared controller instance."""
    return functools.lru_cache(maxsize=None)(cls)


aggregate_controller = _once(aggregates.AggregateController)
availability_zone_controller = _once(availability_zone.AvailabilityZoneController)
baremetal_nodes_controller = _once(baremetal_nodes.BareMetalNodeController)
console_auth_tokens_controller = _once(console_auth_tokens.ConsoleAuthTokensController)
consoles_controller = _once(consoles.ConsolesController)
extension_info_controller = _once(extension_info.ExtensionInfoController)
flavor_access_controller = _once(flavor_access.FlavorAccessController)
flavor_controller = _once(flavors.FlavorsController)
flavor_extraspec_controller = _once(flavors_extraspecs.FlavorExtraSpecsController)
flavor_manage_controller = _once(flavor_manage.FlavorManageController)
floating_ip_controller = _once(floating_ips.FloatingIPController)
floating_ip_pools_controller = _once(floating_ips.FloatingIPPoolsController)
gone_controller = _once(removed.GoneController)
gone_fixed_ip_actions_controller = _once(removed.FixedIpActionsGoneController)
gone_network_actions_controller = _once(removed.NetworkActionsGoneController)
hosts_controller = _once(hosts.HostController)
hypervisor_controller = _once(hypervisors.HypervisorsController)
image_metadata_controller = _once(image_metadata.ImageMetadataController)
images_controller = _once(images.ImagesController)
instance_actions_controller = _once(instance_actions.InstanceActionsController)
interface_controller = _once(attach_interfaces.InterfaceAttachmentController)
ips_controller = _once(ips.IPsController)
keypair_controller = _once(keypairs.KeypairController)
limits_controller = _once(limits.LimitsController)
migration_controller = _once(migrations.MigrationsController)
network_controller = _once(networks.NetworkController)
quota_class_controller = _once(quota_classes.QuotaClassSetsController)
quota_set_controller = _once(quota_sets.QuotaSetsController)
security_group_controller = _once(security_groups.SecurityGroupController)
security_group_rules_controller = _once(security_groups.SecurityGroupRulesController)
server_security_group_controller = _once(security_groups.ServerSecurityGroupController)
remote_consoles_controller = _once(remote_consoles.RemoteConsolesController)
server_controller = _once(servers.ServersController)
server_diagnostics_controller = _once(server_diagnostics.ServerDiagnosticsController)
server_external_events_controller = _once(
    server_external_events.ServerExternalEventsController)
server_groups_controller = _once(server_groups.ServerGroupController)
server_metadata_controller = _once(server_metadata.ServerMetadataController)
server_migrations_controller = _once(server_migrations.ServerMigrationsController)
server_password_controller = _once(server_password.ServerPasswordController)
server_shares_controller = _once(server_shares.ServerSharesController)
server_tags_controller = _once(server_tags.ServerTagsController)
server_topology_controller = _once(server_topology.ServerTopologyController)
service_controller = _once(services.ServiceController)
tenant_network_controller = _once(networks.TenantNetworkController)
usage_audit_log_controller = _once(instance_usage_audit_log.InstanceUsageAuditLogController)
usage_controller = _once(simple_tenant_usage.SimpleTenantUsageController)
version_controller = _once(versions.VersionsController)
volume_attachment_controller = _once(volume_attachments.VolumeAttachmentController)
volume_controller = _once(volumes.VolumeController)
snapshot_controller = _once(volumes.SnapshotController)

# Controllers whose @wsgi.action methods answer POST /servers/{id}/action; the
# body's single key picks the method. Append a controller here to add actions.
SERVER_ACTION_CONTROLLERS = [
    server_actions.ServerActionsController,
    pause_server.PauseServerController,
    suspend_server.SuspendServerController,
    lock_server.LockServerController,
    console_output.ConsoleOutputController,
    create_backup.CreateBackupController,
    admin_actions.AdminActionsController,
    deferred_delete.DeferredDeleteController,
    remote_consoles.RemoteConsolesController,
    server_resize.ServerResizeController,
    server_rebuild.ServerRebuildController,
    rescue.RescueController,
    shelve.ShelveController,
    evacuate.EvacuateController,
    live_migrate.LiveMigrateController,
    floating_ips.FloatingIPActionController,
    security_groups.SecurityGroupActionController,
]


@functools.lru_cache(maxsize=None)
def server_action_controller():
    return wsgi.ActionDispatcher([factory() for factory in SERVER_ACTION_CONTROLLERS])


def _gone(*methods):
    """Every listed ``(METHOD, action)`` answers 410: removed upstream."""
    return {method: (gone_controller, name) for method, name in methods}


ROUTE_LIST = [
    ('/', {'GET': (version_controller, 'show')}),
    # Deprecated: old clients still call it.
    ('/extensions', {'GET': (extension_info_controller, 'index')}),
    ('/extensions/{id}', {'GET': (extension_info_controller, 'show')}),
    ('/flavors', {
        'GET': (flavor_controller, 'index'),
        'POST': (flavor_manage_controller, 'create'),
    }),
    ('/flavors/detail', {'GET': (flavor_controller, 'detail')}),
    ('/flavors/{id}', {
        'GET': (flavor_controller, 'show'),
        'PUT': (flavor_manage_controller, 'update'),
        'DELETE': (flavor_manage_controller, 'delete'),
    }),
    ('/flavors/{id}/action', {'POST': (flavor_access_controller, 'action')}),
    ('/flavors/{flavor_id}/os-extra_specs', {
        'GET': (flavor_extraspec_controller, 'index'),
        'POST': (flavor_extraspec_controller, 'create'),
    }),
    ('/flavors/{flavor_id}/os-extra_specs/{id}', {
        'GET': (flavor_extraspec_controller, 'show'),
        'PUT': (flavor_extraspec_controller, 'update'),
        'DELETE': (flavor_extraspec_controller, 'delete'),
    }),
    ('/flavors/{flavor_id}/os-flavor-access', {
        'GET': (flavor_access_controller, 'index'),
    }),
    # The image proxy (up to 2.35).
    ('/images', {'GET': (images_controller, 'index')}),
    ('/images/detail', {'GET': (images_controller, 'detail')}),
    ('/images/{id}', {
        'GET': (images_controller, 'show'),
        'DELETE': (images_controller, 'delete'),
    }),
    ('/images/{image_id}/metadata', {
        'GET': (image_metadata_controller, 'index'),
        'POST': (image_metadata_controller, 'create'),
        'PUT': (image_metadata_controller, 'update_all'),
    }),
    ('/images/{image_id}/metadata/{id}', {
        'GET': (image_metadata_controller, 'show'),
        'PUT': (image_metadata_controller, 'update'),
        'DELETE': (image_metadata_controller, 'delete'),
    }),
    ('/limits', {'GET': (limits_controller, 'index')}),
    ('/os-agents', _gone(('GET', 'index'), ('POST', 'create'))),
    ('/os-agents/{id}', _gone(('PUT', 'update'), ('DELETE', 'delete'))),
    ('/os-aggregates', {
        'GET': (aggregate_controller, 'index'),
        'POST': (aggregate_controller, 'create'),
    }),
    ('/os-aggregates/{id}', {
        'GET': (aggregate_controller, 'show'),
        'PUT': (aggregate_controller, 'update'),
        'DELETE': (aggregate_controller, 'delete'),
    }),
    ('/os-aggregates/{id}/action', {'POST': (aggregate_controller, 'action')}),
    ('/os-aggregates/{id}/images', {'POST': (aggregate_controller, 'images')}),
    ('/os-availability-zone', {'GET': (availability_zone_controller, 'index')}),
    ('/os-availability-zone/detail', {'GET': (availability_zone_controller, 'detail')}),
    # The Ironic proxy (up to 2.35).
    ('/os-baremetal-nodes', {
        'GET': (baremetal_nodes_controller, 'index'),
        'POST': (baremetal_nodes_controller, 'create'),
    }),
    ('/os-baremetal-nodes/{id}', {
        'GET': (baremetal_nodes_controller, 'show'),
        'DELETE': (baremetal_nodes_controller, 'delete'),
    }),
    ('/os-baremetal-nodes/{id}/action', {'POST': (baremetal_nodes_controller, 'action')}),
    ('/os-cells', _gone(('GET', 'index'), ('POST', 'create'))),
    ('/os-cells/capacities', _gone(('GET', 'capacities'))),
    ('/os-cells/detail', _gone(('GET', 'detail'))),
    ('/os-cells/info', _gone(('GET', 'info'))),
    ('/os-cells/sync_instances', _gone(('POST', 'sync_instances'))),
    ('/os-cells/{id}', _gone(('GET', 'show'), ('PUT', 'update'), ('DELETE', 'delete'))),
    ('/os-cells/{id}/capacities', _gone(('GET', 'capacities'))),
    ('/os-certificates', _gone(('POST', 'create'))),
    ('/os-certificates/{id}', _gone(('GET', 'show'))),
    ('/os-cloudpipe', _gone(('GET', 'index'), ('POST', 'create'))),
    ('/os-cloudpipe/{id}', _gone(('PUT', 'update'))),
    ('/os-console-auth-tokens/{id}', {
        'GET': (console_auth_tokens_controller, 'show'),
    }),
    ('/os-fixed-ips/{id}', _gone(('GET', 'show'))),
    ('/os-fixed-ips/{id}/action', {'POST': (gone_fixed_ip_actions_controller, 'action')}),
    ('/os-floating-ip-dns', _gone(('GET', 'index'))),
    ('/os-floating-ip-dns/{id}', _gone(('PUT', 'update'), ('DELETE', 'delete'))),
    ('/os-floating-ip-dns/{domain_id}/entries/{id}',
     _gone(('GET', 'show'), ('PUT', 'update'), ('DELETE', 'delete'))),
    # Up to 2.35.
    ('/os-floating-ip-pools', {'GET': (floating_ip_pools_controller, 'index')}),
    ('/os-floating-ips', {
        'GET': (floating_ip_controller, 'index'),
        'POST': (floating_ip_controller, 'create'),
    }),
    ('/os-floating-ips/{id}', {
        'GET': (floating_ip_controller, 'show'),
        'DELETE': (floating_ip_controller, 'delete'),
    }),
    ('/os-floating-ips-bulk', _gone(('GET', 'index'), ('POST', 'create'))),
    ('/os-floating-ips-bulk/{id}', _gone(('GET', 'show'), ('PUT', 'update'))),
    ('/os-fping', _gone(('GET', 'index'))),
    ('/os-fping/{id}', _gone(('GET', 'show'))),
    # Deprecated (up to 2.42).
    ('/os-hosts', {'GET': (hosts_controller, 'index')}),
    ('/os-hosts/{id}', {
        'GET': (hosts_controller, 'show'),
        'PUT': (hosts_controller, 'update'),
    }),
    ('/os-hosts/{id}/reboot', {'GET': (hosts_controller, 'reboot')}),
    ('/os-hosts/{id}/shutdown', {'GET': (hosts_controller, 'shutdown')}),
    ('/os-hosts/{id}/startup', {'GET': (hosts_controller, 'startup')}),
    ('/os-hypervisors', {'GET': (hypervisor_controller, 'index')}),
    ('/os-hypervisors/detail', {'GET': (hypervisor_controller, 'detail')}),
    ('/os-hypervisors/statistics', {'GET': (hypervisor_controller, 'statistics')}),
    ('/os-hypervisors/{id}', {'GET': (hypervisor_controller, 'show')}),
    ('/os-hypervisors/{id}/search', {'GET': (hypervisor_controller, 'search')}),
    ('/os-hypervisors/{id}/servers', {'GET': (hypervisor_controller, 'servers')}),
    ('/os-hypervisors/{id}/uptime', {'GET': (hypervisor_controller, 'uptime')}),
    ('/os-instance_usage_audit_log', {'GET': (usage_audit_log_controller, 'index')}),
    ('/os-instance_usage_audit_log/{id}', {'GET': (usage_audit_log_controller, 'show')}),
    ('/os-keypairs', {
        'GET': (keypair_controller, 'index'),
        'POST': (keypair_controller, 'create'),
    }),
    ('/os-keypairs/{id}', {
        'GET': (keypair_controller, 'show'),
        'DELETE': (keypair_controller, 'delete'),
    }),
    ('/os-migrations', {'GET': (migration_controller, 'index')}),
    # Up to 2.35; POST and DELETE were nova-network only: 410.
    ('/os-networks', {
        'GET': (network_controller, 'index'),
        'POST': (gone_controller, 'create'),
    }),
    ('/os-networks/{id}', {
        'GET': (network_controller, 'show'),
        'DELETE': (gone_controller, 'delete'),
    }),
    ('/os-networks/add', _gone(('POST', 'add'))),
    ('/os-networks/{id}/action', {'POST': (gone_network_actions_controller, 'action')}),
    ('/os-quota-class-sets/{id}', {
        'GET': (quota_class_controller, 'show'),
        'PUT': (quota_class_controller, 'update'),
    }),
    ('/os-quota-sets/{id}', {
        'GET': (quota_set_controller, 'show'),
        'PUT': (quota_set_controller, 'update'),
        'DELETE': (quota_set_controller, 'delete'),
    }),
    ('/os-quota-sets/{id}/defaults', {'GET': (quota_set_controller, 'defaults')}),
    ('/os-quota-sets/{id}/detail', {'GET': (quota_set_controller, 'detail')}),
    ('/os-security-group-default-rules', _gone(('GET', 'index'), ('POST', 'create'))),
    ('/os-security-group-default-rules/{id}', _gone(('GET', 'show'), ('DELETE', 'delete'))),
    # Up to 2.35.
    ('/os-security-group-rules', {'POST': (security_group_rules_controller, 'create')}),
    ('/os-security-group-rules/{id}', {
        'DELETE': (security_group_rules_controller, 'delete'),
    }),
    ('/os-security-groups', {
        'GET': (security_group_controller, 'index'),
        'POST': (security_group_controller, 'create'),
    }),
    ('/os-security-groups/{id}', {
        'GET': (security_group_controller, 'show'),
        'PUT': (security_group_controller, 'update'),
        'DELETE': (security_group_controller, 'delete'),
    }),
    ('/os-server-external-events', {
        'POST': (server_external_events_controller, 'create'),
    }),
    ('/os-server-groups', {
        'GET': (server_groups_controller, 'index'),
        'POST': (server_groups_controller, 'create'),
    }),
    ('/os-server-groups/{id}', {
        'GET': (server_groups_controller, 'show'),
        'DELETE': (server_groups_controller, 'delete'),
    }),
    ('/os-services', {'GET': (service_controller, 'index')}),
    ('/os-services/{id}', {
        'PUT': (service_controller, 'update'),
        'DELETE': (service_controller, 'delete'),
    }),
    ('/os-simple-tenant-usage', {'GET': (usage_controller, 'index')}),
    ('/os-simple-tenant-usage/{id}', {'GET': (usage_controller, 'show')}),
    # Up to 2.35: proxies to Cinder.
    ('/os-snapshots', {
        'GET': (snapshot_controller, 'index'),
        'POST': (snapshot_controller, 'create'),
    }),
    ('/os-snapshots/detail', {'GET': (snapshot_controller, 'detail')}),
    ('/os-snapshots/{id}', {
        'GET': (snapshot_controller, 'show'),
        'DELETE': (snapshot_controller, 'delete'),
    }),
    # Up to 2.35; POST and DELETE were nova-network only: 410.
    ('/os-tenant-networks', {
        'GET': (tenant_network_controller, 'index'),
        'POST': (gone_controller, 'create'),
    }),
    ('/os-tenant-networks/{id}', {
        'GET': (tenant_network_controller, 'show'),
        'DELETE': (gone_controller, 'delete'),
    }),
    # Up to 2.35: proxies to Cinder.
    ('/os-volumes', {
        'GET': (volume_controller, 'index'),
        'POST': (volume_controller, 'create'),
    }),
    ('/os-volumes/detail', {'GET': (volume_controller, 'detail')}),
    ('/os-volumes/{id}', {
        'GET': (volume_controller, 'show'),
        'DELETE': (volume_controller, 'delete'),
    }),
    # The servers resource under its boot-from-volume alias.
    ('/os-volumes_boot', {
        'GET': (server_controller, 'index'),
        'POST': (server_controller, 'create'),
    }),
    ('/os-volumes_boot/detail', {'GET': (server_controller, 'detail')}),
    ('/os-volumes_boot/{id}', {
        'GET': (server_controller, 'show'),
        'PUT': (server_controller, 'update'),
        'DELETE': (server_controller, 'delete'),
    }),
    ('/servers', {
        'GET': (server_controller, 'index'),
        'POST': (server_controller, 'create'),
    }),
    ('/servers/detail', {'GET': (server_controller, 'detail')}),
    ('/servers/{id}', {
        'GET': (server_controller, 'show'),
        'PUT': (server_controller, 'update'),
        'DELETE': (server_controller, 'delete'),
    }),
    ('/servers/{id}/action', {'POST': (server_action_controller, 'action')}),
    # Removed upstream: 410.
    ('/servers/{server_id}/consoles', {
        'GET': (consoles_controller, 'index'),
        'POST': (consoles_controller, 'create'),
    }),
    ('/servers/{server_id}/consoles/{id}', {
        'GET': (consoles_controller, 'show'),
        'DELETE': (consoles_controller, 'delete'),
    }),
    ('/servers/{server_id}/diagnostics', {
        'GET': (server_diagnostics_controller, 'index'),
    }),
    ('/servers/{server_id}/ips', {'GET': (ips_controller, 'index')}),
    ('/servers/{server_id}/ips/{id}', {'GET': (ips_controller, 'show')}),
    ('/servers/{server_id}/metadata', {
        'GET': (server_metadata_controller, 'index'),
        'POST': (server_metadata_controller, 'create'),
        'PUT': (server_metadata_controller, 'update_all'),
    }),
    ('/servers/{server_id}/metadata/{id}', {
        'GET': (server_metadata_controller, 'show'),
        'PUT': (server_metadata_controller, 'update'),
        'DELETE': (server_metadata_controller, 'delete'),
    }),
    ('/servers/{server_id}/migrations', {'GET': (server_migrations_controller, 'index')}),
    ('/servers/{server_id}/migrations/{id}', {
        'GET': (server_migrations_controller, 'show'),
        'DELETE': (server_migrations_controller, 'delete'),
    }),
    ('/servers/{server_id}/migrations/{id}/action', {
        'POST': (server_migrations_controller, 'action'),
    }),
    ('/servers/{server_id}/os-instance-actions', {
        'GET': (instance_actions_controller, 'index'),
    }),
    ('/servers/{server_id}/os-instance-actions/{id}', {
        'GET': (instance_actions_controller, 'show'),
    }),
    ('/servers/{server_id}/os-interface', {'GET': (interface_controller, 'index'),
                                           'POST': (interface_controller, 'create')}),
    ('/servers/{server_id}/os-interface/{id}', {'GET': (interface_controller, 'show'),
                                                'DELETE': (interface_controller, 'delete')}),
    ('/servers/{server_id}/os-security-groups', {
        'GET': (server_security_group_controller, 'index'),
    }),
    ('/servers/{server_id}/os-server-password', {
        'GET': (server_password_controller, 'index'),
        'DELETE': (server_password_controller, 'clear'),
    }),
    ('/servers/{server_id}/os-virtual-interfaces', _gone(('GET', 'index'))),
    ('/servers/{server_id}/os-volume_attachments', {
        'GET': (volume_attachment_controller, 'index'),
        'POST': (volume_attachment_controller, 'create'),
    }),
    ('/servers/{server_id}/os-volume_attachments/{id}', {
        'GET': (volume_attachment_controller, 'show'),
        'PUT': (volume_attachment_controller, 'update'),
        'DELETE': (volume_attachment_controller, 'delete'),
    }),
    ('/servers/{server_id}/remote-consoles', {
        'POST': (remote_consoles_controller, 'create'),
    }),
    # Manila shares (2.97+).
    ('/servers/{server_id}/shares', {
        'GET': (server_shares_controller, 'index'),
        'POST': (server_shares_controller, 'create'),
    }),
    ('/servers/{server_id}/shares/{id}', {
        'GET': (server_shares_controller, 'show'),
        'DELETE': (server_shares_controller, 'delete'),
    }),
    ('/servers/{server_id}/tags', {
        'GET': (server_tags_controller, 'index'),
        'PUT': (server_tags_controller, 'update_all'),
        'DELETE': (server_tags_controller, 'delete_all'),
    }),
    ('/servers/{server_id}/tags/{id}', {
        'GET': (server_tags_controller, 'show'),
        'PUT': (server_tags_controller, 'update'),
        'DELETE': (server_tags_controller, 'delete'),
    }),
    ('/servers/{server_id}/topology', {'GET': (server_topology_controller, 'index')}),
    ('/versions/{id}', {'GET': (version_controller, 'show')}),
]
