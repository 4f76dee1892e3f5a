"""Default policy rules of the server diagnostics API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-server-diagnostics',
        'rule:context_is_admin',
        'Who may call GET /servers/{server_id}/diagnostics.',
        ['GET /servers/{server_id}/diagnostics']),
]


def list_rules():
    return RULES
