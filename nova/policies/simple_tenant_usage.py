"""Default policy rules of the simple tenant usage API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-simple-tenant-usage:show',
        'rule:project_reader_or_admin',
        'Who may call GET /os-simple-tenant-usage/{tenant_id}.',
        ['GET /os-simple-tenant-usage/{tenant_id}']),
    base.documented(
        'os_compute_api:os-simple-tenant-usage:list',
        'rule:context_is_admin',
        'Who may call GET /os-simple-tenant-usage.',
        ['GET /os-simple-tenant-usage']),
]


def list_rules():
    return RULES
