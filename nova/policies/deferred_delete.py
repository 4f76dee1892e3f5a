"""Default policy rules of the deferred delete API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-deferred-delete:restore',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (restore).',
        ['POST /servers/{server_id}/action (restore)']),
    base.documented(
        'os_compute_api:os-deferred-delete:force',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (forceDelete).',
        ['POST /servers/{server_id}/action (forceDelete)']),
]


def list_rules():
    return RULES
