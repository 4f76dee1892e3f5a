"""Default policy rules of the volumes attachments API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-volumes-attachments:index',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/os-volume_attachments.',
        ['GET /servers/{server_id}/os-volume_attachments']),
    base.documented(
        'os_compute_api:os-volumes-attachments:create',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/os-volume_attachments.',
        ['POST /servers/{server_id}/os-volume_attachments']),
    base.documented(
        'os_compute_api:os-volumes-attachments:show',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}/os-volume_attachments/{volume_id}.',
        ['GET /servers/{server_id}/os-volume_attachments/{volume_id}']),
    base.documented(
        'os_compute_api:os-volumes-attachments:update',
        'rule:project_member_or_admin',
        'Who may call PUT /servers/{server_id}/os-volume_attachments/{volume_id}.',
        ['PUT /servers/{server_id}/os-volume_attachments/{volume_id}']),
    base.documented(
        'os_compute_api:os-volumes-attachments:swap',
        'rule:service_or_admin',
        'Who may call PUT /servers/{server_id}/os-volume_attachments/{volume_id}.',
        ['PUT /servers/{server_id}/os-volume_attachments/{volume_id}']),
    base.documented(
        'os_compute_api:os-volumes-attachments:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /servers/{server_id}/os-volume_attachments/{volume_id}.',
        ['DELETE /servers/{server_id}/os-volume_attachments/{volume_id}']),
]


def list_rules():
    return RULES
