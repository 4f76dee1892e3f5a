"""Default policy rules of the keypairs API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-keypairs:index',
        '(rule:context_is_admin) or user_id:%(user_id)s',
        'Who may call GET /os-keypairs.',
        ['GET /os-keypairs']),
    base.documented(
        'os_compute_api:os-keypairs:create',
        '(rule:context_is_admin) or user_id:%(user_id)s',
        'Who may call POST /os-keypairs.',
        ['POST /os-keypairs']),
    base.documented(
        'os_compute_api:os-keypairs:delete',
        '(rule:context_is_admin) or user_id:%(user_id)s',
        'Who may call DELETE /os-keypairs/{keypair_name}.',
        ['DELETE /os-keypairs/{keypair_name}']),
    base.documented(
        'os_compute_api:os-keypairs:show',
        '(rule:context_is_admin) or user_id:%(user_id)s',
        'Who may call GET /os-keypairs/{keypair_name}.',
        ['GET /os-keypairs/{keypair_name}']),
]


def list_rules():
    return RULES
