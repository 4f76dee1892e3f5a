"""Default policy rules of the quota class sets API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-quota-class-sets:show',
        'rule:context_is_admin',
        'Who may call GET /os-quota-class-sets/{quota_class}.',
        ['GET /os-quota-class-sets/{quota_class}']),
    base.documented(
        'os_compute_api:os-quota-class-sets:update',
        'rule:context_is_admin',
        'Who may call PUT /os-quota-class-sets/{quota_class}.',
        ['PUT /os-quota-class-sets/{quota_class}']),
]


def list_rules():
    return RULES
