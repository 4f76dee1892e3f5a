"""Query strings of the flavor lists, per microversion."""

import copy

from nova.api.validation import parameter_types

index_query = {
    'type': 'object',
    'properties': {
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'marker': parameter_types.multi_params({'type': 'string'}),
        'is_public': parameter_types.multi_params({'type': 'string'}),
        'minRam': parameter_types.multi_params({'type': 'string'}),
        'minDisk': parameter_types.multi_params({'type': 'string'}),
        'sort_key': parameter_types.multi_params({'type': 'string'}),
        'sort_dir': parameter_types.multi_params({'type': 'string'}),
    },
    # Unknown query parameters are ignored, as upstream does before 2.75.
    'additionalProperties': True,
}

index_query_275 = copy.deepcopy(index_query)
index_query_275['additionalProperties'] = False

# 2.102: flavors can be asked for by name.
index_query_2102 = copy.deepcopy(index_query_275)
index_query_2102['properties']['name'] = parameter_types.multi_params(
    {'type': 'string', 'minLength': 1, 'maxLength': 255})
