"""[scheduler], [filter_scheduler] and [metrics]: how hosts are picked."""

from oslo_config import cfg

scheduler_group = cfg.OptGroup(
    'scheduler', title='Scheduler options',
    help='General settings of nova-scheduler and its Placement queries.')

scheduler_opts = [
    cfg.IntOpt('max_attempts', default=3, min=1,
               help='Hosts tried for one server build (the chosen one plus '
                    'alternates) before the build fails.'),
    cfg.IntOpt('discover_hosts_in_cells_interval', default=-1, min=-1,
               help='Seconds between automatic discoveries of unmapped '
                    'compute hosts; -1 disables.  Run it in one scheduler '
                    'only.'),
    cfg.IntOpt('max_placement_results', default=1000, min=1,
               help='Most allocation candidates asked from Placement per '
                    'request.'),
    cfg.IntOpt('workers', min=0,
               help='Worker processes of nova-scheduler.  Unset means one '
                    'per CPU.'),
    cfg.BoolOpt('query_placement_for_routed_network_aggregates',
                default=False,
                help='Restrict candidates to hosts in the segments of the '
                     'routed networks a server is attached to.'),
    cfg.BoolOpt('limit_tenants_to_placement_aggregate', default=False,
                help='Send projects to the aggregates whose '
                     'filter_tenant_id metadata names them.'),
    cfg.BoolOpt('placement_aggregate_required_for_tenants', default=False,
                help='With limit_tenants_to_placement_aggregate, refuse to '
                     'place projects that no aggregate names.'),
    cfg.BoolOpt('query_placement_for_image_type_support', default=False,
                help='Only consider hosts whose driver supports the disk '
                     'format of the server\'s image.'),
    cfg.BoolOpt('enable_isolated_aggregate_filtering', default=False,
                help='Keep servers off aggregates requiring traits the '
                     'server does not ask for.'),
    cfg.BoolOpt('image_metadata_prefilter', default=False,
                help='Turn image properties (hw_*) into required traits in '
                     'the Placement query.'),
]

filter_scheduler_group = cfg.OptGroup(
    'filter_scheduler', title='Filter scheduler options',
    help='Filters and weighers applied to the hosts Placement returned.')

_ARCHITECTURES = (
    'alpha', 'armv6', 'armv7l', 'armv7b', 'aarch64', 'cris', 'i686', 'ia64',
    'lm32', 'm68k', 'microblaze', 'microblazeel', 'mips', 'mipsel', 'mips64',
    'mips64el', 'openrisc', 'parisc', 'parisc64', 'ppc', 'ppcle', 'ppc64',
    'ppc64le', 'ppcemb', 's390', 's390x', 'sh4', 'sh4eb', 'sparc',
    'sparc64', 'unicore32', 'x86_64', 'xtensa', 'xtensaeb',
)


def _multiplier(name, default, what, **kwargs):
    return cfg.FloatOpt(name, default=default,
                        help='Weight multiplier for %s.  Positive values '
                             'favour, negative values avoid.' % what,
                        **kwargs)


filter_scheduler_opts = [
    cfg.IntOpt('host_subset_size', default=1, min=1,
               help='Pick the host at random among this many best-weighed '
                    'hosts, to spread concurrent requests.'),
    cfg.IntOpt('max_io_ops_per_host', default=8, min=0,
               help='Most I/O heavy operations (builds, resizes, snapshots, '
                    '...) a host may run for IoOpsFilter to accept it.'),
    cfg.IntOpt('max_instances_per_host', default=50, min=1,
               help='Most servers a host may hold for NumInstancesFilter to '
                    'accept it.'),
    cfg.BoolOpt('track_instance_changes', default=True,
                help='Have compute hosts send their server lists to the '
                     'scheduler, for affinity filters.'),
    cfg.MultiStrOpt('available_filters',
                    default=['nova.scheduler.filters.all_filters'],
                    help='Filter classes the scheduler may load; may be '
                         'repeated.'),
    cfg.ListOpt('enabled_filters',
                default=['ComputeFilter', 'ComputeCapabilitiesFilter',
                         'ImagePropertiesFilter',
                         'ServerGroupAntiAffinityFilter',
                         'ServerGroupAffinityFilter'],
                help='Filters run, in order, on every request.'),
    cfg.ListOpt('weight_classes',
                default=['nova.scheduler.weights.all_weighers'],
                help='Weigher classes applied to the hosts that passed.'),
    _multiplier('ram_weight_multiplier', 1.0, 'free memory'),
    _multiplier('cpu_weight_multiplier', 1.0, 'free vCPUs'),
    _multiplier('disk_weight_multiplier', 1.0, 'free disk'),
    _multiplier('hypervisor_version_weight_multiplier', 1.0,
                'newer hypervisor versions'),
    _multiplier('num_instances_weight_multiplier', 0.0,
                'the number of servers on a host'),
    _multiplier('io_ops_weight_multiplier', -1.0,
                'the host\'s I/O workload'),
    _multiplier('image_props_weight_multiplier', 0.0,
                'hosts running servers of similar images'),
    cfg.ListOpt('image_props_weight_setting', default=[],
                help='Image properties compared by the image properties '
                     'weigher, as "name=ratio" pairs.'),
    _multiplier('pci_weight_multiplier', 1.0,
                'keeping PCI-capable hosts for PCI requests', min=0.0),
    _multiplier('soft_affinity_weight_multiplier', 1.0,
                'soft-affinity group members', min=0.0),
    _multiplier('soft_anti_affinity_weight_multiplier', 1.0,
                'spreading soft-anti-affinity group members', min=0.0),
    _multiplier('build_failure_weight_multiplier', 1000000.0,
                'hosts with recent build failures'),
    _multiplier('cross_cell_move_weight_multiplier', 1000000.0,
                'staying in the same cell during a move'),
    cfg.BoolOpt('shuffle_best_same_weighed_hosts', default=False,
                help='Shuffle hosts with the same best weight, to spread '
                     'load (useful for Ironic).'),
    cfg.StrOpt('image_properties_default_architecture',
               choices=_ARCHITECTURES,
               help='Architecture assumed for images without an '
                    'hw_architecture property.'),
    cfg.ListOpt('isolated_images', default=[],
                help='Image UUIDs that may only run on isolated_hosts.'),
    cfg.ListOpt('isolated_hosts', default=[],
                help='Hosts reserved for isolated_images.'),
    cfg.BoolOpt('restrict_isolated_hosts_to_isolated_images', default=True,
                help='Keep servers of other images off isolated_hosts.'),
    cfg.StrOpt('aggregate_image_properties_isolation_namespace',
               deprecated_for_removal=True,
               deprecated_since='29.0.0',
               deprecated_reason='The filter using it is deprecated.',
               help='Only aggregate metadata keys with this prefix are '
                    'compared with image properties.'),
    cfg.StrOpt('aggregate_image_properties_isolation_separator', default='.',
               deprecated_for_removal=True,
               deprecated_since='29.0.0',
               deprecated_reason='The filter using it is deprecated.',
               help='Separator between that prefix and the key.'),
    cfg.BoolOpt('pci_in_placement', default=False,
                help='Schedule PCI devices through Placement.  Turn on once '
                     'every compute has [pci]/report_in_placement.'),
]

metrics_group = cfg.OptGroup(
    'metrics', title='Metrics weigher options',
    help='Weigh hosts by metrics reported by the compute monitors.')

metrics_opts = [
    cfg.FloatOpt('weight_multiplier', default=1.0,
                 help='Multiplier of the metrics weigher.'),
    cfg.ListOpt('weight_setting', default=[],
                help='Metrics used and their ratio, as "name=ratio" '
                     'pairs.'),
    cfg.BoolOpt('required', default=True,
                help='Fail when a host lacks a configured metric; when false '
                     'the host gets weight_of_unavailable instead.'),
    cfg.FloatOpt('weight_of_unavailable', default=-10000.0,
                 help='Weight of hosts missing a metric when required is '
                      'false.'),
]


def register_opts(conf):
    conf.register_group(scheduler_group)
    conf.register_opts(scheduler_opts, group=scheduler_group)
    conf.register_group(filter_scheduler_group)
    conf.register_opts(filter_scheduler_opts, group=filter_scheduler_group)
    conf.register_group(metrics_group)
    conf.register_opts(metrics_opts, group=metrics_group)


def list_opts():
    return {scheduler_group: scheduler_opts,
            filter_scheduler_group: filter_scheduler_opts,
            metrics_group: metrics_opts}
