"""Schemas of ``/servers`` requests (create, update, list queries) per microversion.

Each microversion that changed the create body gets its own dict, derived
from the previous one, so the controller can stack ``@validation.schema``
decorators with explicit version ranges.
"""

import copy

from nova.api.validation import parameter_types

_hostname_label = r'^[a-zA-Z0-9-]{1,63}$'
_hostname_fqdn = r'^[a-zA-Z0-9.-]{1,255}$'

_network = {
    'type': 'object',
    'properties': {
        'fixed_ip': parameter_types.ip_address,
        'port': {'oneOf': [{'type': 'string', 'format': 'uuid'}, {'type': 'null'}]},
        'uuid': {'type': 'string'},
    },
    'additionalProperties': False,
}

# Gigabytes, as an integer or a string of digits, within the database's INT.
_volume_size = {'type': ['integer', 'string'], 'pattern': '^[0-9]+$', 'minimum': 1,
                'maximum': 2147483647}

_bdm_v1 = {
    'type': 'object',
    'properties': {
        'virtual_name': {'type': 'string', 'maxLength': 255},
        'volume_id': parameter_types.volume_id,
        'snapshot_id': parameter_types.uuid,
        'volume_size': _volume_size,
        'device_name': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                        'pattern': '^[a-zA-Z0-9._/-]*$'},
        'delete_on_termination': parameter_types.boolean,
        'no_device': {},
        'connection_info': {'type': 'string', 'maxLength': 16777215},
    },
    'additionalProperties': False,
}

_bdm_v2 = {
    'type': 'object',
    'properties': {
        'source_type': {'type': 'string', 'enum': ['volume', 'image', 'snapshot', 'blank']},
        'uuid': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                 'pattern': '^[a-zA-Z0-9._-]*$'},
        'image_id': parameter_types.image_id,
        'destination_type': {'type': 'string', 'enum': ['local', 'volume']},
        'guest_format': {'type': 'string', 'maxLength': 255},
        'device_type': {'type': 'string', 'maxLength': 255},
        'disk_bus': {'type': 'string', 'maxLength': 255},
        'boot_index': {'type': ['integer', 'string', 'null'], 'pattern': '^-?[0-9]+$'},
        'device_name': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                        'pattern': '^[a-zA-Z0-9._/-]*$'},
        'volume_size': _volume_size,
        'delete_on_termination': parameter_types.boolean,
        'no_device': {},
        'snapshot_id': parameter_types.uuid,
        'volume_id': parameter_types.volume_id,
        'connection_info': {'type': 'string', 'maxLength': 16777215},
    },
    'additionalProperties': False,
}

_device_tag = {'type': 'string', 'maxLength': 60, 'pattern': '^[^,/]*$'}

_scheduler_hints = {
    'type': 'object',
    'properties': {
        'group': {'type': 'string', 'format': 'uuid'},
        'different_host': {
            'oneOf': [
                {'type': 'string', 'format': 'uuid'},
                {'type': 'array', 'items': parameter_types.server_id},
            ]
        },
        'same_host': {
            'type': ['string', 'array'],
            'items': parameter_types.server_id,
        },
        'query': {'type': ['string', 'object']},
        'target_cell': parameter_types.name,
        'different_cell': {'type': ['string', 'array'], 'items': {'type': 'string'}},
        'build_near_host_ip': parameter_types.ip_address,
        'cidr': {'type': 'string', 'pattern': '^/[0-9a-f.:]+$'},
    },
    # Out-of-tree filters may read any other hint.
    'additionalProperties': True,
}

_server_tag = {
    'type': 'string', 'minLength': 1, 'maxLength': 60,
    'pattern': r'^[^,/]*$',
}

create = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'imageRef': parameter_types.image_id_or_empty_string,
                'flavorRef': parameter_types.flavor_ref,
                'adminPass': parameter_types.admin_password,
                'metadata': parameter_types.metadata,
                'networks': {'type': 'array', 'items': _network},
                'OS-DCF:diskConfig': {'type': 'string', 'enum': ['AUTO', 'MANUAL']},
                'accessIPv4': parameter_types.accessIPv4,
                'accessIPv6': parameter_types.accessIPv6,
                'personality': {
                    'type': 'array',
                    'items': {
                        'type': 'object',
                        'properties': {
                            'path': {'type': 'string'},
                            'contents': {'type': 'string'},
                        },
                        'additionalProperties': False,
                    },
                },
                'availability_zone': parameter_types.name,
                'block_device_mapping': {'type': 'array', 'items': _bdm_v1},
                'block_device_mapping_v2': {'type': 'array', 'items': _bdm_v2},
                'config_drive': parameter_types.boolean,
                'key_name': parameter_types.name,
                'min_count': parameter_types.positive_integer,
                'max_count': parameter_types.positive_integer,
                'return_reservation_id': parameter_types.boolean,
                'security_groups': {
                    'type': 'array',
                    'items': {
                        'type': 'object',
                        # Names or ids of Neutron security groups.
                        'properties': {'name': {'type': 'string', 'minLength': 1,
                                                'maxLength': 255}},
                        'additionalProperties': False,
                    },
                },
                'user_data': {'type': 'string', 'maxLength': 65535},
            },
            'required': ['name', 'flavorRef'],
            'additionalProperties': False,
        },
        'os:scheduler_hints': _scheduler_hints,
        'OS-SCH-HNT:scheduler_hints': _scheduler_hints,
    },
    'required': ['server'],
    'additionalProperties': False,
}

create_v20 = copy.deepcopy(create)
create_v20['properties']['server']['properties']['name'] = (
    parameter_types.name_with_leading_trailing_spaces)
create_v20['properties']['server']['properties']['availability_zone'] = {'type': 'string'}
create_v20['properties']['server']['properties']['key_name'] = {'type': 'string'}

create_v219 = copy.deepcopy(create)
create_v219['properties']['server']['properties']['description'] = parameter_types.description

create_v232 = copy.deepcopy(create_v219)
create_v232['properties']['server']['properties']['networks']['items'][
    'properties']['tag'] = _device_tag
create_v232['properties']['server']['properties']['block_device_mapping_v2']['items'][
    'properties']['tag'] = _device_tag

# 2.33 – 2.36 behave as 2.32 for create; 2.37 makes networks mandatory and
# accepts the 'none' / 'auto' shortcuts; the device tags are dropped until 2.42.
create_v237 = copy.deepcopy(create_v219)
create_v237['properties']['server']['required'].append('networks')
create_v237['properties']['server']['properties']['networks'] = {
    'oneOf': [
        {'type': 'array', 'items': _network},
        {'type': 'string', 'enum': ['none', 'auto']},
    ]
}

create_v242 = copy.deepcopy(create_v237)
create_v242['properties']['server']['properties']['networks']['oneOf'][0]['items'][
    'properties']['tag'] = _device_tag
create_v242['properties']['server']['properties']['block_device_mapping_v2']['items'][
    'properties']['tag'] = _device_tag

create_v252 = copy.deepcopy(create_v242)
create_v252['properties']['server']['properties']['tags'] = {
    'type': 'array', 'uniqueItems': True, 'maxItems': 50, 'items': _server_tag,
}

# 2.57: personality files are gone (user_data is the way to inject data).
create_v257 = copy.deepcopy(create_v252)
del create_v257['properties']['server']['properties']['personality']

create_v263 = copy.deepcopy(create_v257)
create_v263['properties']['server']['properties']['trusted_image_certificates'] = {
    'type': ['array', 'null'], 'minItems': 1, 'maxItems': 50, 'uniqueItems': True,
    'items': {'type': 'string', 'minLength': 1},
}

create_v267 = copy.deepcopy(create_v263)
create_v267['properties']['server']['properties']['block_device_mapping_v2']['items'][
    'properties']['volume_type'] = {'type': ['string', 'null'], 'minLength': 0,
                                    'maxLength': 255}

create_v274 = copy.deepcopy(create_v267)
create_v274['properties']['server']['properties']['host'] = parameter_types.hostname
create_v274['properties']['server']['properties']['hypervisor_hostname'] = (
    parameter_types.hostname)

create_v290 = copy.deepcopy(create_v274)
create_v290['properties']['server']['properties']['hostname'] = {
    'type': 'string', 'pattern': _hostname_label}

create_v294 = copy.deepcopy(create_v290)
create_v294['properties']['server']['properties']['hostname'] = {
    'type': 'string', 'pattern': _hostname_fqdn}

# --- PUT /servers/{id} ---------------------------------------------------------

update = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'OS-DCF:diskConfig': {'type': 'string', 'enum': ['AUTO', 'MANUAL']},
                'accessIPv4': parameter_types.accessIPv4,
                'accessIPv6': parameter_types.accessIPv6,
            },
            'additionalProperties': False,
        },
    },
    'required': ['server'],
    'additionalProperties': False,
}

update_v20 = copy.deepcopy(update)
update_v20['properties']['server']['properties']['name'] = (
    parameter_types.name_with_leading_trailing_spaces)

update_v219 = copy.deepcopy(update)
update_v219['properties']['server']['properties']['description'] = (
    parameter_types.description)

update_v290 = copy.deepcopy(update_v219)
update_v290['properties']['server']['properties']['hostname'] = {
    'type': 'string', 'pattern': _hostname_label}

update_v294 = copy.deepcopy(update_v290)
update_v294['properties']['server']['properties']['hostname'] = {
    'type': 'string', 'pattern': _hostname_fqdn}

# 2.104: the availability zone a server is pinned to may be unset (or re-pinned).
update_v2104 = copy.deepcopy(update_v294)
update_v2104['properties']['server']['properties']['pinned_availability_zone'] = {
    'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255}

# --- GET /servers, /servers/detail -------------------------------------------

_str = parameter_types.common_query_param
_regex = parameter_types.common_query_regex_param

query_params = {
    'type': 'object',
    'properties': {
        'user_id': _str,
        'project_id': _str,
        'tenant_id': _str,
        'launch_index': _str,
        'image_ref': _str,
        'image': _str,
        'kernel_id': _regex,
        'ramdisk_id': _regex,
        'hostname': _regex,
        'key_name': _regex,
        'power_state': _regex,
        'vm_state': _str,
        'task_state': _str,
        'host': _str,
        'node': _str,
        'flavor': _str,
        'reservation_id': _regex,
        'launched_at': _regex,
        'terminated_at': _regex,
        'availability_zone': _regex,
        'name': _regex,
        'display_name': _regex,
        'description': _regex,
        'display_description': _regex,
        'locked_by': _regex,
        'uuid': _str,
        'root_device_name': _regex,
        'config_drive': _regex,
        'access_ip_v4': _regex,
        'access_ip_v6': _regex,
        'auto_disk_config': _regex,
        'progress': _regex,
        'sort_key': _str,
        'sort_dir': _str,
        'all_tenants': _str,
        'soft_deleted': _str,
        'deleted': _str,
        'status': _str,
        'changes-since': _str,
        'ip': _regex,
        'ip6': _regex,
        'created_at': _regex,
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'marker': _str,
    },
    # Unknown parameters are dropped by the controller, not refused.
    'additionalProperties': True,
}

query_params_v226 = copy.deepcopy(query_params)
for _tag_param in ('tags', 'tags-any', 'not-tags', 'not-tags-any'):
    query_params_v226['properties'][_tag_param] = _regex

query_params_v266 = copy.deepcopy(query_params_v226)
query_params_v266['properties']['changes-before'] = _str

query_params_v273 = copy.deepcopy(query_params_v266)
query_params_v273['properties']['locked'] = parameter_types.multi_params(
    {'type': 'string'})
