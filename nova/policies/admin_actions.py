"""Default policy rules of the admin actions API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-admin-actions:reset_state',
        'rule:context_is_admin',
        'Who may call POST /servers/{server_id}/action (os-resetState).',
        ['POST /servers/{server_id}/action (os-resetState)']),
    base.documented(
        'os_compute_api:os-admin-actions:inject_network_info',
        'rule:context_is_admin',
        'Who may call POST /servers/{server_id}/action (injectNetworkInfo).',
        ['POST /servers/{server_id}/action (injectNetworkInfo)']),
]


def list_rules():
    return RULES
