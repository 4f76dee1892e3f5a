"""[workarounds]: switches for known bugs and environment quirks.

Each option here exists because some deployment needed it; they are off by
default and may disappear once the underlying problem is gone.
"""

from oslo_config import cfg
from oslo_config import types

workarounds_group = cfg.OptGroup(
    'workarounds', title='Workaround options',
    help='Opt-in behaviour changes for specific bugs or environments.')

_VNIC_TYPES = ('normal', 'direct', 'macvtap', 'baremetal', 'direct-physical',
               'virtio-forwarder', 'smart-nic', 'vdpa', 'accelerator-direct',
               'accelerator-direct-physical', 'remote-managed')

workarounds_opts = [
    cfg.BoolOpt('disable_rootwrap', default=False,
                help='Use sudo directly instead of rootwrap.'),
    cfg.BoolOpt('disable_libvirt_livesnapshot', default=False,
                deprecated_for_removal=True,
                deprecated_since='19.0.0',
                deprecated_reason='The libvirt bug it avoided is long fixed.',
                help='Take cold snapshots instead of live ones with '
                     'libvirt.'),
    cfg.BoolOpt('handle_virt_lifecycle_events', default=True,
                help='React to guest lifecycle events from the hypervisor; '
                     'turn off if they cause spurious power state changes.'),
    cfg.BoolOpt('disable_group_policy_check_upcall', default=False,
                help='Skip the compute-side server group policy recheck, '
                     'which needs API database access.'),
    cfg.BoolOpt('enable_numa_live_migration', default=False,
                deprecated_for_removal=True,
                deprecated_since='20.0.0',
                deprecated_reason='NUMA-aware live migration is always on '
                                  'now.',
                help='Allow live migration of servers with a NUMA '
                     'topology.'),
    cfg.BoolOpt('ensure_libvirt_rbd_instance_dir_cleanup', default=False,
                help='Remove the local instance directory of RBD-backed '
                     'servers when they are deleted or moved.'),
    cfg.BoolOpt('disable_fallback_pcpu_query', default=False,
                deprecated_for_removal=True,
                deprecated_since='20.0.0',
                help='Do not fall back to VCPU when a PCPU query to '
                     'Placement returns nothing.'),
    cfg.BoolOpt('never_download_image_if_on_rbd', default=False,
                help='Refuse to boot from an image that would have to be '
                     'downloaded rather than cloned inside Ceph.'),
    cfg.BoolOpt('reserve_disk_resource_for_image_cache', default=False,
                help='Count the image cache as reserved disk in '
                     'Placement.'),
    cfg.BoolOpt('libvirt_disable_apic', default=False,
                help='Start guests without an APIC, for old guest kernels '
                     'that hang otherwise.'),
    cfg.ListOpt('wait_for_vif_plugged_event_during_hard_reboot',
                item_type=types.String(choices=_VNIC_TYPES), default=[],
                help='vNIC types whose network-vif-plugged events are '
                     'awaited during a hard reboot.'),
    cfg.BoolOpt('enable_qemu_monitor_announce_self', default=False,
                help='After a live migration, make QEMU announce the guest '
                     'on the network again (gratuitous ARP).'),
    cfg.IntOpt('qemu_monitor_announce_self_count', default=3, min=1,
               help='Announcements QEMU sends per request.'),
    cfg.IntOpt('qemu_monitor_announce_self_interval', default=1, min=1,
               help='Seconds between two such announcements.'),
    cfg.BoolOpt('disable_compute_service_check_for_ffu', default=False,
                help='Let services start although too-old compute services '
                     'are still registered (for fast-forward upgrades).'),
    cfg.BoolOpt('unified_limits_count_pcpu_as_vcpu', default=False,
                help='With unified limits, count dedicated CPUs (PCPU) '
                     'against the VCPU limit.'),
    cfg.BoolOpt('skip_cpu_compare_on_dest', default=False,
                help='Skip the destination\'s CPU compatibility check before '
                     'live migration.'),
    cfg.BoolOpt('skip_cpu_compare_at_startup', default=False,
                help='Skip the CPU model compatibility check when '
                     'nova-compute starts.'),
    cfg.BoolOpt('skip_hypervisor_version_check_on_lm', default=False,
                help='Allow live migration to a host with an older '
                     'hypervisor.'),
    cfg.BoolOpt('skip_reserve_in_use_ironic_nodes', default=False,
                help='Do not mark the inventory of Ironic nodes in use as '
                     'reserved.'),
    cfg.BoolOpt('disable_deep_image_inspection', default=False,
                help='Skip the safety inspection of image contents (format '
                     'and embedded references).  Dangerous.'),
]


def register_opts(conf):
    conf.register_group(workarounds_group)
    conf.register_opts(workarounds_opts, group=workarounds_group)


def list_opts():
    return {workarounds_group: workarounds_opts}
