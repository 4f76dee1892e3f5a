"""Default policy rules of the aggregates API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-aggregates:set_metadata',
        'rule:context_is_admin',
        'Who may call POST /os-aggregates/{aggregate_id}/action (set_metadata).',
        ['POST /os-aggregates/{aggregate_id}/action (set_metadata)']),
    base.documented(
        'os_compute_api:os-aggregates:add_host',
        'rule:context_is_admin',
        'Who may call POST /os-aggregates/{aggregate_id}/action (add_host).',
        ['POST /os-aggregates/{aggregate_id}/action (add_host)']),
    base.documented(
        'os_compute_api:os-aggregates:create',
        'rule:context_is_admin',
        'Who may call POST /os-aggregates.',
        ['POST /os-aggregates']),
    base.documented(
        'os_compute_api:os-aggregates:remove_host',
        'rule:context_is_admin',
        'Who may call POST /os-aggregates/{aggregate_id}/action (remove_host).',
        ['POST /os-aggregates/{aggregate_id}/action (remove_host)']),
    base.documented(
        'os_compute_api:os-aggregates:update',
        'rule:context_is_admin',
        'Who may call PUT /os-aggregates/{aggregate_id}.',
        ['PUT /os-aggregates/{aggregate_id}']),
    base.documented(
        'os_compute_api:os-aggregates:index',
        'rule:context_is_admin',
        'Who may call GET /os-aggregates.',
        ['GET /os-aggregates']),
    base.documented(
        'os_compute_api:os-aggregates:delete',
        'rule:context_is_admin',
        'Who may call DELETE /os-aggregates/{aggregate_id}.',
        ['DELETE /os-aggregates/{aggregate_id}']),
    base.documented(
        'os_compute_api:os-aggregates:show',
        'rule:context_is_admin',
        'Who may call GET /os-aggregates/{aggregate_id}.',
        ['GET /os-aggregates/{aggregate_id}']),
    base.documented(
        'compute:aggregates:images',
        'rule:context_is_admin',
        'Who may call POST /os-aggregates/{aggregate_id}/images.',
        ['POST /os-aggregates/{aggregate_id}/images']),
]


def list_rules():
    return RULES
