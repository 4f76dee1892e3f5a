"""Default policy rules of the pause server API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-pause-server:pause',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (pause).',
        ['POST /servers/{server_id}/action (pause)']),
    base.documented(
        'os_compute_api:os-pause-server:unpause',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (unpause).',
        ['POST /servers/{server_id}/action (unpause)']),
]


def list_rules():
    return RULES
