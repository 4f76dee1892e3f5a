"""Default policy rules of the servers API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:servers:index',
        'rule:project_reader_or_admin',
        'Who may call GET /servers.',
        ['GET /servers']),
    base.documented(
        'os_compute_api:servers:detail',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/detail.',
        ['GET /servers/detail']),
    base.documented(
        'os_compute_api:servers:index:get_all_tenants',
        'rule:context_is_admin',
        'Who may call GET /servers.',
        ['GET /servers']),
    base.documented(
        'os_compute_api:servers:detail:get_all_tenants',
        'rule:context_is_admin',
        'Who may call GET /servers/detail.',
        ['GET /servers/detail']),
    base.documented(
        'os_compute_api:servers:allow_all_filters',
        'rule:context_is_admin',
        'Who may call GET /servers and GET /servers/detail.',
        ['GET /servers', 'GET /servers/detail']),
    base.documented(
        'os_compute_api:servers:show',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/{server_id}.',
        ['GET /servers/{server_id}']),
    base.documented(
        'os_compute_api:servers:show:flavor-extra-specs',
        'rule:project_reader_or_admin',
        'Who may call GET /servers/detail and related calls.',
        [
            'GET /servers/detail',
            'GET /servers/{server_id}',
            'PUT /servers/{server_id}',
            'POST /servers/{server_id}/action (rebuild)',
        ]),
    base.documented(
        'os_compute_api:servers:show:host_status',
        'rule:context_is_admin',
        'Who may call GET /servers/{server_id} and related calls.',
        [
            'GET /servers/{server_id}',
            'GET /servers/detail',
            'PUT /servers/{server_id}',
            'POST /servers/{server_id}/action (rebuild)',
        ]),
    base.documented(
        'os_compute_api:servers:show:host_status:unknown-only',
        'rule:context_is_admin',
        'Who may call GET /servers/{server_id} and related calls.',
        [
            'GET /servers/{server_id}',
            'GET /servers/detail',
            'PUT /servers/{server_id}',
            'POST /servers/{server_id}/action (rebuild)',
        ]),
    base.documented(
        'os_compute_api:servers:create',
        'rule:project_member_or_admin',
        'Who may call POST /servers.',
        ['POST /servers']),
    base.documented(
        'os_compute_api:servers:create:forced_host',
        'rule:context_is_admin',
        'Who may call POST /servers.',
        ['POST /servers']),
    base.documented(
        'compute:servers:create:requested_destination',
        'rule:context_is_admin',
        'Who may call POST /servers.',
        ['POST /servers']),
    base.documented(
        'os_compute_api:servers:create:attach_volume',
        'rule:project_member_or_admin',
        'Who may call POST /servers.',
        ['POST /servers']),
    base.documented(
        'os_compute_api:servers:create:attach_network',
        'rule:project_member_or_admin',
        'Who may call POST /servers.',
        ['POST /servers']),
    base.documented(
        'os_compute_api:servers:create:trusted_certs',
        'rule:project_member_or_admin',
        'Who may call POST /servers.',
        ['POST /servers']),
    base.documented(
        'os_compute_api:servers:create:zero_disk_flavor',
        'rule:context_is_admin',
        'Who may call POST /servers.',
        ['POST /servers']),
    base.documented(
        'network:attach_external_network',
        'rule:context_is_admin',
        'Who may call POST /servers and POST /servers/{server_id}/os-interface.',
        ['POST /servers', 'POST /servers/{server_id}/os-interface']),
    base.documented(
        'os_compute_api:servers:delete',
        'rule:project_member_or_admin',
        'Who may call DELETE /servers/{server_id}.',
        ['DELETE /servers/{server_id}']),
    base.documented(
        'os_compute_api:servers:update',
        'rule:project_member_or_admin',
        'Who may call PUT /servers/{server_id}.',
        ['PUT /servers/{server_id}']),
    base.documented(
        'os_compute_api:servers:confirm_resize',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (confirmResize).',
        ['POST /servers/{server_id}/action (confirmResize)']),
    base.documented(
        'os_compute_api:servers:revert_resize',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (revertResize).',
        ['POST /servers/{server_id}/action (revertResize)']),
    base.documented(
        'os_compute_api:servers:reboot',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (reboot).',
        ['POST /servers/{server_id}/action (reboot)']),
    base.documented(
        'os_compute_api:servers:resize',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (resize).',
        ['POST /servers/{server_id}/action (resize)']),
    base.documented(
        'compute:servers:resize:cross_cell',
        '!',
        'Who may call POST /servers/{server_id}/action (resize).',
        ['POST /servers/{server_id}/action (resize)']),
    base.documented(
        'os_compute_api:servers:rebuild',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (rebuild).',
        ['POST /servers/{server_id}/action (rebuild)']),
    base.documented(
        'os_compute_api:servers:rebuild:trusted_certs',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (rebuild).',
        ['POST /servers/{server_id}/action (rebuild)']),
    base.documented(
        'os_compute_api:servers:create_image',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (createImage).',
        ['POST /servers/{server_id}/action (createImage)']),
    base.documented(
        'os_compute_api:servers:create_image:allow_volume_backed',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (createImage).',
        ['POST /servers/{server_id}/action (createImage)']),
    base.documented(
        'os_compute_api:servers:start',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (os-start).',
        ['POST /servers/{server_id}/action (os-start)']),
    base.documented(
        'os_compute_api:servers:stop',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (os-stop).',
        ['POST /servers/{server_id}/action (os-stop)']),
    base.documented(
        'os_compute_api:servers:trigger_crash_dump',
        'rule:project_member_or_admin',
        'Who may call POST /servers/{server_id}/action (trigger_crash_dump).',
        ['POST /servers/{server_id}/action (trigger_crash_dump)']),
    base.documented(
        'os_compute_api:servers:migrations:show',
        'rule:context_is_admin',
        'Who may call GET /servers/{server_id}/migrations/{migration_id}.',
        ['GET /servers/{server_id}/migrations/{migration_id}']),
    base.documented(
        'os_compute_api:servers:migrations:force_complete',
        'rule:project_manager_or_admin',
        'Who may force a live migration to complete (force_complete).',
        ['POST /servers/{server_id}/migrations/{migration_id}/action (force_complete)']),
    base.documented(
        'os_compute_api:servers:migrations:delete',
        'rule:project_manager_or_admin',
        'Who may call DELETE /servers/{server_id}/migrations/{migration_id}.',
        ['DELETE /servers/{server_id}/migrations/{migration_id}']),
    base.documented(
        'os_compute_api:servers:migrations:index',
        'rule:project_manager_or_admin',
        'Who may call GET /servers/{server_id}/migrations.',
        ['GET /servers/{server_id}/migrations']),
    base.documented(
        'os_compute_api:servers:migrations:index:host',
        'rule:context_is_admin',
        'Who may call GET /servers/{server_id}/migrations.',
        ['GET /servers/{server_id}/migrations']),
]


def list_rules():
    return RULES
