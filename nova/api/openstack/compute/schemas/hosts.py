"""Schemas of ``/os-hosts``: the zone filter and the enable/maintenance update."""

from nova.api.validation import parameter_types

_switch = {'type': 'string',
           'enum': ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE']}

update = {
    'type': 'object',
    'properties': {'status': _switch, 'maintenance_mode': _switch},
    'anyOf': [{'required': ['status']}, {'required': ['maintenance_mode']}],
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {'zone': parameter_types.common_query_param},
    'additionalProperties': True,
}
