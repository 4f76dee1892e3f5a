"""Query string of /limits."""

from nova.api.validation import parameter_types

query = {
    'type': 'object',
    'properties': {'tenant_id': parameter_types.multi_params({'type': 'string'})},
    'additionalProperties': True,
}
