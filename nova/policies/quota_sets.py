"""Default policy rules of the quota sets API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-quota-sets:update',
        'rule:context_is_admin',
        'Who may call PUT /os-quota-sets/{tenant_id}.',
        ['PUT /os-quota-sets/{tenant_id}']),
    base.documented(
        'os_compute_api:os-quota-sets:defaults',
        '@',
        'Who may call GET /os-quota-sets/{tenant_id}/defaults.',
        ['GET /os-quota-sets/{tenant_id}/defaults']),
    base.documented(
        'os_compute_api:os-quota-sets:show',
        'rule:project_reader_or_admin',
        'Who may call GET /os-quota-sets/{tenant_id}.',
        ['GET /os-quota-sets/{tenant_id}']),
    base.documented(
        'os_compute_api:os-quota-sets:delete',
        'rule:context_is_admin',
        'Who may call DELETE /os-quota-sets/{tenant_id}.',
        ['DELETE /os-quota-sets/{tenant_id}']),
    base.documented(
        'os_compute_api:os-quota-sets:detail',
        'rule:project_reader_or_admin',
        'Who may call GET /os-quota-sets/{tenant_id}/detail.',
        ['GET /os-quota-sets/{tenant_id}/detail']),
]


def list_rules():
    return RULES
