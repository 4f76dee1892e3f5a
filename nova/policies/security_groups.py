"""Default policy rules of the security groups API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-security-groups:get',
        'rule:project_reader_or_admin',
        'Who may call GET /os-security-groups.',
        ['GET /os-security-groups']),
    base.documented(
        'os_compute_api:os-security-groups:show',
        'rule:project_reader_or_admin',
        'Who may call GET /os-security-groups/{security_group_id}.',
        ['GET /os-security-groups/{security_group_id}']),
    base.documented(
        'os_compute_api:os-security-groups:create',
        'rule:project_member_or_admin',
        'Who may call POST /os-security-groups.',
        ['POST /os-security-groups']),
    base.documented(
        'os_compute_api:os-security-groups:update',
        'rule:project_member_or_admin',
        'Who may call PUT /os-security-groups/{security_group_id}.',
        ['PUT /os-security-groups/{security_group_id}']),
    base.documented(
        'os_compute_api:os-security-groups:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /os-security-groups/{security_group_id}.',
        ['DELETE /os-security-groups/{security_group_id}']),
    base.documented(
        'os_compute_api:os-security-groups:rule:create',
        'rule:project_member_or_admin',
        'Who may call POST /os-security-group-rules.',
        ['POST /os-security-group-rules']),
    base.documented(
        'os_compute_api:os-security-groups:rule:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /os-security-group-rules/{security_group_id}.',
        ['DELETE /os-security-group-rules/{security_group_id}']),
    base.documented(
        'os_compute_api:os-security-groups:list',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/os-security-groups.',
        ['GET /servers/{server_id}/os-security-groups']),
    base.documented(
        'os_compute_api:os-security-groups:add',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (addSecurityGroup).',
        ['POST /servers/{server_id}/action (addSecurityGroup)']),
    base.documented(
        'os_compute_api:os-security-groups:remove',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (removeSecurityGroup).',
        ['POST /servers/{server_id}/action (removeSecurityGroup)']),
]


def list_rules():
    return RULES
