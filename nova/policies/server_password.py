"""Default policy rules of the server password API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-server-password:show',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/os-server-password.',
        ['GET /servers/{server_id}/os-server-password']),
    base.documented(
        'os_compute_api:os-server-password:clear',
        'rule:project_member_or_admin',
        'Who may call DELETE /servers/{server_id}/os-server-password.',
        ['DELETE /servers/{server_id}/os-server-password']),
]


def list_rules():
    return RULES
