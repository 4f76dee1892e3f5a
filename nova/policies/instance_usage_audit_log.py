"""Default policy rules of the instance usage audit log API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-instance-usage-audit-log:list',
        'rule:context_is_admin',
        'Who may call GET /os-instance_usage_audit_log.',
        ['GET /os-instance_usage_audit_log']),
    base.documented(
        'os_compute_api:os-instance-usage-audit-log:show',
        'rule:context_is_admin',
        'Who may call GET /os-instance_usage_audit_log/{before_timestamp}.',
        ['GET /os-instance_usage_audit_log/{before_timestamp}']),
]


def list_rules():
    return RULES
