"""Default policy rules of the create backup API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-create-backup',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (createBackup).',
        ['POST /servers/{server_id}/action (createBackup)']),
]


def list_rules():
    return RULES
