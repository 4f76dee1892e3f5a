"""Default policy rules of the flavor access API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-flavor-access:add_tenant_access',
        'rule:context_is_admin',
        'Who may call POST /flavors/{flavor_id}/action (addTenantAccess).',
        ['POST /flavors/{flavor_id}/action (addTenantAccess)']),
    base.documented(
        'os_compute_api:os-flavor-access:remove_tenant_access',
        'rule:context_is_admin',
        'Who may call POST /flavors/{flavor_id}/action (removeTenantAccess).',
        ['POST /flavors/{flavor_id}/action (removeTenantAccess)']),
    base.documented(
        'os_compute_api:os-flavor-access',
        'rule:context_is_admin',
        'Who may call GET /flavors/{flavor_id}/os-flavor-access.',
        ['GET /flavors/{flavor_id}/os-flavor-access']),
]


def list_rules():
    return RULES
