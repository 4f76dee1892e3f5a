"""Query strings of /os-hypervisors, per microversion."""

import copy

from nova.api.validation import parameter_types

# 2.33: paging; other query parameters are ignored.
list_query_233 = {
    'type': 'object',
    'properties': {
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'marker': parameter_types.multi_params({'type': 'string'}),
    },
    'additionalProperties': True,
}
# 2.53: the hostname pattern and with_servers move here from their own routes.
list_query_253 = copy.deepcopy(list_query_233)
list_query_253['properties'].update({
    'hypervisor_hostname_pattern': parameter_types.multi_params(
        {'type': 'string', 'minLength': 1, 'maxLength': 255}),
    'with_servers': parameter_types.multi_params(parameter_types.boolean),
})
show_query = {
    'type': 'object',
    'properties': {'with_servers': parameter_types.multi_params(parameter_types.boolean)},
    'additionalProperties': True,
}
