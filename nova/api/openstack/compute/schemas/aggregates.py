"""Request bodies of /os-aggregates (create, update, actions, image caching)."""

from nova.api.validation import parameter_types

_az_or_none = {'oneOf': [{'type': 'null'}, parameter_types.availability_zone]}

create = {
    'type': 'object',
    'properties': {
        'aggregate': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'availability_zone': _az_or_none,
            },
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['aggregate'],
    'additionalProperties': False,
}

update = {
    'type': 'object',
    'properties': {
        'aggregate': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'availability_zone': _az_or_none,
            },
            'additionalProperties': False,
            'anyOf': [{'required': ['name']}, {'required': ['availability_zone']}],
        },
    },
    'required': ['aggregate'],
    'additionalProperties': False,
}


def _host_action(key):
    return {
        'type': 'object',
        'properties': {
            key: {
                'type': 'object',
                'properties': {'host': parameter_types.hostname},
                'required': ['host'],
                'additionalProperties': False,
            },
        },
        'required': [key],
        'additionalProperties': False,
    }


add_host = _host_action('add_host')
remove_host = _host_action('remove_host')

set_metadata = {
    'type': 'object',
    'properties': {
        'set_metadata': {
            'type': 'object',
            'properties': {'metadata': parameter_types.metadata_with_null},
            'required': ['metadata'],
            'additionalProperties': False,
        },
    },
    'required': ['set_metadata'],
    'additionalProperties': False,
}

images = {
    'type': 'object',
    'properties': {
        'cache': {
            'type': 'array',
            'minItems': 1,
            'items': {
                'type': 'object',
                'properties': {'id': parameter_types.image_id},
                'required': ['id'],
                'additionalProperties': False,
            },
        },
    },
    'required': ['cache'],
    'additionalProperties': False,
}
