"""Query strings of /servers/{server_id}/os-instance-actions, per microversion."""

import copy

from nova.api.validation import parameter_types

index_query_v258 = {
    'type': 'object',
    'properties': {
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'marker': parameter_types.multi_params({'type': 'string'}),
        'changes-since': parameter_types.multi_params({'type': 'string',
                                                       'format': 'date-time'}),
    },
    'additionalProperties': True,
}

index_query_v266 = copy.deepcopy(index_query_v258)
index_query_v266['properties']['changes-before'] = \
    parameter_types.multi_params({'type': 'string', 'format': 'date-time'})
