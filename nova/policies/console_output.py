"""Default policy rules of the console output API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-console-output',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (os-getConsoleOutput).',
        ['POST /servers/{server_id}/action (os-getConsoleOutput)']),
]


def list_rules():
    return RULES
