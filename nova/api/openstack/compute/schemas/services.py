"""Schemas of os-services updates (old per-action bodies and the 2.53 form)."""

from nova.api.validation import parameter_types

_host_binary = {
    'host': parameter_types.hostname,
    'binary': {'type': 'string', 'minLength': 1, 'maxLength': 255},
}

service_update = {
    'type': 'object',
    'properties': dict(_host_binary, disabled_reason={
        'type': 'string', 'minLength': 1, 'maxLength': 255}),
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

service_update_v211 = {
    'type': 'object',
    'properties': dict(_host_binary,
                       disabled_reason={'type': 'string', 'minLength': 1, 'maxLength': 255},
                       forced_down=parameter_types.boolean),
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

service_update_v253 = {
    'type': 'object',
    'properties': {
        'status': {'type': 'string', 'enum': ['enabled', 'disabled']},
        'disabled_reason': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'forced_down': parameter_types.boolean,
    },
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {
        'host': parameter_types.multi_params({'type': 'string'}),
        'binary': parameter_types.multi_params({'type': 'string'}),
    },
    'additionalProperties': True,
}
