"""Request bodies of /flavors/{flavor_id}/os-extra_specs."""

_spec_value = {
    'type': ['string', 'number', 'boolean'],
    'minLength': 0, 'maxLength': 255,
}

create = {
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

update = {
    'type': 'object',
    'patternProperties': {r'^[a-zA-Z0-9-_:. ]{1,255}$': _spec_value},
    'additionalProperties': False,
}
