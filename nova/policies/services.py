"""Default policy rules of the services API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-services:list',
        'rule:context_is_admin',
        'Who may call GET /os-services.',
        ['GET /os-services']),
    base.documented(
        'os_compute_api:os-services:update',
        'rule:context_is_admin',
        'Who may call PUT /os-services/{service_id}.',
        ['PUT /os-services/{service_id}']),
    base.documented(
        'os_compute_api:os-services:delete',
        'rule:context_is_admin',
        'Who may call DELETE /os-services/{service_id}.',
        ['DELETE /os-services/{service_id}']),
]


def list_rules():
    return RULES
