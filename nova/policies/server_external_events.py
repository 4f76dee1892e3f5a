"""Default policy rules of the server external events API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-server-external-events:create',
        'rule:service_or_admin',
        'Who may call POST /os-server-external-events.',
        ['POST /os-server-external-events']),
]


def list_rules():
    return RULES
