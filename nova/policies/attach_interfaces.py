"""Default policy rules of the attach interfaces API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-attach-interfaces:list',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/os-interface.',
        ['GET /servers/{server_id}/os-interface']),
    base.documented(
        'os_compute_api:os-attach-interfaces:show',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/os-interface/{port_id}.',
        ['GET /servers/{server_id}/os-interface/{port_id}']),
    base.documented(
        'os_compute_api:os-attach-interfaces:create',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/os-interface.',
        ['POST /servers/{server_id}/os-interface']),
    base.documented(
        'os_compute_api:os-attach-interfaces:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /servers/{server_id}/os-interface/{port_id}.',
        ['DELETE /servers/{server_id}/os-interface/{port_id}']),
]


def list_rules():
    return RULES
