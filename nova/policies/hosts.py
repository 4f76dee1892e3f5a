"""Default policy rules of the hosts API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-hosts:list',
        'rule:context_is_admin',
        'Who may call GET /os-hosts.',
        ['GET /os-hosts']),
    base.documented(
        'os_compute_api:os-hosts:show',
        'rule:context_is_admin',
        'Who may call GET /os-hosts/{host_name}.',
        ['GET /os-hosts/{host_name}']),
    base.documented(
        'os_compute_api:os-hosts:update',
        'rule:context_is_admin',
        'Who may call PUT /os-hosts/{host_name}.',
        ['PUT /os-hosts/{host_name}']),
    base.documented(
        'os_compute_api:os-hosts:reboot',
        'rule:context_is_admin',
        'Who may call GET /os-hosts/{host_name}/reboot.',
        ['GET /os-hosts/{host_name}/reboot']),
    base.documented(
        'os_compute_api:os-hosts:shutdown',
        'rule:context_is_admin',
        'Who may call GET /os-hosts/{host_name}/shutdown.',
        ['GET /os-hosts/{host_name}/shutdown']),
    base.documented(
        'os_compute_api:os-hosts:start',
        'rule:context_is_admin',
        'Who may call GET /os-hosts/{host_name}/startup.',
        ['GET /os-hosts/{host_name}/startup']),
]


def list_rules():
    return RULES
