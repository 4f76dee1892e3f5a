"""Request bodies of ``/servers/{id}/shares``."""

create = {
    'type': 'object',
    'properties': {
        'share': {
            'type': 'object',
            'properties': {
                'share_id': {'type': 'string', 'format': 'uuid'},
                # the mount tag the guest sees (virtiofs): printable, no spaces
                'tag': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                        'pattern': '^[^\\s]+$'},
            },
            'required': ['share_id'],
            'additionalProperties': False,
        },
    },
    'required': ['share'],
    'additionalProperties': False,
}
