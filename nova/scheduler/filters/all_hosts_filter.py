"""A filter that keeps every host (for deployments that rely on Placement only)."""

from nova.scheduler import filters


class AllHostsFilter(filters.BaseHostFilter):
    """Let every host through."""

    run_filter_once_per_request = True
    RUN_ON_REBUILD = False

    def host_passes(self, host_state, spec_obj):
        return True
