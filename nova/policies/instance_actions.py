"""Default policy rules of the instance actions API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-instance-actions:events:details',
        'rule:context_is_admin',
        'Who may call GET /servers/{server_id}/os-instance-actions/{request_id}.',
        ['GET /servers/{server_id}/os-instance-actions/{request_id}']),
    base.documented(
        'os_compute_api:os-instance-actions:events',
        'rule:context_is_admin',
        'Who may call GET /servers/{server_id}/os-instance-actions/{request_id}.',
        ['GET /servers/{server_id}/os-instance-actions/{request_id}']),
    base.documented(
        'os_compute_api:os-instance-actions:list',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/os-instance-actions.',
        ['GET /servers/{server_id}/os-instance-actions']),
    base.documented(
        'os_compute_api:os-instance-actions:show',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/os-instance-actions/{request_id}.',
        ['GET /servers/{server_id}/os-instance-actions/{request_id}']),
]


def list_rules():
    return RULES
