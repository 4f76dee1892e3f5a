"""Default policy rules of the ips API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:ips:show',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/ips/{network_label}.',
        ['GET /servers/{server_id}/ips/{network_label}']),
    base.documented(
        'os_compute_api:ips:index',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/ips.',
        ['GET /servers/{server_id}/ips']),
]


def list_rules():
    return RULES
