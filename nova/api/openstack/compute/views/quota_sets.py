"""Quota sets as the API shows them: which resources a microversion shows."""

from nova.api.openstack.compute.schemas import quota_sets as schema

_NETWORK_SHOWN = ('fixed_ips', 'floating_ips', 'security_group_rules', 'security_groups')


def shown_resources(version, with_server_groups=True):
    """Resource names a response carries at ``version`` (API order does not matter)."""
    names = list(schema.COMMON)
    if version < '2.57':
        names += schema.INJECTED
    if version < '2.36':
        names += _NETWORK_SHOWN
    if with_server_groups:
        names += schema.SERVER_GROUPS
    return names


def quota_set(req, project_id, values, detail=False, with_id=True):
    """A project's (or user's) limits; ``detail``: with usage (``values`` then maps to dicts)."""
    body = {}
    for name in shown_resources(req.api_version_request):
        if name in _NETWORK_SHOWN:
            value = {'limit': -1, 'in_use': 0, 'reserved': 0} if detail else -1
        else:
            value = values[name]
        body[name] = value
    if with_id:
        body['id'] = project_id
    return {'quota_set': body}
