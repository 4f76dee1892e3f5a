"""Host filters: each one says yes or no to a host for one server request.

Filters live one family per module in this package; ``all_filters`` finds
them all, and ``[filter_scheduler] enabled_filters`` picks which run.
"""

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class BaseHostFilter(object):
    """A check of one HostState against one RequestSpec."""

    abstract = True
    # True when the answer depends only on the request, so a multi-server
    # request may skip re-running it for the second server onwards.
    run_filter_once_per_request = False
    # False for filters that must not veto a rebuild on the current host.
    RUN_ON_REBUILD = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.abstract = cls.__dict__.get('abstract', False)

    def host_passes(self, host_state, spec_obj):
        raise NotImplementedError()

    def run_filter_for_index(self, index):
        return not (self.run_filter_once_per_request and index > 0)

    def accepts_all(self, spec_obj):
        """True when the request alone says every host passes (no group, no
        image property, no capability to match...): asked once per request,
        so the hosts are not each checked for nothing."""
        return False

    def filter_all(self, host_states, spec_obj):
        if self.accepts_all(spec_obj):
            return list(host_states)
        return [host for host in host_states if self.host_passes(host, spec_obj)]


def _is_rebuild(spec_obj):
    hints = spec_obj.scheduler_hints if spec_obj.obj_attr_is_set('scheduler_hints') else None
    return bool(hints and hints.get('_nova_check_type') == ['rebuild'])


class HostFilterHandler(object):
    """Runs filters in order, logging which one emptied the list."""

    def get_filtered_objects(self, filters, host_states, spec_obj, index=0):
        hosts = list(host_states)
        rebuild = _is_rebuild(spec_obj)
        history = []
        for flt in filters:
            if rebuild and not flt.RUN_ON_REBUILD:
                continue
            if not flt.run_filter_for_index(index):
                continue
            name = type(flt).__name__
            before = len(hosts)
            hosts = list(flt.filter_all(hosts, spec_obj))
            history.append('%s: (start: %d, end: %d)' % (name, before, len(hosts)))
            LOG.debug('Filter %(name)s returned %(count)d host(s)',
                      {'name': name, 'count': len(hosts)})
            if not hosts:
                LOG.info('Filtering removed all hosts for the request with instance ID '
                         '%(uuid)s. Filter results: %(results)s',
                         {'uuid': getattr(spec_obj, 'instance_uuid', None),
                          'results': ', '.join(history)})
                return []
        return hosts


def all_filters():
    """Every host filter class this project ships."""
    from nova.scheduler import loadables
    return loadables.classes_in_package(__name__, BaseHostFilter)
