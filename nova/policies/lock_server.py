"""Default policy rules of the lock server API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-lock-server:lock',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (lock).',
        ['POST /servers/{server_id}/action (lock)']),
    base.documented(
        'os_compute_api:os-lock-server:unlock',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (unlock).',
        ['POST /servers/{server_id}/action (unlock)']),
    base.documented(
        'os_compute_api:os-lock-server:unlock:unlock_override',
        'rule:context_is_admin',
        'Who may call POST /servers/{server_id}/action (unlock).',
        ['POST /servers/{server_id}/action (unlock)']),
]


def list_rules():
    return RULES
