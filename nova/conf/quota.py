"""[quota]: default limits and how usage is counted."""

from oslo_config import cfg

quota_group = cfg.OptGroup(
    'quota', title='Quota options',
    help='Default per-project limits and the quota engine.  A limit of -1 '
         'means unlimited.')


def _limit(name, default, what):
    return cfg.IntOpt(name, default=default, min=-1,
                      help='Default per-project limit of %s.' % what)


quota_opts = [
    _limit('instances', 10, 'servers'),
    _limit('cores', 20, 'vCPUs'),
    _limit('ram', 51200, 'memory in MiB'),
    _limit('metadata_items', 128, 'metadata items per server'),
    _limit('injected_files', 5, 'files injected into a server'),
    _limit('injected_file_content_bytes', 10240,
           'bytes in one injected file'),
    _limit('injected_file_path_length', 255,
           'characters in the path of an injected file'),
    _limit('key_pairs', 100, 'key pairs per user'),
    _limit('server_groups', 10, 'server groups'),
    _limit('server_group_members', 10, 'servers in one server group'),
    cfg.StrOpt('driver', default='nova.quota.DbQuotaDriver',
               choices=[('nova.quota.DbQuotaDriver',
                         'limits stored in the Nova API database'),
                        ('nova.quota.NoopQuotaDriver', 'no quota at all'),
                        ('nova.quota.UnifiedLimitsDriver',
                         'limits stored in Keystone (unified limits)')],
               help='Quota engine.'),
    cfg.BoolOpt('recheck_quota', default=True,
                help='Count usage again after creating resources, to catch '
                     'races between concurrent requests.'),
    cfg.BoolOpt('count_usage_from_placement', default=False,
                help='Count vCPU and memory usage from Placement allocations, '
                     'and servers from the instance mappings of the API '
                     'database, instead of from the cell databases, so that a '
                     'cell that does not answer does not hide usage. Side '
                     'effects: a resized server holds both flavors until the '
                     'resize is confirmed or reverted; shelved-offloaded and '
                     'never-scheduled servers hold no vCPU or memory. Do not '
                     'enable when several deployments share one Placement. '
                     'Projects with instance mappings lacking user_id or '
                     'queued_for_delete are still counted from the cells.'),
    cfg.StrOpt('unified_limits_resource_strategy', default='require',
               choices=[('require', 'the listed resources must have a '
                                    'registered limit'),
                        ('ignore', 'the listed resources are not enforced '
                                   'when they have no registered limit')],
               help='With unified limits, how resources lacking a registered '
                    'limit are treated.'),
    cfg.ListOpt('unified_limits_resource_list', default=['servers'],
                help='Resources the unified limits strategy applies to.'),
]


def register_opts(conf):
    conf.register_group(quota_group)
    conf.register_opts(quota_opts, group=quota_group)


def list_opts():
    return {quota_group: quota_opts}
