"""Default policy rules of the limits API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:limits',
        '@',
        'Who may call GET /limits.',
        ['GET /limits']),
    base.documented(
        'os_compute_api:limits:other_project',
        'rule:context_is_admin',
        'Who may call GET /limits.',
        ['GET /limits']),
]


def list_rules():
    return RULES
