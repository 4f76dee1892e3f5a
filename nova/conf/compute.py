"""Options of nova-compute: [DEFAULT] host-level settings and [compute]."""

import socket

from oslo_config import cfg
from oslo_config import types

from nova.conf import paths

compute_group = cfg.OptGroup(
    'compute', title='Compute service options',
    help='Behaviour of the nova-compute service and its resource tracking.')

compute_opts = [
    cfg.StrOpt('compute_driver',
               help='Virt driver nova-compute drives, for example '
                    'libvirt.LibvirtDriver, ironic.IronicDriver, '
                    'vmwareapi.VMwareVCDriver or fake.FakeDriver.'),
    cfg.BoolOpt('allow_resize_to_same_host', default=False,
                help='Let a resize land on the host the server is already '
                     'on.'),
    cfg.ListOpt('non_inheritable_image_properties',
                default=['cache_in_nova', 'bittorrent'],
                help='Image properties not copied to snapshots of a '
                     'server.'),
    cfg.IntOpt('max_local_block_devices', default=3,
               help='Most local disks (including ephemeral and swap) a server '
                    'may have; negative means no limit.'),
    cfg.ListOpt('compute_monitors', default=[],
                help='Monitors that collect host metrics, named '
                     '"namespace.plugin" (for example cpu.virt_driver).'),
    cfg.StrOpt('default_ephemeral_format',
               help='File system ephemeral disks are formatted with '
                    '(ext2, ext3, ext4, xfs, ntfs).  Unset lets the driver '
                    'choose.'),
    cfg.BoolOpt('vif_plugging_is_fatal', default=True,
                help='Fail a boot when Neutron does not confirm the ports '
                     'were plugged within vif_plugging_timeout.'),
    cfg.IntOpt('vif_plugging_timeout', default=300, min=0,
               help='Seconds to wait for Neutron\'s network-vif-plugged '
                    'events; 0 does not wait.'),
    cfg.IntOpt('arq_binding_timeout', default=300, min=1,
               help='Seconds to wait for Cyborg to bind accelerator '
                    'requests.'),
    cfg.StrOpt('injected_network_template',
               default=paths.basedir_def('nova', 'virt', 'interfaces.template'),
               help='Template used to render network configuration injected '
                    'into guests.'),
    cfg.StrOpt('preallocate_images', default='none',
               choices=[('none', 'allocate lazily'),
                        ('space', 'reserve the full disk size up front')],
               help='How disk space for server disks is allocated.'),
    cfg.BoolOpt('use_cow_images', default=True,
                help='Create server disks as copy-on-write overlays of the '
                     'cached image.'),
    cfg.BoolOpt('force_raw_images', default=True,
                help='Convert cached images to raw format.'),
    cfg.MultiStrOpt('virt_mkfs', default=[],
                    help='mkfs command per OS type, as '
                         '"<os_type>=<command>"; may be repeated.'),
    cfg.BoolOpt('resize_fs_using_block_device', default=False,
                help='Grow file systems in images by attaching them as a '
                     'block device.'),
    cfg.IntOpt('timeout_nbd', default=10, min=0,
               help='Seconds to wait for an NBD device to appear.'),
    cfg.StrOpt('pointer_model', default='usbtablet',
               choices=[('ps2mouse', 'emulated PS/2 mouse'),
                        ('usbtablet', 'USB tablet with absolute pointing')],
               help='Pointer device given to graphical guests.'),
    cfg.IntOpt('reimage_timeout_per_gb', default=20, min=1,
               help='Seconds per GiB of image allowed for Cinder to reimage '
                    'a volume during a rebuild.'),
]

resource_tracker_opts = [
    cfg.StrOpt('vcpu_pin_set',
               deprecated_for_removal=True,
               deprecated_since='20.0.0',
               deprecated_reason='Use [compute]/cpu_dedicated_set and '
                                 '[compute]/cpu_shared_set.',
               help='Host CPUs guests may use, as a range list such as '
                    '"4-12,^8,15".'),
    cfg.MultiOpt('reserved_huge_pages', item_type=types.Dict(),
                 help='Huge pages kept for the host, per NUMA node, as '
                      '"node:0,size:2048,count:64"; may be repeated.'),
    cfg.IntOpt('reserved_host_disk_mb', default=0, min=0,
               help='Disk in MiB kept for the host and not offered to '
                    'guests.'),
    cfg.IntOpt('reserved_host_memory_mb', default=512, min=0,
               help='Memory in MiB kept for the host and not offered to '
                    'guests.'),
    cfg.IntOpt('reserved_host_cpus', default=0, min=0,
               help='Number of host CPUs kept for the host and not offered '
                    'to guests.'),
]

allocation_ratio_opts = [
    cfg.FloatOpt('cpu_allocation_ratio', min=0.0,
                 help='Virtual to physical CPU overcommit ratio reported to '
                      'Placement.  Unset keeps the value already in Placement '
                      'or uses initial_cpu_allocation_ratio.'),
    cfg.FloatOpt('ram_allocation_ratio', min=0.0,
                 help='Virtual to physical memory overcommit ratio reported '
                      'to Placement.  Unset behaves like '
                      'cpu_allocation_ratio.'),
    cfg.FloatOpt('disk_allocation_ratio', min=0.0,
                 help='Virtual to physical disk overcommit ratio reported to '
                      'Placement.  Unset behaves like cpu_allocation_ratio.'),
    cfg.FloatOpt('initial_cpu_allocation_ratio', default=4.0, min=0.0,
                 help='CPU ratio used when a compute node is first created '
                      'and cpu_allocation_ratio is unset.'),
    cfg.FloatOpt('initial_ram_allocation_ratio', default=1.0, min=0.0,
                 help='Memory ratio used when a compute node is first created '
                      'and ram_allocation_ratio is unset.'),
    cfg.FloatOpt('initial_disk_allocation_ratio', default=1.0, min=0.0,
                 help='Disk ratio used when a compute node is first created '
                      'and disk_allocation_ratio is unset.'),
]

compute_manager_opts = [
    cfg.StrOpt('console_host', default=socket.gethostname(),
               sample_default="<this host's hostname>",
               help='Host name under which consoles of this host are '
                    'reached.'),
    cfg.StrOpt('default_access_ip_network_name',
               help='Name of the network whose address fills a server\'s '
                    'accessIPv4/accessIPv6 fields.'),
    cfg.StrOpt('instances_path', default=paths.state_path_def('instances'),
               sample_default='$state_path/instances',
               help='Directory holding the local files of servers.'),
    cfg.BoolOpt('instance_usage_audit', default=False,
                help='Have nova-compute report, once per '
                     'instance_usage_audit_period, every instance that ran on '
                     'its host in the last completed period (instance.exists '
                     'and compute.instance.exists notifications) and record '
                     'the run for /os-instance_usage_audit_log.'),
    cfg.IntOpt('live_migration_retry_count', default=30, min=0,
               help='Attempts to set up the network filters on the '
                    'destination of a live migration.'),
    cfg.BoolOpt('resume_guests_state_on_host_boot', default=False,
                help='Restart, after a host reboot, the guests that were '
                     'running before it.'),
    cfg.IntOpt('network_allocate_retries', default=0, min=0,
               help='Extra attempts at allocating networks for a server '
                    'before the build fails.'),
    cfg.IntOpt('max_concurrent_builds', default=10, min=0,
               help='Builds this host runs at once; 0 means unlimited.'),
    cfg.IntOpt('max_concurrent_snapshots', default=5, min=0,
               help='Snapshots this host runs at once; 0 means unlimited.'),
    cfg.IntOpt('max_concurrent_live_migrations', default=1, min=0,
               help='Outgoing live migrations this host runs at once; 0 '
                    'means unlimited.'),
    cfg.IntOpt('block_device_allocate_retries', default=60, min=0,
               help='Checks of a new volume\'s status before its creation '
                    'is considered failed.'),
    cfg.IntOpt('sync_power_state_pool_size', default=5,
               help='Servers whose power state is synchronised in '
                    'parallel.'),
]

interval_opts = [
    cfg.IntOpt('sync_power_state_interval', default=600,
               help='Seconds between power state syncs between the '
                    'database and the hypervisor; negative disables.'),
    cfg.IntOpt('heal_instance_info_cache_interval', default=-1,
               help='Seconds between refreshes of a server\'s network info '
                    'cache from Neutron; 0 or less disables.'),
    cfg.IntOpt('reclaim_instance_interval', default=0,
               help='Seconds a soft-deleted server is kept before it is '
                    'reclaimed; 0 deletes immediately.'),
    cfg.IntOpt('volume_usage_poll_interval', default=0,
               help='Seconds between volume usage polls; 0 disables.'),
    cfg.IntOpt('shelved_poll_interval', default=3600,
               help='Seconds between checks for shelved servers to '
                    'offload; negative disables.'),
    cfg.IntOpt('shelved_offload_time', default=0, min=-1,
               help='Seconds a shelved server keeps its host resources; 0 '
                    'offloads immediately, -1 never.'),
    cfg.IntOpt('instance_delete_interval', default=300,
               help='Seconds between retries at cleaning up files of '
                    'deleted or failed servers; 0 disables.'),
    cfg.IntOpt('block_device_allocate_retries_interval', default=3, min=0,
               help='Seconds between two checks of a new volume\'s '
                    'status.'),
    cfg.IntOpt('scheduler_instance_sync_interval', default=120,
               help='Seconds between reports of this host\'s server list to '
                    'the scheduler; 0 or less disables.'),
    cfg.IntOpt('update_resources_interval', default=0,
               help='Seconds between resource tracker updates; 0 uses the '
                    'periodic task default, negative disables.'),
    cfg.IntOpt('stale_share_access_reconcile_interval', default=1800,
               help='Seconds between checks that share access rules still '
                    'match the attached shares; 0 or less disables.'),
]

timeout_opts = [
    cfg.IntOpt('reboot_timeout', default=0, min=0,
               help='Seconds after which a server stuck rebooting is hard '
                    'rebooted; 0 disables.'),
    cfg.IntOpt('instance_build_timeout', default=0, min=0,
               help='Seconds after which a server stuck building is put in '
                    'ERROR; 0 disables.'),
    cfg.IntOpt('rescue_timeout', default=0, min=0,
               help='Seconds after which a rescued server is unrescued; 0 '
                    'disables.'),
    cfg.IntOpt('resize_confirm_window', default=0, min=0,
               help='Seconds after which a finished resize is confirmed '
                    'automatically; 0 disables.'),
    cfg.IntOpt('shutdown_timeout', default=60, min=0,
               help='Seconds a guest gets to shut down cleanly before it is '
                    'powered off.'),
]

running_deleted_opts = [
    cfg.StrOpt('running_deleted_instance_action', default='reap',
               choices=[('reap', 'power off and destroy'),
                        ('log', 'only log a warning'),
                        ('shutdown', 'power off'),
                        ('noop', 'do nothing')],
               help='What to do with guests still running on the hypervisor '
                    'whose server was deleted.'),
    cfg.IntOpt('running_deleted_instance_poll_interval', default=1800,
               help='Seconds between searches for such guests; 0 '
                    'disables.'),
    cfg.IntOpt('running_deleted_instance_timeout', default=0,
               help='Seconds a server must have been deleted before its '
                    'running guest is acted on.'),
]

instance_cleaning_opts = [
    cfg.IntOpt('maximum_instance_delete_attempts', default=5, min=1,
               help='Attempts at cleaning up a deleted server\'s files.'),
]

db_opts = [
    cfg.StrOpt('osapi_compute_unique_server_name_scope', default='',
               choices=[('', 'no uniqueness check'),
                        ('project', 'unique within a project'),
                        ('global', 'unique across the deployment')],
               help='Scope within which server host names must be unique.'),
    cfg.BoolOpt('enable_new_services', default=True,
                help='Enable compute services the first time they register; '
                     'when false they start disabled.'),
    cfg.StrOpt('instance_name_template', default='instance-%08x',
               help='Template of the hypervisor-level name of a server, '
                    'formatted with its database id.'),
]

migration_opts = [
    cfg.IntOpt('migrate_max_retries', default=-1, min=-1,
               help='Live migration attempts on other hosts after a failure; '
                    '-1 means unlimited, 0 disables retries.'),
]

compute_group_opts = [
    cfg.IntOpt('consecutive_build_service_disable_threshold', default=10,
               help='Failed builds in a row after which this compute service '
                    'is disabled; 0 never disables.'),
    cfg.IntOpt('shutdown_retry_interval', default=10, min=1,
               help='Seconds between checks that a guest has shut down '
                    'cleanly.'),
    cfg.IntOpt('sharing_providers_max_uuids_per_request', default=200, min=1,
               help='Most provider UUIDs put in one Placement query for '
                    'sharing providers.'),
    cfg.IntOpt('resource_provider_association_refresh', default=300, min=0,
               mutable=True,
               help='Seconds between refreshes of the cached aggregates, '
                    'traits and sharing providers of this host\'s '
                    'providers; 0 disables.'),
    cfg.StrOpt('cpu_shared_set',
               help='Host CPUs for shared (floating) guest vCPUs and '
                    'emulator threads, as a range list.'),
    cfg.StrOpt('cpu_dedicated_set',
               help='Host CPUs for pinned guest vCPUs, as a range list.'),
    cfg.BoolOpt('live_migration_wait_for_vif_plug', default=True,
                help='Wait for Neutron\'s network-vif-plugged events on the '
                     'destination before starting a live migration.'),
    cfg.IntOpt('max_concurrent_disk_ops', default=0, min=0,
               help='Disk-heavy operations (snapshots, image conversions) '
                    'run at once; 0 means unlimited.'),
    cfg.IntOpt('max_disk_devices_to_attach', default=-1, min=-1,
               help='Most disk devices a server may have attached; -1 means '
                    'unlimited.'),
    cfg.StrOpt('provider_config_location',
               default='/etc/nova/provider_config/',
               help='Directory of YAML files describing custom resource '
                    'provider inventories and traits.'),
    cfg.ListOpt('image_type_exclude_list', default=[],
                help='Image disk formats this host refuses even though the '
                     'driver supports them.'),
    cfg.ListOpt('vmdk_allowed_types',
                default=['streamOptimized', 'monolithicSparse'],
                help='VMDK subformats accepted from images; empty rejects '
                     'every VMDK image.'),
    cfg.BoolOpt('packing_host_numa_cells_allocation_strategy', default=False,
                help='Fill host NUMA cells one at a time instead of spreading '
                     'guests across them.'),
    cfg.IntOpt('update_resources_max_workers', default=1, min=1,
               help='Compute nodes whose resources are updated in parallel '
                    '(useful with drivers managing many nodes).'),
]

_DEFAULT_OPTS = (compute_opts + resource_tracker_opts + allocation_ratio_opts
                 + compute_manager_opts + interval_opts + timeout_opts
                 + running_deleted_opts + instance_cleaning_opts + db_opts
                 + migration_opts)


def register_opts(conf):
    conf.register_opts(_DEFAULT_OPTS)
    conf.register_group(compute_group)
    conf.register_opts(compute_group_opts, group=compute_group)


def list_opts():
    return {'DEFAULT': _DEFAULT_OPTS, compute_group: compute_group_opts}
