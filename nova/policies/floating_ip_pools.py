"""Default policy rules of the floating ip pools API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-floating-ip-pools',
        '@',
        'Who may call GET /os-floating-ip-pools.',
        ['GET /os-floating-ip-pools']),
]


def list_rules():
    return RULES
