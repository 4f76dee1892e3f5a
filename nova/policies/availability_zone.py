"""Default policy rules of the availability zone API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-availability-zone:list',
        '@',
        'Who may call GET /os-availability-zone.',
        ['GET /os-availability-zone']),
    base.documented(
        'os_compute_api:os-availability-zone:detail',
        'rule:context_is_admin',
        'Who may call GET /os-availability-zone/detail.',
        ['GET /os-availability-zone/detail']),
]


def list_rules():
    return RULES
