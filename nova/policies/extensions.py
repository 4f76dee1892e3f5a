"""Default policy rules of the extensions API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:extensions',
        '@',
        'Who may call GET /extensions and GET /extensions/{alias}.',
        ['GET /extensions', 'GET /extensions/{alias}']),
]


def list_rules():
    return RULES
