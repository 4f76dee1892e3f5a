"""Schemas of flavor requests (create, update, list queries, access actions)."""

import copy

from nova.api.validation import parameter_types

_INT_MAX = 2147483647

create = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'id': {
                    'type': ['string', 'number', 'null'],
                    'minLength': 1, 'maxLength': 255,
                    'pattern': r'^(?! )[a-zA-Z0-9. _-]+(?<! )$',
                },
                'ram': dict(parameter_types.flavor_param_positive, maximum=_INT_MAX),
                'vcpus': dict(parameter_types.flavor_param_positive, maximum=_INT_MAX),
                'disk': dict(parameter_types.flavor_param_non_negative, maximum=_INT_MAX),
                'OS-FLV-EXT-DATA:ephemeral': dict(
                    parameter_types.flavor_param_non_negative, maximum=_INT_MAX),
                'swap': dict(parameter_types.flavor_param_non_negative, maximum=_INT_MAX),
                'rxtx_factor': {
                    'type': ['number', 'string'],
                    'pattern': r'^[0-9]+(\.[0-9]+)?$',
                    'minimum': 0, 'exclusiveMinimum': True,
                    'maximum': 3.40282e+38,
                },
                'os-flavor-access:is_public': parameter_types.boolean,
            },
            'required': ['name', 'ram', 'vcpus', 'disk'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

create_v255 = copy.deepcopy(create)
create_v255['properties']['flavor']['properties']['description'] = (
    parameter_types.description)

create_v2102 = copy.deepcopy(create_v255)
del create_v2102['properties']['flavor']['properties']['rxtx_factor']

update = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {'description': parameter_types.description},
            'required': ['description'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'marker': parameter_types.multi_params({'type': 'string'}),
        'is_public': parameter_types.multi_params({'type': 'string'}),
        'minRam': parameter_types.multi_params({'type': 'string'}),
        'minDisk': parameter_types.multi_params({'type': 'string'}),
        'sort_key': parameter_types.multi_params({'type': 'string'}),
        'sort_dir': parameter_types.multi_params({'type': 'string'}),
    },
    # Unknown query parameters are ignored, as upstream does before 2.75.
    'additionalProperties': True,
}

index_query_275 = copy.deepcopy(index_query)
index_query_275['additionalProperties'] = False

# 2.102: flavors can be asked for by name.
index_query_2102 = copy.deepcopy(index_query_275)
index_query_2102['properties']['name'] = parameter_types.multi_params(
    {'type': 'string', 'minLength': 1, 'maxLength': 255})

add_tenant_access = {
    'type': 'object',
    'properties': {
        'addTenantAccess': {
            'type': 'object',
            'properties': {'tenant': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
            'required': ['tenant'],
            'additionalProperties': False,
        },
    },
    'required': ['addTenantAccess'],
    'additionalProperties': False,
}

remove_tenant_access = {
    'type': 'object',
    'properties': {
        'removeTenantAccess': {
            'type': 'object',
            'properties': {'tenant': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
            'required': ['tenant'],
            'additionalProperties': False,
        },
    },
    'required': ['removeTenantAccess'],
    'additionalProperties': False,
}

_spec_value = {
    'type': ['string', 'number', 'boolean'],
    'minLength': 0, 'maxLength': 255,
}

extra_specs_create = {
    'type': 'object',
    'properties': {
        'extra_specs': {
            'type': 'object',
            'patternProperties': {r'^[a-zA-Z0-9-_:. ]{1,255}$': _spec_value},
            'additionalProperties': False,
        },
    },
    'required': ['extra_specs'],
    'additionalProperties': False,
}

extra_specs_update = {
    'type': 'object',
    'patternProperties': {r'^[a-zA-Z0-9-_:. ]{1,255}$': _spec_value},
    'additionalProperties': False,
}
