"""Quota class sets as the API shows them."""

from nova.api.openstack.compute.schemas import quota_classes as schema

# nova-network resources: shown before 2.50, limiting nothing
NETWORK_SHOWN = ('fixed_ips', 'floating_ips', 'security_group_rules', 'security_groups')


def shown(version):
    """Resource names a quota class set carries at ``version``."""
    names = list(schema.COMMON)
    if version < '2.57':
        names += schema.INJECTED
    if version < '2.50':
        names += NETWORK_SHOWN
    else:
        names += schema.SERVER_GROUPS
    return names


def quota_class_set(req, class_name, limits, stored, with_id=True):
    """``limits``: the class's limits; ``stored``: its stored values (the
    nova-network resources limit nothing: a value set before 2.50 is shown
    back, unset ones as -1, as upstream)."""
    body = {name: (stored.get(name, -1) if name in NETWORK_SHOWN else limits[name])
            for name in shown(req.api_version_request)}
    if with_id:
        body['id'] = class_name
    return {'quota_class_set': body}
