"""Request bodies of the os-migrateLive server action, by microversion."""

import copy

from nova.api.validation import parameter_types

_host = {'oneOf': [parameter_types.hostname, {'type': 'null'}]}

# 2.1: host (or null for the scheduler's pick), block_migration and
# disk_over_commit, all three required.
migrate_live = {
    'type': 'object',
    'properties': {
        'os-migrateLive': {
            'type': 'object',
            'properties': {
                'block_migration': parameter_types.boolean,
                'disk_over_commit': parameter_types.boolean,
                'host': _host,
            },
            'required': ['block_migration', 'disk_over_commit', 'host'],
            'additionalProperties': False,
        },
    },
    'required': ['os-migrateLive'],
    'additionalProperties': False,
}

# 2.25: block_migration may be "auto"; disk_over_commit is no longer required
# (the API reference bounds it at 2.25), and from 2.26 it is gone.
migrate_live_v225 = copy.deepcopy(migrate_live)
_body = migrate_live_v225['properties']['os-migrateLive']
_body['properties']['block_migration'] = {
    'oneOf': [parameter_types.boolean, {'type': 'string', 'enum': ['auto']}]}
_body['required'] = ['block_migration', 'host']
migrate_live_v226 = copy.deepcopy(migrate_live_v225)
del migrate_live_v226['properties']['os-migrateLive']['properties']['disk_over_commit']

# 2.30: force (skip the scheduler's checks of the named host).
migrate_live_v230 = copy.deepcopy(migrate_live_v226)
migrate_live_v230['properties']['os-migrateLive']['properties']['force'] = \
    parameter_types.boolean

# 2.68: force is gone again.
migrate_live_v268 = copy.deepcopy(migrate_live_v226)
