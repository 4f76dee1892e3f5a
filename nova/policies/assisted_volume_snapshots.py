"""Default policy rules of the assisted volume snapshots API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-assisted-volume-snapshots:create',
        'rule:service_or_admin',
        'Who may call POST /os-assisted-volume-snapshots.',
        ['POST /os-assisted-volume-snapshots']),
    base.documented(
        'os_compute_api:os-assisted-volume-snapshots:delete',
        'rule:service_or_admin',
        'Who may call DELETE /os-assisted-volume-snapshots/{snapshot_id}.',
        ['DELETE /os-assisted-volume-snapshots/{snapshot_id}']),
]


def list_rules():
    return RULES
