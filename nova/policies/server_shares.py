"""Default policy rules of the server shares API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-server-shares:index',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/shares.',
        ['GET /servers/{server_id}/shares']),
    base.documented(
        'os_compute_api:os-server-shares:create',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/shares.',
        ['POST /servers/{server_id}/shares']),
    base.documented(
        'os_compute_api:os-server-shares:show',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/shares/{share_id}.',
        ['GET /servers/{server_id}/shares/{share_id}']),
    base.documented(
        'os_compute_api:os-server-shares:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /servers/{server_id}/shares/{share_id}.',
        ['DELETE /servers/{server_id}/shares/{share_id}']),
]


def list_rules():
    return RULES
