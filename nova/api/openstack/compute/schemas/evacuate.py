"""Request bodies of the evacuate server action, per microversion."""

import copy

from nova.api.validation import parameter_types

# 2.1 - 2.13: onSharedStorage is required.
evacuate = {
    'type': 'object',
    'properties': {
        'evacuate': {
            'type': 'object',
            'properties': {
                'host': parameter_types.hostname,
                'onSharedStorage': parameter_types.boolean,
                'adminPass': parameter_types.admin_password,
            },
            'required': ['onSharedStorage'],
            'additionalProperties': False,
        },
    },
    'required': ['evacuate'],
    'additionalProperties': False,
}

# 2.14 - 2.28: no onSharedStorage (the host finds out).
evacuate_v214 = copy.deepcopy(evacuate)
del evacuate_v214['properties']['evacuate']['properties']['onSharedStorage']
del evacuate_v214['properties']['evacuate']['required']

# 2.29 - 2.67: force, to skip the scheduler's checks of the named host.
evacuate_v229 = copy.deepcopy(evacuate_v214)
evacuate_v229['properties']['evacuate']['properties']['force'] = parameter_types.boolean

# 2.68 on: force is gone again.
evacuate_v268 = copy.deepcopy(evacuate_v214)
