"""Request bodies of the rebuild server action, per microversion."""

import copy

from nova.api.openstack.compute.schemas import servers as servers_schema
from nova.api.validation import parameter_types

_personality = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {
            'path': {'type': 'string'},
            'contents': {'type': 'string', 'format': 'base64'},
        },
        'additionalProperties': False,
    },
}

rebuild = {
    'type': 'object',
    'properties': {
        'rebuild': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'imageRef': parameter_types.image_id,
                'adminPass': parameter_types.admin_password,
                'metadata': parameter_types.metadata,
                'preserve_ephemeral': parameter_types.boolean,
                'OS-DCF:diskConfig': {'type': 'string', 'enum': ['AUTO', 'MANUAL']},
                'accessIPv4': parameter_types.accessIPv4,
                'accessIPv6': parameter_types.accessIPv6,
                'personality': _personality,
            },
            'required': ['imageRef'],
            'additionalProperties': False,
        },
    },
    'required': ['rebuild'],
    'additionalProperties': False,
}

rebuild_v20 = copy.deepcopy(rebuild)
rebuild_v20['properties']['rebuild']['properties']['name'] = (
    parameter_types.name_with_leading_trailing_spaces)

rebuild_v219 = copy.deepcopy(rebuild)
rebuild_v219['properties']['rebuild']['properties']['description'] = (
    parameter_types.description)

# 2.54: the key pair can be replaced (or removed with null).
rebuild_v254 = copy.deepcopy(rebuild_v219)
rebuild_v254['properties']['rebuild']['properties']['key_name'] = (
    parameter_types.name_or_none)

# 2.57: user data can be replaced (or removed with null); personality is gone.
rebuild_v257 = copy.deepcopy(rebuild_v254)
rebuild_v257['properties']['rebuild']['properties']['user_data'] = {
    'oneOf': [{'type': 'string', 'format': 'base64', 'maxLength': 65535},
              {'type': 'null'}]}
del rebuild_v257['properties']['rebuild']['properties']['personality']

rebuild_v263 = copy.deepcopy(rebuild_v257)
rebuild_v263['properties']['rebuild']['properties']['trusted_image_certificates'] = {
    'type': ['array', 'null'], 'minItems': 1, 'maxItems': 50, 'uniqueItems': True,
    'items': {'type': 'string', 'minLength': 1},
}

rebuild_v290 = copy.deepcopy(rebuild_v263)
rebuild_v290['properties']['rebuild']['properties']['hostname'] = (
    servers_schema.create_v290['properties']['server']['properties']['hostname'])

rebuild_v294 = copy.deepcopy(rebuild_v290)
rebuild_v294['properties']['rebuild']['properties']['hostname'] = (
    servers_schema.create_v294['properties']['server']['properties']['hostname'])
