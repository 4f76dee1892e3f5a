"""Default policy rules of the rescue API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-rescue',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (rescue).',
        ['POST /servers/{server_id}/action (rescue)']),
]


def list_rules():
    return RULES
