"""Default policy rules of the networks API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-networks:list',
        'rule:project_reader_or_admin',
        'Who may call GET /os-networks.',
        ['GET /os-networks']),
    base.documented(
        'os_compute_api:os-networks:show',
        'rule:project_reader_or_admin',
        'Who may call GET /os-networks/{network_id}.',
        ['GET /os-networks/{network_id}']),
]


def list_rules():
    return RULES
