"""Request bodies of the lock server action, per microversion."""


lock = {
    'type': 'object',
    'properties': {'lock': {}},
    'required': ['lock'],
    'additionalProperties': False,
}

lock_v273 = {
    'type': 'object',
    'properties': {
        'lock': {
            'type': ['object', 'null'],
            'properties': {
                'locked_reason': {'type': 'string', 'minLength': 1, 'maxLength': 255},
            },
            'additionalProperties': False,
        },
    },
    'required': ['lock'],
    'additionalProperties': False,
}
