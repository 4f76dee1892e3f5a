"""Request bodies of the shelve, shelveOffload and unshelve server actions."""

import copy

from nova.api.validation import parameter_types

shelve = parameter_types.no_body('shelve')
shelve_offload = parameter_types.no_body('shelveOffload')
unshelve = parameter_types.no_body('unshelve')

# 2.77: an offloaded server may be unshelved into another availability zone.
unshelve_v277 = {
    'type': 'object',
    'properties': {
        'unshelve': {
            'oneOf': [
                parameter_types.none,
                {'type': 'object',
                 'properties': {'availability_zone': parameter_types.name},
                 'required': ['availability_zone'],
                 'additionalProperties': False},
            ],
        },
    },
    'required': ['unshelve'],
    'additionalProperties': False,
}

# 2.91: null unpins the zone; an administrator may name the host.
unshelve_v291 = copy.deepcopy(unshelve_v277)
unshelve_v291['properties']['unshelve']['oneOf'][1] = {
    'type': 'object',
    'properties': {
        'availability_zone': {'oneOf': [{'type': 'null'}, parameter_types.name]},
        'host': parameter_types.hostname,
    },
    'minProperties': 1,
    'additionalProperties': False,
}
