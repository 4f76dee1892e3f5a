"""Request bodies of the createBackup server action, per microversion."""

import copy

from nova.api.validation import parameter_types

create_backup = {
    'type': 'object',
    'properties': {
        'createBackup': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'backup_type': {'type': 'string'},
                'rotation': parameter_types.non_negative_integer,
                'metadata': parameter_types.metadata,
            },
            'required': ['name', 'backup_type', 'rotation'],
            'additionalProperties': False,
        },
    },
    'required': ['createBackup'],
    'additionalProperties': False,
}

create_backup_v20 = copy.deepcopy(create_backup)
create_backup_v20['properties']['createBackup']['properties']['name'] = \
    parameter_types.name_with_leading_trailing_spaces
