"""Request bodies of the server actions (POST /servers/{id}/action)."""

import copy

from nova.api.validation import parameter_types


def no_body(action):
    """``{"<action>": null}`` (``{}`` is tolerated, as clients send both)."""
    return {
        'type': 'object',
        'properties': {action: parameter_types.none},
        'required': [action],
        'additionalProperties': False,
    }


reboot = {
    'type': 'object',
    'properties': {
        'reboot': {
            'type': 'object',
            'properties': {
                'type': {'type': 'string',
                         'enum': ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']},
            },
            'required': ['type'],
            'additionalProperties': False,
        },
    },
    'required': ['reboot'],
    'additionalProperties': False,
}

create_image = {
    'type': 'object',
    'properties': {
        'createImage': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'metadata': parameter_types.metadata,
            },
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['createImage'],
    'additionalProperties': False,
}

create_image_v20 = copy.deepcopy(create_image)
create_image_v20['properties']['createImage']['properties']['name'] = \
    parameter_types.name_with_leading_trailing_spaces

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

get_console_output = {
    'type': 'object',
    'properties': {
        'os-getConsoleOutput': {
            'type': 'object',
            'properties': {
                'length': {
                    'type': ['integer', 'string', 'null'],
                    'pattern': '^-?[0-9]+$',
                    # -1 (or null) asks for the whole log.
                    'minimum': -1,
                },
            },
            'additionalProperties': False,
        },
    },
    'required': ['os-getConsoleOutput'],
    'additionalProperties': False,
}

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

reset_state = {
    'type': 'object',
    'properties': {
        'os-resetState': {
            'type': 'object',
            'properties': {'state': {'type': 'string', 'enum': ['active', 'error']}},
            'required': ['state'],
            'additionalProperties': False,
        },
    },
    'required': ['os-resetState'],
    'additionalProperties': False,
}

instance_actions_query_v258 = {
    'type': 'object',
    'properties': {
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'marker': parameter_types.multi_params({'type': 'string'}),
        'changes-since': parameter_types.multi_params({'type': 'string',
                                                       'format': 'date-time'}),
    },
    'additionalProperties': True,
}

instance_actions_query_v266 = copy.deepcopy(instance_actions_query_v258)
instance_actions_query_v266['properties']['changes-before'] = \
    parameter_types.multi_params({'type': 'string', 'format': 'date-time'})
