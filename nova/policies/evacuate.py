"""Default policy rules of the evacuate API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-evacuate',
        'rule:context_is_admin',
        'Who may call POST /servers/{server_id}/action (evacuate).',
        ['POST /servers/{server_id}/action (evacuate)']),
]


def list_rules():
    return RULES
