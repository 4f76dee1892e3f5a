"""Default policy rules of the baremetal nodes API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-baremetal-nodes:list',
        'rule:context_is_admin',
        'Who may call GET /os-baremetal-nodes.',
        ['GET /os-baremetal-nodes']),
    base.documented(
        'os_compute_api:os-baremetal-nodes:show',
        'rule:context_is_admin',
        'Who may call GET /os-baremetal-nodes/{node_id}.',
        ['GET /os-baremetal-nodes/{node_id}']),
]


def list_rules():
    return RULES
