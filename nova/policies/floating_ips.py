"""Default policy rules of the floating ips API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-floating-ips:add',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (addFloatingIp).',
        ['POST /servers/{server_id}/action (addFloatingIp)']),
    base.documented(
        'os_compute_api:os-floating-ips:remove',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (removeFloatingIp).',
        ['POST /servers/{server_id}/action (removeFloatingIp)']),
    base.documented(
        'os_compute_api:os-floating-ips:list',
        'rule:project_reader_or_admin',
        'Who may call GET /os-floating-ips.',
        ['GET /os-floating-ips']),
    base.documented(
        'os_compute_api:os-floating-ips:create',
        'rule:project_member_or_admin',
        'Who may call POST /os-floating-ips.',
        ['POST /os-floating-ips']),
    base.documented(
        'os_compute_api:os-floating-ips:show',
        'rule:project_reader_or_admin',
        'Who may call GET /os-floating-ips/{floating_ip_id}.',
        ['GET /os-floating-ips/{floating_ip_id}']),
    base.documented(
        'os_compute_api:os-floating-ips:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /os-floating-ips/{floating_ip_id}.',
        ['DELETE /os-floating-ips/{floating_ip_id}']),
]


def list_rules():
    return RULES
