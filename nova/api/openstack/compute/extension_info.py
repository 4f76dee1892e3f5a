"""``/extensions``: the v2.1 extension catalogue old clients read to learn features.

Microversions replaced extensions; upstream still answers with a fixed list of
the extensions v2.1 was built from (alias and name as upstream spells them,
descriptions our own), and ``/v2`` clients additionally see the v2-only
``OS-EXT-VIF-NET``.  Every entry has the same namespace, date and empty links.
"""

import webob.exc

from nova.api.openstack.compute.views import extension_info as extension_info_view
from nova.api.openstack import wsgi

# (alias, name, description), sorted by alias.
EXTENSIONS = (
    ('NMN', 'Multinic', 'Add and remove fixed addresses of a server.'),
    ('OS-DCF', 'DiskConfig', 'Choose whether the root disk is resized on boot.'),
    ('OS-EXT-AZ', 'ExtendedAvailabilityZone', 'Show the zone a server runs in.'),
    ('OS-EXT-IMG-SIZE', 'ImageSize', 'Show the size of images.'),
    ('OS-EXT-IPS', 'ExtendedIps', 'Show whether a server address is fixed or floating.'),
    ('OS-EXT-IPS-MAC', 'ExtendedIpsMac', 'Show the MAC address of server addresses.'),
    ('OS-EXT-SRV-ATTR', 'ExtendedServerAttributes',
     'Show where a server runs and how it was built.'),
    ('OS-EXT-STS', 'ExtendedStatus', 'Show vm, task and power states of servers.'),
    ('OS-FLV-DISABLED', 'FlavorDisabled', 'Show whether a flavor is disabled.'),
    ('OS-FLV-EXT-DATA', 'FlavorExtraData', 'Show the ephemeral disk of flavors.'),
    ('OS-SCH-HNT', 'SchedulerHints', 'Give the scheduler hints when creating a server.'),
    ('OS-SRV-USG', 'ServerUsage', 'Show when a server was launched and terminated.'),
    ('os-access-ips', 'AccessIPs', 'IPv4 and IPv6 access addresses of servers.'),
    ('os-admin-actions', 'AdminActions', 'Server actions for administrators.'),
    ('os-admin-password', 'AdminPassword', 'Change the administrator password of a server.'),
    ('os-agents', 'Agents', 'Guest agent builds (removed).'),
    ('os-aggregates', 'Aggregates', 'Host aggregates.'),
    ('os-assisted-volume-snapshots', 'AssistedVolumeSnapshots',
     'Volume snapshots the hypervisor helps to take.'),
    ('os-attach-interfaces', 'AttachInterfaces', 'Attach and detach server ports.'),
    ('os-availability-zone', 'AvailabilityZone',
     'List availability zones and boot servers into one.'),
    ('os-baremetal-ext-status', 'BareMetalExtStatus', 'Status of bare metal nodes.'),
    ('os-baremetal-nodes', 'BareMetalNodes', 'Bare metal nodes, from the Bare Metal service.'),
    ('os-block-device-mapping', 'BlockDeviceMapping', 'Boot servers with block devices.'),
    ('os-block-device-mapping-v2-boot', 'BlockDeviceMappingV2Boot',
     'Boot with block device mappings in the v2 format.'),
    ('os-cell-capacities', 'CellCapacities', 'Capacities of cells (removed).'),
    ('os-cells', 'Cells', 'Cells v1 management (removed).'),
    ('os-certificates', 'Certificates', 'x509 certificates for projects (removed).'),
    ('os-cloudpipe', 'Cloudpipe', 'VPN instances of nova-network (removed).'),
    ('os-cloudpipe-update', 'CloudpipeUpdate', 'Configure cloudpipe VPN instances (removed).'),
    ('os-config-drive', 'ConfigDrive', 'Boot servers with a configuration drive.'),
    ('os-console-auth-tokens', 'ConsoleAuthTokens', 'Check console connection tokens.'),
    ('os-console-output', 'ConsoleOutput', 'Read the console log of a server.'),
    ('os-consoles', 'Consoles', 'XenAPI server consoles (removed).'),
    ('os-create-backup', 'CreateBackup', 'Rotating backups of a server.'),
    ('os-create-server-ext', 'Createserverext', 'More options when creating a server.'),
    ('os-deferred-delete', 'DeferredDelete', 'Restore or force-delete soft-deleted servers.'),
    ('os-evacuate', 'Evacuate', 'Rebuild servers of a failed host elsewhere.'),
    ('os-extended-evacuate-find-host', 'ExtendedEvacuateFindHost',
     'Evacuate without naming a target host.'),
    ('os-extended-floating-ips', 'ExtendedFloatingIps',
     'Choose the fixed address a floating address maps to.'),
    ('os-extended-hypervisors', 'ExtendedHypervisors', 'More hypervisor details.'),
    ('os-extended-networks', 'ExtendedNetworks', 'More network details.'),
    ('os-extended-quotas', 'ExtendedQuotas', 'Delete quotas and force quota updates.'),
    ('os-extended-rescue-with-image', 'ExtendedRescueWithImage',
     'Rescue a server with a chosen image.'),
    ('os-extended-services', 'ExtendedServices', 'Disable services with a reason.'),
    ('os-extended-services-delete', 'ExtendedServicesDelete', 'Delete services.'),
    ('os-extended-status', 'ExtendedStatus', 'Server states in server views.'),
    ('os-extended-volumes', 'ExtendedVolumes', 'Attached volumes in server views.'),
    ('os-fixed-ips', 'FixedIPs', 'nova-network fixed addresses (removed).'),
    ('os-flavor-access', 'FlavorAccess', 'Projects that may use a private flavor.'),
    ('os-flavor-extra-specs', 'FlavorExtraSpecs', 'Extra specs of flavors.'),
    ('os-flavor-manage', 'FlavorManage', 'Create and delete flavors.'),
    ('os-flavor-rxtx', 'FlavorRxtx', 'Show the rxtx factor of flavors.'),
    ('os-flavor-swap', 'FlavorSwap', 'Show the swap size of flavors.'),
    ('os-floating-ip-dns', 'FloatingIpDns', 'DNS entries of floating addresses (removed).'),
    ('os-floating-ip-pools', 'FloatingIpPools', 'Pools floating addresses come from.'),
    ('os-floating-ips', 'FloatingIps', 'Floating addresses of a project.'),
    ('os-floating-ips-bulk', 'FloatingIpsBulk', 'Floating address ranges (removed).'),
    ('os-fping', 'Fping', 'Ping servers from the API host (removed).'),
    ('os-hide-server-addresses', 'HideServerAddresses',
     'Hide server addresses in some states.'),
    ('os-hosts', 'Hosts', 'Hosts and their resources, for administrators.'),
    ('os-hypervisor-status', 'HypervisorStatus', 'State and status of hypervisors.'),
    ('os-hypervisors', 'Hypervisors', 'Hypervisors, for administrators.'),
    ('os-instance-actions', 'InstanceActions', 'Actions taken on a server and their events.'),
    ('os-instance_usage_audit_log', 'OSInstanceUsageAuditLog',
     'Progress of the periodic instance usage audit.'),
    ('os-keypairs', 'Keypairs', 'SSH and x509 key pairs.'),
    ('os-lock-server', 'LockServer', 'Lock and unlock servers.'),
    ('os-migrate-server', 'MigrateServer', 'Cold and live migration of servers.'),
    ('os-migrations', 'Migrations', 'List migrations.'),
    ('os-multiple-create', 'MultipleCreate', 'Create several servers at once.'),
    ('os-networks', 'Networks', 'Networks, through the Network service.'),
    ('os-networks-associate', 'NetworkAssociationSupport',
     'nova-network host and project association (removed).'),
    ('os-pause-server', 'PauseServer', 'Pause and unpause servers.'),
    ('os-personality', 'Personality', 'Inject files when creating a server.'),
    ('os-preserve-ephemeral-rebuild', 'PreserveEphemeralOnRebuild',
     'Keep the ephemeral disk on rebuild.'),
    ('os-quota-class-sets', 'QuotaClasses', 'Quota classes.'),
    ('os-quota-sets', 'Quotas', 'Project quotas.'),
    ('os-rescue', 'Rescue', 'Rescue and unrescue servers.'),
    ('os-security-group-default-rules', 'SecurityGroupDefaultRules',
     'Rules of new default security groups (removed).'),
    ('os-security-groups', 'SecurityGroups', 'Security groups, through the Network service.'),
    ('os-server-diagnostics', 'ServerDiagnostics', 'Hypervisor diagnostics of a server.'),
    ('os-server-external-events', 'ServerExternalEvents',
     'Events other services send about servers.'),
    ('os-server-group-quotas', 'ServerGroupQuotas', 'Quotas on server groups.'),
    ('os-server-groups', 'ServerGroups', 'Server groups with placement policies.'),
    ('os-server-list-multi-status', 'ServerListMultiStatus',
     'Filter servers by several statuses.'),
    ('os-server-password', 'ServerPassword', 'Encrypted server passwords.'),
    ('os-server-sort-keys', 'ServerSortKeys', 'Sort server lists.'),
    ('os-server-start-stop', 'ServerStartStop', 'Start and stop servers.'),
    ('os-services', 'Services', 'Compute services.'),
    ('os-shelve', 'Shelve', 'Shelve and unshelve servers.'),
    ('os-simple-tenant-usage', 'SimpleTenantUsage', 'Usage of projects over a period.'),
    ('os-suspend-server', 'SuspendServer', 'Suspend and resume servers.'),
    ('os-tenant-networks', 'OSTenantNetworks', 'Networks of a project.'),
    ('os-used-limits', 'UsedLimits', 'Resources used next to their limits.'),
    ('os-used-limits-for-admin', 'UsedLimitsForAdmin',
     'Used resources of other projects, for administrators.'),
    ('os-user-data', 'UserData', 'Give user data when creating a server.'),
    ('os-user-quotas', 'UserQuotas', 'Quotas of a user within a project.'),
    ('os-virtual-interfaces', 'VirtualInterfaces',
     'nova-network virtual interfaces (removed).'),
    ('os-volume-attachment-update', 'VolumeAttachmentUpdate',
     'Swap the volume of an attachment.'),
    ('os-volumes', 'Volumes', 'Volumes and snapshots, through the Block Storage service.'),
)

# Only ``/v2`` clients see these (v2 reported them separately).
LEGACY_V2_EXTENSIONS = (
    ('OS-EXT-VIF-NET', 'ExtendedVIFNet', 'Network id of virtual interfaces (removed).'),
)


def _catalogue(req):
    entries = EXTENSIONS + (LEGACY_V2_EXTENSIONS if req.is_legacy_v2() else ())
    return sorted(entries)


class ExtensionInfoController(wsgi.Controller):

    @staticmethod
    def _authorize(req):
        req.environ['nova.context'].can('os_compute_api:extensions')

    @wsgi.expected_errors(())
    def index(self, req):
        self._authorize(req)
        return {'extensions': [extension_info_view.extension(*entry) for entry in _catalogue(req)]}

    @wsgi.expected_errors(404)
    def show(self, req, id):
        self._authorize(req)
        for entry in _catalogue(req):
            if entry[0] == id:
                return {'extension': extension_info_view.extension(*entry)}
        raise webob.exc.HTTPNotFound(explanation='Extension %s could not be found.' % id)
