"""Default policy rules of the volumes API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-volumes:list',
        'rule:project_reader_or_admin',
        'Who may call GET /os-volumes.',
        ['GET /os-volumes']),
    base.documented(
        'os_compute_api:os-volumes:create',
        'rule:project_member_or_admin',
        'Who may call POST /os-volumes.',
        ['POST /os-volumes']),
    base.documented(
        'os_compute_api:os-volumes:detail',
        'rule:project_reader_or_admin',
        'Who may call GET /os-volumes/detail.',
        ['GET /os-volumes/detail']),
    base.documented(
        'os_compute_api:os-volumes:show',
        'rule:project_reader_or_admin',
        'Who may call GET /os-volumes/{volume_id}.',
        ['GET /os-volumes/{volume_id}']),
    base.documented(
        'os_compute_api:os-volumes:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /os-volumes/{volume_id}.',
        ['DELETE /os-volumes/{volume_id}']),
    base.documented(
        'os_compute_api:os-volumes:snapshots:list',
        'rule:project_reader_or_admin',
        'Who may call GET /os-snapshots.',
        ['GET /os-snapshots']),
    base.documented(
        'os_compute_api:os-volumes:snapshots:create',
        'rule:project_member_or_admin',
        'Who may call POST /os-snapshots.',
        ['POST /os-snapshots']),
    base.documented(
        'os_compute_api:os-volumes:snapshots:detail',
        'rule:project_reader_or_admin',
        'Who may call GET /os-snapshots/detail.',
        ['GET /os-snapshots/detail']),
    base.documented(
        'os_compute_api:os-volumes:snapshots:show',
        'rule:project_reader_or_admin',
        'Who may call GET /os-snapshots/{snapshot_id}.',
        ['GET /os-snapshots/{snapshot_id}']),
    base.documented(
        'os_compute_api:os-volumes:snapshots:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /os-snapshots/{snapshot_id}.',
        ['DELETE /os-snapshots/{snapshot_id}']),
]


def list_rules():
    return RULES
