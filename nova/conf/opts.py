"""Entry point for ``oslo-config-generator`` (namespace ``nova``).

Collects the options every module under nova.conf declares, grouped by
section, sorted with [DEFAULT] first.
"""

import collections

from oslo_config import cfg

import nova.conf


def _group_name(group):
    return group.name if isinstance(group, cfg.OptGroup) else group


def list_opts():
    """Return [(group, [opts])] covering every option Nova registers."""
    groups = {}
    opts = collections.defaultdict(list)
    for module in nova.conf.MODULES:
        for group, group_opts in module.list_opts().items():
            name = _group_name(group)
            # Keep the OptGroup object (it carries the help) when one exists.
            if isinstance(group, cfg.OptGroup) or name not in groups:
                groups[name] = group
            opts[name].extend(group_opts)
    order = sorted(groups, key=lambda n: (n != 'DEFAULT', n))
    return [(groups[name], opts[name]) for name in order]
