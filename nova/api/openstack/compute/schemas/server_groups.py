"""JSON schemas of ``/os-server-groups`` per microversion."""

import copy

from nova.api.validation import parameter_types

create = {
    'type': 'object',
    'properties': {
        'server_group': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                # A one-element list: the single policy of the group.
                'policies': {
                    'type': 'array',
                    'items': [{'enum': ['anti-affinity', 'affinity']}],
                    'uniqueItems': True,
                    'minItems': 1,
                    'additionalItems': False,
                },
            },
            'required': ['name', 'policies'],
            'additionalProperties': False,
        },
    },
    'required': ['server_group'],
    'additionalProperties': False,
}

# 2.15: the soft policies.
create_v215 = copy.deepcopy(create)
create_v215['properties']['server_group']['properties']['policies']['items'][0][
    'enum'].extend(['soft-anti-affinity', 'soft-affinity'])

# 2.64: one ``policy`` string plus ``rules``.
create_v264 = copy.deepcopy(create_v215)
_group = create_v264['properties']['server_group']
del _group['properties']['policies']
_group['required'] = ['name', 'policy']
_group['properties']['policy'] = {
    'type': 'string',
    'enum': ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity'],
}
_group['properties']['rules'] = {
    'type': 'object',
    'properties': {'max_server_per_host': parameter_types.positive_integer},
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {
        'all_projects': parameter_types.multi_params({'type': 'string'}),
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'offset': parameter_types.multi_params(parameter_types.non_negative_integer),
    },
    # Unknown parameters were ignored until 2.75 made them an error.
    'additionalProperties': True,
}

index_query_v275 = copy.deepcopy(index_query)
index_query_v275['additionalProperties'] = False
