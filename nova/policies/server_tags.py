"""Default policy rules of the server tags API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-server-tags:delete_all',
        'rule:project_member_or_admin',
        'Who may call DELETE /servers/{server_id}/tags.',
        ['DELETE /servers/{server_id}/tags']),
    base.documented(
        'os_compute_api:os-server-tags:index',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/tags.',
        ['GET /servers/{server_id}/tags']),
    base.documented(
        'os_compute_api:os-server-tags:update_all',
        'rule:project_member_or_admin',
        'Who may call PUT /servers/{server_id}/tags.',
        ['PUT /servers/{server_id}/tags']),
    base.documented(
        'os_compute_api:os-server-tags:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /servers/{server_id}/tags/{tag}.',
        ['DELETE /servers/{server_id}/tags/{tag}']),
    base.documented(
        'os_compute_api:os-server-tags:update',
        'rule:project_member_or_admin',
        'Who may call PUT /servers/{server_id}/tags/{tag}.',
        ['PUT /servers/{server_id}/tags/{tag}']),
    base.documented(
        'os_compute_api:os-server-tags:show',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/tags/{tag}.',
        ['GET /servers/{server_id}/tags/{tag}']),
]


def list_rules():
    return RULES
