"""Request bodies of the remote consoles API: the legacy ``os-get*Console``
actions and ``POST /servers/{id}/remote-consoles`` (2.6+)."""

import copy


def _legacy_action(action, types):
    return {
        'type': 'object',
        'properties': {
            action: {
                'type': 'object',
                'properties': {'type': {'type': 'string', 'enum': types}},
                'required': ['type'],
                'additionalProperties': False,
            },
        },
        'required': [action],
        'additionalProperties': False,
    }


get_vnc_console = _legacy_action('os-getVNCConsole', ['novnc', 'xvpvnc'])
get_spice_console = _legacy_action('os-getSPICEConsole', ['spice-html5'])
get_rdp_console = _legacy_action('os-getRDPConsole', ['rdp-html5'])
get_serial_console = _legacy_action('os-getSerialConsole', ['serial'])

create_v26 = {
    'type': 'object',
    'properties': {
        'remote_console': {
            'type': 'object',
            'properties': {
                'protocol': {'type': 'string',
                             'enum': ['vnc', 'spice', 'rdp', 'serial']},
                'type': {'type': 'string',
                         'enum': ['novnc', 'xvpvnc', 'rdp-html5', 'spice-html5', 'serial']},
            },
            'required': ['protocol', 'type'],
            'additionalProperties': False,
        },
    },
    'required': ['remote_console'],
    'additionalProperties': False,
}

# 2.8: VMware's MKS console.
create_v28 = copy.deepcopy(create_v26)
create_v28['properties']['remote_console']['properties']['protocol']['enum'].append('mks')
create_v28['properties']['remote_console']['properties']['type']['enum'].append('webmks')

# 2.99: SPICE straight to a client, without the HTML5 proxy page.
create_v299 = copy.deepcopy(create_v28)
create_v299['properties']['remote_console']['properties']['type']['enum'].append(
    'spice-direct')
