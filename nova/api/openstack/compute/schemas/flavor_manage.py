"""Request bodies of flavor create and update, per microversion."""

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
