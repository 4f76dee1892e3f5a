"""JSON schemas of ``/servers/{id}/metadata`` request bodies."""

import copy

from nova.api.validation import parameter_types

create = {
    'type': 'object',
    'properties': {'metadata': parameter_types.metadata},
    'required': ['metadata'],
    'additionalProperties': False,
}

update_all = copy.deepcopy(create)

_single_item = copy.deepcopy(parameter_types.metadata)
_single_item.update({'minProperties': 1, 'maxProperties': 1})

update = {
    'type': 'object',
    'properties': {'meta': _single_item},
    'required': ['meta'],
    'additionalProperties': False,
}
