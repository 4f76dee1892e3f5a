"""Default policy rules of the server groups API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-server-groups:create',
        'rule:project_member_or_admin',
        'Who may call POST /os-server-groups.',
        ['POST /os-server-groups']),
    base.documented(
        'os_compute_api:os-server-groups:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /os-server-groups/{server_group_id}.',
        ['DELETE /os-server-groups/{server_group_id}']),
    base.documented(
        'os_compute_api:os-server-groups:index',
        'rule:project_reader_or_admin',
        'Who may call GET /os-server-groups.',
        ['GET /os-server-groups']),
    base.documented(
        'os_compute_api:os-server-groups:index:all_projects',
        'rule:context_is_admin',
        'Who may call GET /os-server-groups.',
        ['GET /os-server-groups']),
    base.documented(
        'os_compute_api:os-server-groups:show',
        'rule:project_reader_or_admin',
        'Who may call GET /os-server-groups/{server_group_id}.',
        ['GET /os-server-groups/{server_group_id}']),
]


def list_rules():
    return RULES
