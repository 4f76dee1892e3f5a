"""Bodies and query strings of /os-quota-sets, per microversion.

The resource names and ``body`` also serve /os-quota-class-sets.
"""

import copy

from nova.api.validation import parameter_types

quota_value = {
    'type': ['integer', 'string'],
    'pattern': '^-?[0-9]+$',
    'minimum': -1,
    'maximum': 0x7FFFFFFF,
}

COMMON = ('instances', 'cores', 'ram', 'metadata_items', 'key_pairs')
INJECTED = ('injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes')
NETWORK = ('fixed_ips', 'floating_ips', 'networks', 'security_groups',
           'security_group_rules')
SERVER_GROUPS = ('server_groups', 'server_group_members')


def body(key, names, force=False):
    properties = {name: quota_value for name in names}
    if force:
        properties['force'] = parameter_types.boolean
    return {
        'type': 'object',
        'properties': {
            key: {'type': 'object', 'properties': properties,
                  'additionalProperties': False},
        },
        'required': [key],
        'additionalProperties': False,
    }


update = body('quota_set', COMMON + INJECTED + NETWORK + SERVER_GROUPS, force=True)
update_v236 = body('quota_set', COMMON + INJECTED + SERVER_GROUPS, force=True)
update_v257 = body('quota_set', COMMON + SERVER_GROUPS, force=True)

query = {
    'type': 'object',
    'properties': {'user_id': parameter_types.multi_params({'type': 'string'})},
    'additionalProperties': True,
}
query_v275 = copy.deepcopy(query)
query_v275['additionalProperties'] = False
