"""JSON schemas of ``POST /servers/{id}/os-volume_attachments`` (and its 2.49 and
2.79 additions) and the 2.85 ``PUT``."""

import copy

from nova.api.validation import parameter_types

# upstream's device name pattern: /dev/vdb, /dev/sdc, /dev/xvdd...
device = {'type': ['string', 'null'],
          'pattern': '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$'}
tag = {'type': 'string', 'minLength': 1, 'maxLength': 60, 'pattern': '^[^,/]*$'}

create = {
    'type': 'object',
    'properties': {
        'volumeAttachment': {
            'type': 'object',
            'properties': {
                'volumeId': parameter_types.volume_id,
                'device': device,
            },
            'required': ['volumeId'],
            'additionalProperties': False,
        },
    },
    'required': ['volumeAttachment'],
    'additionalProperties': False,
}

create_v249 = copy.deepcopy(create)
create_v249['properties']['volumeAttachment']['properties']['tag'] = tag

create_v279 = copy.deepcopy(create_v249)
create_v279['properties']['volumeAttachment']['properties']['delete_on_termination'] = \
    parameter_types.boolean

# before 2.85 a PUT only swaps the volume for another (an administrator's call)
update = copy.deepcopy(create)
del update['properties']['volumeAttachment']['properties']['device']

update_v285 = {
    'type': 'object',
    'properties': {
        'volumeAttachment': {
            'type': 'object',
            'properties': {
                'volumeId': parameter_types.volume_id,
                'device': device,
                'tag': tag,
                'delete_on_termination': parameter_types.boolean,
                'serverId': parameter_types.server_id,
                'id': parameter_types.volume_id,
            },
            'required': ['volumeId'],
            'additionalProperties': False,
        },
    },
    'required': ['volumeAttachment'],
    'additionalProperties': False,
}
