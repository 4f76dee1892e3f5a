"""Default policy rules of the suspend server API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-suspend-server:resume',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (resume).',
        ['POST /servers/{server_id}/action (resume)']),
    base.documented(
        'os_compute_api:os-suspend-server:suspend',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (suspend).',
        ['POST /servers/{server_id}/action (suspend)']),
]


def list_rules():
    return RULES
