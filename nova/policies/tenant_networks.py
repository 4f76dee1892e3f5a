"""Default policy rules of the tenant networks API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-tenant-networks:list',
        'rule:project_reader_or_admin',
        'Who may call GET /os-tenant-networks.',
        ['GET /os-tenant-networks']),
    base.documented(
        'os_compute_api:os-tenant-networks:show',
        'rule:project_reader_or_admin',
        'Who may call GET /os-tenant-networks/{network_id}.',
        ['GET /os-tenant-networks/{network_id}']),
]


def list_rules():
    return RULES
