"""Default policy rules of the server topology API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'compute:server:topology:index',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/topology.',
        ['GET /servers/{server_id}/topology']),
    base.documented(
        'compute:server:topology:host:index',
        'rule:context_is_admin',
        'Who may call GET /servers/{server_id}/topology.',
        ['GET /servers/{server_id}/topology']),
]


def list_rules():
    return RULES
