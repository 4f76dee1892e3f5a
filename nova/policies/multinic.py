"""Default policy rules of the multinic API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-multinic:add',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (addFixedIp).',
        ['POST /servers/{server_id}/action (addFixedIp)']),
    base.documented(
        'os_compute_api:os-multinic:remove',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (removeFixedIp).',
        ['POST /servers/{server_id}/action (removeFixedIp)']),
]


def list_rules():
    return RULES
