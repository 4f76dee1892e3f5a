"""Query strings of /os-simple-tenant-usage, per microversion."""

from nova.api.validation import parameter_types

query = {
    'type': 'object',
    'properties': {
        'start': parameter_types.multi_params({'type': 'string'}),
        'end': parameter_types.multi_params({'type': 'string'}),
        'detailed': parameter_types.multi_params({'type': 'string'}),
    },
    'additionalProperties': True,
}
query_v240 = {
    'type': 'object',
    'properties': dict(query['properties'],
                       limit=parameter_types.non_negative_integer_query,
                       marker=parameter_types.multi_params({'type': 'string'})),
    'additionalProperties': True,
}
