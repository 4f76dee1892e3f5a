"""Compute API: the server group named by a boot request's ``group`` scheduler hint.

The group travels in the RequestSpec so the scheduler's (anti-)affinity
filters and weighers see it; the new servers become members in the API DB
as their build requests are recorded, within the ``server_group_members`` quota.
"""

from nova import exception
from nova import objects
from nova import quota


def _hint(scheduler_hints):
    value = (scheduler_hints or {}).get('group')
    if isinstance(value, list):
        value = value[0] if value else None
    return value or None


def _live_member_count_by_user(context, group, user_id):
    members = list(group.members or [])
    if not members:
        return 0
    mappings = objects.InstanceMappingList.get_by_instance_uuids(context, members)
    return len([m for m in mappings if m.user_id == user_id and not m.queued_for_delete])


class ServerGroupAPIMixin(object):
    """Helpers ``nova.compute.api.API.create`` calls for the ``group`` hint."""

    @staticmethod
    def get_requested_instance_group(context, scheduler_hints):
        """The group the hint names, or None; InstanceGroupNotFound if it is unknown."""
        group_hint = _hint(scheduler_hints)
        if group_hint is None:
            return None
        return objects.InstanceGroup.get_by_uuid(context, group_hint)

    @staticmethod
    def check_server_group_members_quota(context, group, num_instances):
        """403-class error when ``num_instances`` more servers overflow the group."""
        if group is None:
            return
        limit = quota.project_limits(context, context.project_id)['server_group_members']
        if limit < 0:
            return
        used = _live_member_count_by_user(context, group, context.user_id)
        if used + num_instances > limit:
            raise exception.InstanceGroupMembersQuotaExceeded()

    @staticmethod
    def spec_instance_group(group):
        """The copy of the group a RequestSpec carries (members and hosts re-read later)."""
        if group is None:
            return None
        copy = group.obj_clone()
        copy.members = None
        copy.hosts = None
        copy.obj_reset_changes(['members', 'hosts'])
        return copy

    @staticmethod
    def add_group_members(context, group, instance_uuids):
        if group is not None and instance_uuids:
            objects.InstanceGroup.add_members(context, group.uuid, list(instance_uuids))
