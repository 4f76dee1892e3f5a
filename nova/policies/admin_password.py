"""Default policy rules of the admin password API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-admin-password',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (changePassword).',
        ['POST /servers/{server_id}/action (changePassword)']),
]


def list_rules():
    return RULES
