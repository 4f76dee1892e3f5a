"""Query strings of /os-migrations, per microversion."""

from nova.api.validation import parameter_types

TYPES = ['evacuation', 'live-migration', 'migration', 'resize']
_string = parameter_types.multi_params({'type': 'string'})
query = {
    'type': 'object',
    'properties': {
        'hidden': parameter_types.multi_params(parameter_types.boolean),
        'host': _string,
        'instance_uuid': _string,
        'source_compute': _string,
        'status': _string,
        'migration_type': parameter_types.multi_params({'type': 'string', 'enum': TYPES}),
    },
    'additionalProperties': True,
}
_date_time = parameter_types.multi_params({'type': 'string', 'format': 'date-time'})
query_v259 = {
    'type': 'object',
    'properties': dict(query['properties'], limit=parameter_types.non_negative_integer_query,
                       marker=_string, **{'changes-since': _date_time}),
    'additionalProperties': True,
}
query_v266 = {
    'type': 'object',
    'properties': dict(query_v259['properties'], **{'changes-before': _date_time}),
    'additionalProperties': True,
}
query_v280 = {
    'type': 'object',
    'properties': dict(query_v266['properties'],
                       user_id=parameter_types.multi_params(
                           {'type': 'string', 'minLength': 1, 'maxLength': 255}),
                       project_id=parameter_types.multi_params(
                           {'type': 'string', 'minLength': 1, 'maxLength': 255})),
    'additionalProperties': True,
}
