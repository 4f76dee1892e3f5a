"""Default policy rules of the remote consoles API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-remote-consoles',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action and related calls.',
        [
            'POST /servers/{server_id}/action (os-getSerialConsole)',
            'POST /servers/{server_id}/action (os-getSPICEConsole)',
            'POST /servers/{server_id}/action (os-getVNCConsole)',
            'POST /servers/{server_id}/remote-consoles',
        ]),
]


def list_rules():
    return RULES
