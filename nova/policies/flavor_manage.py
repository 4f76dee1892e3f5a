"""Default policy rules of the flavor manage API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-flavor-manage:create',
        'rule:context_is_admin',
        'Who may call POST /flavors.',
        ['POST /flavors']),
    base.documented(
        'os_compute_api:os-flavor-manage:update',
        'rule:context_is_admin',
        'Who may call PUT /flavors/{flavor_id}.',
        ['PUT /flavors/{flavor_id}']),
    base.documented(
        'os_compute_api:os-flavor-manage:delete',
        'rule:context_is_admin',
        'Who may call DELETE /flavors/{flavor_id}.',
        ['DELETE /flavors/{flavor_id}']),
]


def list_rules():
    return RULES
