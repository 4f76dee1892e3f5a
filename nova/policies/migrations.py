"""Default policy rules of the migrations API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-migrations:index',
        'rule:project_manager_or_admin',
        'Who may call GET /os-migrations.',
        ['GET /os-migrations']),
    base.documented(
        'os_compute_api:os-migrations:index:all_projects',
        'rule:context_is_admin',
        'Who may call GET /os-migrations.',
        ['GET /os-migrations']),
    base.documented(
        'os_compute_api:os-migrations:index:host',
        'rule:context_is_admin',
        'Who may call GET /os-migrations.',
        ['GET /os-migrations']),
]


def list_rules():
    return RULES
