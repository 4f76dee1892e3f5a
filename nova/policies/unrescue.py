"""Default policy rules of the unrescue API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-unrescue',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (unrescue).',
        ['POST /servers/{server_id}/action (unrescue)']),
]


def list_rules():
    return RULES
