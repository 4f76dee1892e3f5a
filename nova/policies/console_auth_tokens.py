"""Default policy rules of the console auth tokens API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-console-auth-tokens',
        'rule:context_is_admin',
        'Who may call GET /os-console-auth-tokens/{console_token}.',
        ['GET /os-console-auth-tokens/{console_token}']),
]


def list_rules():
    return RULES
