"""Default policy rules of the shelve API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-shelve:shelve',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (shelve).',
        ['POST /servers/{server_id}/action (shelve)']),
    base.documented(
        'os_compute_api:os-shelve:unshelve',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (unshelve).',
        ['POST /servers/{server_id}/action (unshelve)']),
    base.documented(
        'os_compute_api:os-shelve:unshelve_to_host',
        'rule:context_is_admin',
        'Who may call POST /servers/{server_id}/action (unshelve).',
        ['POST /servers/{server_id}/action (unshelve)']),
    base.documented(
        'os_compute_api:os-shelve:shelve_offload',
        'rule:context_is_admin',
        'Who may call POST /servers/{server_id}/action (shelveOffload).',
        ['POST /servers/{server_id}/action (shelveOffload)']),
]


def list_rules():
    return RULES
