"""Server group (anti-)affinity, and the same_host / different_host hints."""

from oslo_log import log as logging

from nova.scheduler import filters

LOG = logging.getLogger(__name__)


def _group(spec_obj):
    if not spec_obj.obj_attr_is_set('instance_group'):
        return None
    return spec_obj.instance_group


def _policy(group):
    return group.policy if group is not None and group.obj_attr_is_set('policy') else None


class ServerGroupAffinityFilter(filters.BaseHostFilter):
    """Members of an ``affinity`` group all go to the first member's host."""

    RUN_ON_REBUILD = False

    def accepts_all(self, spec_obj):
        group = _group(spec_obj)
        if _policy(group) != 'affinity':
            return True
        return not (group.hosts if group.obj_attr_is_set('hosts') else None)

    def host_passes(self, host_state, spec_obj):
        group = _group(spec_obj)
        if _policy(group) != 'affinity':
            return True
        group_hosts = group.hosts if group.obj_attr_is_set('hosts') else None
        if not group_hosts:
            return True  # the first member goes anywhere
        return host_state.host in group_hosts


class ServerGroupAntiAffinityFilter(filters.BaseHostFilter):
    """At most ``max_server_per_host`` (default 1) members of an anti-affinity group
    per host."""

    RUN_ON_REBUILD = False

    def accepts_all(self, spec_obj):
        return _policy(_group(spec_obj)) != 'anti-affinity'

    def host_passes(self, host_state, spec_obj):
        group = _group(spec_obj)
        if _policy(group) != 'anti-affinity':
            return True
        instance_uuid = spec_obj.instance_uuid if spec_obj.obj_attr_is_set(
            'instance_uuid') else None
        on_host = set(host_state.instances)
        if instance_uuid and instance_uuid in on_host:
            return True  # a move may check the host the server is on already
        members = set(group.members or []) if group.obj_attr_is_set('members') else set()
        rules = group.rules if group.obj_attr_is_set('rules') else {}
        limit = int((rules or {}).get('max_server_per_host', 1))
        count = len(on_host & members)
        if count >= limit:
            LOG.debug('%(host)s already holds %(count)d member(s) of anti-affinity group '
                      '%(group)s', {'host': host_state, 'count': count,
                                    'group': group.uuid if 'uuid' in group else 'n/a'})
            return False
        return True


def _hint_uuids(spec_obj, name):
    hint = spec_obj.get_scheduler_hint(name)
    if not hint:
        return []
    return [hint] if isinstance(hint, str) else list(hint)


class DifferentHostFilter(filters.BaseHostFilter):
    """Hosts holding none of the servers named by the ``different_host`` hint."""

    RUN_ON_REBUILD = False

    def accepts_all(self, spec_obj):
        return not _hint_uuids(spec_obj, 'different_host')

    def host_passes(self, host_state, spec_obj):
        uuids = _hint_uuids(spec_obj, 'different_host')
        return not uuids or not set(uuids) & set(host_state.instances)


class SameHostFilter(filters.BaseHostFilter):
    """Hosts holding at least one of the servers named by the ``same_host`` hint."""

    RUN_ON_REBUILD = False

    def accepts_all(self, spec_obj):
        return not _hint_uuids(spec_obj, 'same_host')

    def host_passes(self, host_state, spec_obj):
        uuids = _hint_uuids(spec_obj, 'same_host')
        return not uuids or bool(set(uuids) & set(host_state.instances))
