"""Default policy rules of the flavor extra specs API (upstream rule names and defaults)."""

from nova.policies import base

RULES = [
    base.documented(
        'os_compute_api:os-flavor-extra-specs:show',
        'rule:project_reader_or_admin',
        'Who may call GET /flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}.',
        ['GET /flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}']),
    base.documented(
        'os_compute_api:os-flavor-extra-specs:create',
        'rule:context_is_admin',
        'Who may call POST /flavors/{flavor_id}/os-extra_specs/.',
        ['POST /flavors/{flavor_id}/os-extra_specs/']),
    base.documented(
        'os_compute_api:os-flavor-extra-specs:update',
        'rule:context_is_admin',
        'Who may call PUT /flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}.',
        ['PUT /flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}']),
    base.documented(
        'os_compute_api:os-flavor-extra-specs:delete',
        'rule:context_is_admin',
        'Who may call DELETE /flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}.',
        ['DELETE /flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}']),
    base.documented(
        'os_compute_api:os-flavor-extra-specs:index',
        'rule:project_reader_or_admin',
        'Who may call GET /flavors/{flavor_id}/os-extra_specs/ and related calls.',
        [
            'GET /flavors/{flavor_id}/os-extra_specs/',
            'POST /flavors',
            'GET /flavors/detail',
            'GET /flavors/{flavor_id}',
            'PUT /flavors/{flavor_id}',
        ]),
]


def list_rules():
    return RULES
