"""Match flavor extra specs scoped ``capabilities:`` against what the host reports."""

from oslo_log import log as logging
from oslo_serialization import jsonutils

from nova.scheduler import filters
from nova.scheduler.filters import extra_specs_ops

LOG = logging.getLogger(__name__)


def _lookup(host_state, path):
    """Walk ``path`` through the host's attributes, its stats, and JSON sub-documents."""
    current = host_state
    for part in path:
        if isinstance(current, str):
            try:
                current = jsonutils.loads(current)
            except ValueError:
                return None
        if isinstance(current, dict):
            current = current.get(part)
        else:
            value = getattr(current, part, None)
            if value is None:
                stats = getattr(current, 'stats', None)
                value = stats.get(part) if isinstance(stats, dict) else None
            current = value
        if current is None:
            return None
    return current


class ComputeCapabilitiesFilter(filters.BaseHostFilter):
    """Hosts whose capabilities satisfy every capability extra spec of the flavor."""

    RUN_ON_REBUILD = False

    def accepts_all(self, spec_obj):
        flavor = spec_obj.flavor
        extra_specs = flavor.extra_specs if flavor.obj_attr_is_set('extra_specs') else {}
        for key in extra_specs or {}:
            path = key.split(':')
            if len(path) == 1 or path[0] == 'capabilities':
                return False
        return True

    def host_passes(self, host_state, spec_obj):
        flavor = spec_obj.flavor
        extra_specs = flavor.extra_specs if flavor.obj_attr_is_set('extra_specs') else {}
        for key, requirement in (extra_specs or {}).items():
            path = key.split(':')
            if len(path) > 1:
                if path[0] != 'capabilities':
                    continue  # another filter's (or Placement's) business
                path = path[1:]
            value = _lookup(host_state, path)
            if value is None or not extra_specs_ops.match(str(value), requirement):
                LOG.debug('%(host)s fails extra spec %(key)s=%(req)s (host has %(value)s)',
                          {'host': host_state, 'key': key, 'req': requirement,
                           'value': value})
                return False
        return True
