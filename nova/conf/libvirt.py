"""[libvirt]: options of the libvirt virt driver.

Split by topic (connection, migration, guest CPU and devices, image backends,
volume drivers, ...); all land in the single [libvirt] group.
"""

from oslo_config import cfg
from oslo_config import types

from nova.conf import paths

libvirt_group = cfg.OptGroup(
    'libvirt', title='Libvirt driver options',
    help='Settings of the libvirt driver, used when [DEFAULT]/compute_driver '
         'is libvirt.LibvirtDriver.')

_DEPRECATED_FS = dict(
    deprecated_for_removal=True,
    deprecated_since='32.0.0',
    deprecated_reason='The volume driver using it is no longer maintained.')

general_opts = [
    cfg.StrOpt('rescue_image_id',
               help='Image used for rescue when the request names none; '
                    'unset uses the server\'s own image.'),
    cfg.StrOpt('rescue_kernel_id',
               help='Kernel image used for rescue.'),
    cfg.StrOpt('rescue_ramdisk_id',
               help='Ramdisk image used for rescue.'),
    cfg.StrOpt('virt_type', default='kvm',
               choices=('kvm', 'lxc', 'qemu', 'parallels'),
               help='Kind of guests libvirt runs.'),
    cfg.StrOpt('connection_uri', default='',
               help='libvirt URI to connect to; empty derives it from '
                    'virt_type.'),
    cfg.BoolOpt('inject_password', default=False,
                help='Write the admin password into the guest\'s disk.'),
    cfg.BoolOpt('inject_key', default=False,
                help='Write the SSH key into the guest\'s disk.'),
    cfg.IntOpt('inject_partition', default=-2, min=-2,
               help='Partition injection writes to: -2 disables injection, '
                    '-1 inspects the image, 0 is the whole disk, N a '
                    'partition number.'),
]

migration_opts = [
    cfg.StrOpt('live_migration_scheme',
               help='URI scheme of live migration connections to the '
                    'destination\'s libvirt (tcp, ssh, tls, ...).'),
    cfg.HostDomainOpt('live_migration_inbound_addr',
                      help='Address other hosts use for live migration '
                           'traffic to this one; unset uses the host '
                           'name.'),
    cfg.StrOpt('live_migration_uri',
               deprecated_for_removal=True,
               deprecated_since='15.0.0',
               deprecated_reason='Use live_migration_scheme and '
                                 'live_migration_inbound_addr.',
               help='Full live migration URI template with %s for the '
                    'destination host.'),
    cfg.BoolOpt('live_migration_tunnelled', default=False,
                deprecated_for_removal=True,
                deprecated_since='23.0.0',
                deprecated_reason='Use live_migration_with_native_tls.',
                help='Carry migration data through the libvirt connection '
                     'instead of a direct hypervisor connection.'),
    cfg.IntOpt('live_migration_bandwidth', default=0,
               help='Migration bandwidth cap in MiB/s; 0 lets the '
                    'hypervisor pick.'),
    cfg.IntOpt('live_migration_downtime', default=500, min=100,
               help='Most guest pause in milliseconds allowed at the end of '
                    'a live migration.'),
    cfg.IntOpt('live_migration_downtime_steps', default=10, min=3,
               help='Steps in which the allowed pause grows to '
                    'live_migration_downtime.'),
    cfg.IntOpt('live_migration_downtime_delay', default=75, min=3,
               help='Seconds per GiB of guest memory between two such '
                    'steps.'),
    cfg.IntOpt('live_migration_completion_timeout', default=800, min=0,
               mutable=True,
               help='Seconds per GiB of guest memory after which '
                    'live_migration_timeout_action is taken; 0 never.'),
    cfg.IntOpt('live_migration_parallel_connections', default=1, min=1,
               help='Parallel connections carrying live migration '
                    'data.'),
    cfg.StrOpt('live_migration_timeout_action', default='abort',
               choices=(('abort', 'cancel the migration'),
                        ('force_complete',
                         'pause the guest or switch to post-copy')),
               mutable=True,
               help='What to do when a live migration times out.'),
    cfg.BoolOpt('live_migration_permit_post_copy', default=False,
                help='Allow switching a slow live migration to post-copy '
                     'mode.'),
    cfg.BoolOpt('live_migration_permit_auto_converge', default=False,
                help='Allow throttling the guest\'s CPUs so a slow live '
                     'migration can finish.'),
    cfg.StrOpt('snapshot_image_format',
               choices=(('raw', 'raw'), ('qcow2', 'QCOW2'),
                        ('vmdk', 'VMDK'), ('vdi', 'VDI'),
                        ('ploop', 'Parallels ploop')),
               help='Disk format of snapshot images; unset keeps the source '
                    'format.'),
    cfg.BoolOpt('live_migration_with_native_tls', default=False,
                help='Encrypt live migration data with QEMU\'s native '
                     'TLS.'),
    cfg.IntOpt('live_migration_monitor_interval', default=5, min=1,
               help='Seconds between progress checks of a running live '
                    'migration.'),
]

guest_opts = [
    cfg.StrOpt('disk_prefix',
               help='Device name prefix of guest disks (sd, xvd, vd, ...); '
                    'unset derives it from the bus.'),
    cfg.IntOpt('wait_soft_reboot_seconds', default=120,
               help='Seconds to wait for a soft reboot before doing a hard '
                    'one.'),
    cfg.StrOpt('cpu_mode',
               choices=(('host-model', 'closest named model to the host'),
                        ('host-passthrough', 'the host CPU as is'),
                        ('custom', 'a model from cpu_models'),
                        ('none', 'hypervisor default')),
               help='CPU model exposed to guests; unset uses host-model '
                    'with KVM and none otherwise.'),
    cfg.ListOpt('cpu_models', item_type=types.String(ignore_case=True),
                default=[], deprecated_name='cpu_model',
                help='Named CPU models allowed with cpu_mode=custom, oldest '
                     'first.'),
    cfg.ListOpt('cpu_model_extra_flags',
                item_type=types.String(ignore_case=True), default=[],
                help='CPU flags added to (or, prefixed with -, removed from) '
                     'the guest CPU model.'),
    cfg.StrOpt('snapshots_directory',
               default='$instances_path/snapshots',
               help='Directory where snapshots are built before upload.'),
    cfg.ListOpt('disk_cachemodes', default=[],
                help='Cache mode per disk type, as "file=directsync".'),
    cfg.StrOpt('rng_dev_path', default='/dev/urandom',
               help='Host entropy source backing guests\' virtio RNG.'),
    cfg.ListOpt('hw_machine_type',
                help='Default machine type per architecture, as '
                     '"x86_64=q35".'),
    cfg.StrOpt('sysinfo_serial', default='unique',
               choices=(('none', 'no serial'),
                        ('os', 'the host\'s /etc/machine-id'),
                        ('hardware', 'the host\'s hardware UUID'),
                        ('auto', 'os if available, else hardware'),
                        ('unique', 'the server UUID')),
               help='Source of the serial number guests see in SMBIOS.'),
    cfg.IntOpt('mem_stats_period_seconds', default=10,
               help='Seconds between guest memory statistics updates; 0 or '
                    'less disables.'),
    cfg.ListOpt('uid_maps', default=[],
                help='User id maps of LXC guests, as '
                     '"guest-uid:host-uid:count".'),
    cfg.ListOpt('gid_maps', default=[],
                help='Group id maps of LXC guests, as '
                     '"guest-gid:host-gid:count".'),
    cfg.IntOpt('realtime_scheduler_priority', default=1,
               help='Scheduler priority of realtime guest vCPUs.'),
    cfg.ListOpt('enabled_perf_events', default=[],
                help='Performance counters collected for guests (cmt, '
                     'mbml, mbmt, ...).'),
    cfg.IntOpt('num_pcie_ports', default=0, min=0, max=28,
               help='PCIe root ports given to q35 guests for hot-plug; 0 '
                    'lets libvirt decide.'),
    cfg.IntOpt('file_backed_memory', default=0, min=0,
               help='MiB of file-backed memory offered to guests; 0 '
                    'disables.'),
    cfg.IntOpt('device_detach_attempts', default=8, min=1,
               help='Attempts at detaching a device from a running '
                    'guest.'),
    cfg.IntOpt('device_detach_timeout', default=20, min=1,
               help='Seconds to wait for the guest to release a device '
                    'per attempt.'),
    cfg.IntOpt('tb_cache_size', min=0,
               help='Translation block cache size in MiB of QEMU TCG '
                    'guests; unset keeps QEMU\'s default.'),
    cfg.StrOpt('migration_inbound_addr', default='$my_ip',
               help='Address other hosts use for cold migration and resize '
                    'traffic to this one.'),
    cfg.IntOpt('num_intel_tdx_guests', min=0,
               help='Intel TDX guests this host can run; unset detects '
                    'it.'),
]

imagebackend_opts = [
    cfg.StrOpt('images_type', default='default',
               choices=('raw', 'flat', 'qcow2', 'lvm', 'rbd', 'ploop',
                        'default'),
               help='Storage backend of guest disks; default follows '
                    'use_cow_images.'),
    cfg.StrOpt('images_volume_group',
               help='LVM volume group for guest disks with '
                    'images_type=lvm.'),
    cfg.BoolOpt('sparse_logical_volumes', default=False,
                deprecated_for_removal=True,
                deprecated_since='18.0.0',
                deprecated_reason='Sparse LVs risk running out of space.',
                help='Create thin logical volumes.'),
    cfg.StrOpt('images_rbd_pool', default='rbd',
               help='Ceph pool for guest disks with images_type=rbd.'),
    cfg.StrOpt('images_rbd_ceph_conf', default='',
               help='ceph.conf used for guest disks.'),
    cfg.StrOpt('images_rbd_glance_store_name', default='',
               help='Glance store backed by images_rbd_pool, into which '
                    'images from other stores are copied.'),
    cfg.IntOpt('images_rbd_glance_copy_poll_interval', default=15,
               help='Seconds between checks of such an image copy.'),
    cfg.IntOpt('images_rbd_glance_copy_timeout', default=600,
               help='Seconds to wait for such an image copy.'),
    cfg.StrOpt('hw_disk_discard',
               choices=(('ignore', 'drop discard requests'),
                        ('unmap', 'pass discard requests to storage')),
               help='Handling of guest discard (TRIM) requests; unset keeps '
                    'the hypervisor default.'),
    cfg.IntOpt('images_cpu_time_limit', default=30, min=1,
               help='CPU seconds allowed to qemu-img when inspecting an '
                    'image.'),
    cfg.IntOpt('images_address_space_limit', default=2, min=1,
               help='Address space in GiB allowed to qemu-img when '
                    'inspecting an image.'),
    cfg.StrOpt('volume_clear', default='zero',
               choices=(('zero', 'overwrite with zeros'),
                        ('shred', 'overwrite repeatedly with random data'),
                        ('none', 'do not wipe')),
               help='How deleted LVM-backed ephemeral disks are wiped.'),
    cfg.IntOpt('volume_clear_size', default=0, min=0,
               help='MiB wiped from the start of such a disk; 0 wipes it '
                    'all.'),
    cfg.BoolOpt('snapshot_compression', default=False,
                help='Compress QCOW2 snapshots.'),
    cfg.BoolOpt('use_virtio_for_bridges', default=True,
                help='Use virtio NICs for bridged interfaces.'),
]

volume_opts = [
    cfg.BoolOpt('volume_use_multipath', default=False,
                deprecated_name='iscsi_use_multipath',
                help='Attach volumes over several paths when the storage '
                     'offers them.'),
    cfg.BoolOpt('volume_enforce_multipath', default=False,
                help='Fail attachments that cannot use multipath.'),
    cfg.IntOpt('num_volume_scan_tries', default=5,
               deprecated_name='num_iscsi_scan_tries',
               help='Rescans for a volume that has not appeared yet.'),
    cfg.IntOpt('num_aoe_discover_tries', default=3,
               help='Rescans for an AoE volume.'),
    cfg.StrOpt('iscsi_iface', deprecated_name='iscsi_transport',
               help='iSCSI interface (transport) used for attachments.'),
    cfg.IntOpt('num_iser_scan_tries', default=5,
               help='Rescans for an iSER volume.'),
    cfg.BoolOpt('iser_use_multipath', default=False,
                help='Attach iSER volumes over several paths.'),
    cfg.StrOpt('rbd_user',
               help='Ceph user for RBD volumes and disks.'),
    cfg.StrOpt('rbd_secret_uuid',
               help='UUID of the libvirt secret holding rbd_user\'s key.'),
    cfg.IntOpt('rbd_connect_timeout', default=5,
               help='Seconds to wait for the Ceph cluster.'),
    cfg.IntOpt('rbd_destroy_volume_retry_interval', default=5, min=0,
               help='Seconds between attempts at deleting a busy RBD '
                    'image.'),
    cfg.IntOpt('rbd_destroy_volume_retries', default=12, min=0,
               help='Attempts at deleting a busy RBD image.'),
    cfg.StrOpt('nfs_mount_point_base',
               default=paths.state_path_def('mnt'),
               help='Directory NFS volumes are mounted under.'),
    cfg.StrOpt('nfs_mount_options',
               help='Mount options for NFS volumes.'),
    cfg.StrOpt('ceph_mount_point_base',
               default=paths.state_path_def('mnt'),
               help='Directory CephFS shares are mounted under.'),
    cfg.ListOpt('ceph_mount_options',
                help='Mount options for CephFS shares.'),
    cfg.StrOpt('quobyte_mount_point_base',
               default=paths.state_path_def('mnt'), **_DEPRECATED_FS,
               help='Directory Quobyte volumes are mounted under.'),
    cfg.StrOpt('quobyte_client_cfg', **_DEPRECATED_FS,
               help='Quobyte client configuration file.'),
    cfg.StrOpt('smbfs_mount_point_base',
               default=paths.state_path_def('mnt'), **_DEPRECATED_FS,
               help='Directory SMBFS volumes are mounted under.'),
    cfg.StrOpt('smbfs_mount_options', default='', **_DEPRECATED_FS,
               help='Mount options for SMBFS volumes.'),
    cfg.StrOpt('remote_filesystem_transport', default='ssh',
               choices=('ssh', 'rsync'),
               help='Tool used to copy files to other hosts during '
                    'migrations.'),
    cfg.StrOpt('vzstorage_mount_point_base',
               default=paths.state_path_def('mnt'), **_DEPRECATED_FS,
               help='Directory Virtuozzo Storage volumes are mounted '
                    'under.'),
    cfg.StrOpt('vzstorage_mount_user', default='stack', **_DEPRECATED_FS,
               help='Owner of Virtuozzo Storage mount points.'),
    cfg.StrOpt('vzstorage_mount_group', default='qemu',
               help='Group of Virtuozzo Storage mount points.'),
    cfg.StrOpt('vzstorage_mount_perms', default='0770',
               help='Permissions of Virtuozzo Storage mount points.'),
    cfg.StrOpt('vzstorage_log_path',
               default='/var/log/vstorage/%(cluster_name)s/nova.log.gz',
               help='Log file of the Virtuozzo Storage client.'),
    cfg.StrOpt('vzstorage_cache_path',
               help='Local cache of the Virtuozzo Storage client.'),
    cfg.ListOpt('vzstorage_mount_opts', default=[],
                help='Extra options of the Virtuozzo Storage mount.'),
    cfg.IntOpt('num_nvme_discover_tries', default=5,
               help='Rescans for an NVMe-oF volume.'),
    cfg.BoolOpt('use_default_aio_mode_for_volumes', default=False,
                help='Leave the AIO mode of volumes to the hypervisor '
                     'instead of choosing native AIO.'),
]

virtio_opts = [
    cfg.IntOpt('rx_queue_size', choices=(256, 512, 1024),
               help='Receive queue size of virtio NICs; unset keeps the '
                    'default.'),
    cfg.IntOpt('tx_queue_size', choices=(256, 512, 1024),
               help='Transmit queue size of virtio NICs; unset keeps the '
                    'default.'),
    cfg.IntOpt('max_queues', min=1,
               help='Most queues of a multiqueue virtio NIC; unset derives '
                    'it from the kernel.'),
]

pmem_opts = [
    cfg.ListOpt('pmem_namespaces', default=[],
                help='Persistent memory namespaces offered to guests, as '
                     '"label:ns1|ns2".'),
]

vtpm_opts = [
    cfg.BoolOpt('swtpm_enabled', default=False,
                help='Offer emulated TPM devices (swtpm) to guests.'),
    cfg.StrOpt('swtpm_user', default='tss',
               help='User the swtpm process runs as.'),
    cfg.StrOpt('swtpm_group', default='tss',
               help='Group the swtpm process runs as.'),
    cfg.ListOpt('supported_tpm_secret_security',
                item_type=types.String(choices=('user', 'host',
                                                'deployment')),
                default=['user', 'host', 'deployment'],
                help='Who may hold the secret of emulated TPMs.'),
]

cpu_power_opts = [
    cfg.BoolOpt('cpu_power_management', default=False,
                help='Power down dedicated host CPUs no guest uses.'),
    cfg.StrOpt('cpu_power_management_strategy', default='cpu_state',
               choices=(('cpu_state', 'take CPUs offline'),
                        ('governor', 'switch the CPU governor')),
               help='How unused dedicated CPUs are powered down.'),
    cfg.StrOpt('cpu_power_governor_low', default='powersave',
               help='Governor of unused CPUs with the governor '
                    'strategy.'),
    cfg.StrOpt('cpu_power_governor_high', default='performance',
               help='Governor of CPUs in use with the governor strategy.'),
]

libvirt_opts = (general_opts + migration_opts + guest_opts
                + imagebackend_opts + volume_opts + virtio_opts + pmem_opts
                + vtpm_opts + cpu_power_opts)


def register_opts(conf):
    conf.register_group(libvirt_group)
    conf.register_opts(libvirt_opts, group=libvirt_group)


def list_opts():
    return {libvirt_group: libvirt_opts}
