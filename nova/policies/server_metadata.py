"""Default policy rules of the server metadata API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:server-metadata:index',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/metadata.',
        ['GET /servers/{server_id}/metadata']),
    base.documented(
        'os_compute_api:server-metadata:show',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/metadata/{key}.',
        ['GET /servers/{server_id}/metadata/{key}']),
    base.documented(
        'os_compute_api:server-metadata:create',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/metadata.',
        ['POST /servers/{server_id}/metadata']),
    base.documented(
        'os_compute_api:server-metadata:update_all',
        'rule:project_member_or_admin',
        'Who may call PUT /servers/{server_id}/metadata.',
        ['PUT /servers/{server_id}/metadata']),
    base.documented(
        'os_compute_api:server-metadata:update',
        'rule:project_member_or_admin',
        'Who may call PUT /servers/{server_id}/metadata/{key}.',
        ['PUT /servers/{server_id}/metadata/{key}']),
    base.documented(
        'os_compute_api:server-metadata:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /servers/{server_id}/metadata/{key}.',
        ['DELETE /servers/{server_id}/metadata/{key}']),
]


def list_rules():
    return RULES
