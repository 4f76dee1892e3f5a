"""Schemas of key pair requests per microversion."""

import copy

from nova.api.validation import parameter_types

_name_v20 = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^[a-zA-Z0-9 _-]+$',
}
_name_v292 = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^[a-zA-Z0-9 _@.-]+$',
}

create = {
    'type': 'object',
    'properties': {
        'keypair': {
            'type': 'object',
            'properties': {
                'name': _name_v20,
                'public_key': {'type': 'string'},
            },
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['keypair'],
    'additionalProperties': False,
}

create_v22 = copy.deepcopy(create)
create_v22['properties']['keypair']['properties']['type'] = {
    'type': 'string', 'enum': ['ssh', 'x509']}

create_v210 = copy.deepcopy(create_v22)
create_v210['properties']['keypair']['properties']['user_id'] = {'type': 'string'}

create_v292 = copy.deepcopy(create_v210)
create_v292['properties']['keypair']['properties']['name'] = _name_v292
create_v292['properties']['keypair']['required'] = ['name', 'public_key']

index_query_v210 = {
    'type': 'object',
    'properties': {'user_id': parameter_types.multi_params({'type': 'string'})},
    'additionalProperties': True,
}

index_query_v235 = copy.deepcopy(index_query_v210)
index_query_v235['properties'].update({
    'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
    'marker': parameter_types.multi_params({'type': 'string'}),
})

show_query_v210 = index_query_v210
