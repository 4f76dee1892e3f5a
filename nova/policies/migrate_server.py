"""Default policy rules of the migrate server API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-migrate-server:migrate',
        'rule:project_manager_or_admin',
        'Who may call POST /servers/{server_id}/action (migrate).',
        ['POST /servers/{server_id}/action (migrate)']),
    base.documented(
        'os_compute_api:os-migrate-server:migrate:host',
        'rule:context_is_admin',
        'Who may call POST /servers/{server_id}/action (migrate).',
        ['POST /servers/{server_id}/action (migrate)']),
    base.documented(
        'os_compute_api:os-migrate-server:migrate_live',
        'rule:project_manager_or_admin',
        'Who may call POST /servers/{server_id}/action (os-migrateLive).',
        ['POST /servers/{server_id}/action (os-migrateLive)']),
    base.documented(
        'os_compute_api:os-migrate-server:migrate_live:host',
        'rule:context_is_admin',
        'Who may call POST /servers/{server_id}/action (os-migrateLive).',
        ['POST /servers/{server_id}/action (os-migrateLive)']),
]


def list_rules():
    return RULES
