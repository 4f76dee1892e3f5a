"""Default policy rules of the hypervisors API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-hypervisors:list',
        'rule:context_is_admin',
        'Who may call GET /os-hypervisors.',
        ['GET /os-hypervisors']),
    base.documented(
        'os_compute_api:os-hypervisors:list-detail',
        'rule:context_is_admin',
        'Who may call GET /os-hypervisors/details.',
        ['GET /os-hypervisors/details']),
    base.documented(
        'os_compute_api:os-hypervisors:statistics',
        'rule:context_is_admin',
        'Who may call GET /os-hypervisors/statistics.',
        ['GET /os-hypervisors/statistics']),
    base.documented(
        'os_compute_api:os-hypervisors:show',
        'rule:context_is_admin',
        'Who may call GET /os-hypervisors/{hypervisor_id}.',
        ['GET /os-hypervisors/{hypervisor_id}']),
    base.documented(
        'os_compute_api:os-hypervisors:uptime',
        'rule:context_is_admin',
        'Who may call GET /os-hypervisors/{hypervisor_id}/uptime.',
        ['GET /os-hypervisors/{hypervisor_id}/uptime']),
    base.documented(
        'os_compute_api:os-hypervisors:search',
        'rule:context_is_admin',
        'Who may call GET /os-hypervisors/{hypervisor_hostname_pattern}/search.',
        ['GET /os-hypervisors/{hypervisor_hostname_pattern}/search']),
    base.documented(
        'os_compute_api:os-hypervisors:servers',
        'rule:context_is_admin',
        'Who may call GET /os-hypervisors/{hypervisor_hostname_pattern}/servers.',
        ['GET /os-hypervisors/{hypervisor_hostname_pattern}/servers']),
]


def list_rules():
    return RULES
