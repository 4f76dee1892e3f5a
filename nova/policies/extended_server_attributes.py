"""Default policy rules of the extended server attributes API."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-extended-server-attributes',
        'rule:context_is_admin',
        'Who may call GET /servers/{id} and related calls.',
        [
            'GET /servers/{id}',
            'GET /servers/detail',
            'PUT /servers/{server_id}',
            'POST /servers/{server_id}/action (rebuild)',
        ]),
]


def list_rules():
    return RULES
