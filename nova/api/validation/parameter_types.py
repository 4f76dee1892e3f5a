"""Reusable JSON-schema fragments for request bodies and query strings."""

import copy

# Printable characters, no leading/trailing whitespace: names of flavors,
# servers, key pairs...
_NAME_PATTERN = r'^(?! )[^\x00-\x1f\x7f]*(?<! )$'

boolean = {
    'type': ['boolean', 'string'],
    'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on',
             'YES', 'Yes', 'yes',
             False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off',
             'NO', 'No', 'no'],
}

none = {'enum': ['None', None, {}]}

name_or_none = {
    'oneOf': [
        {'type': 'string', 'minLength': 1, 'maxLength': 255},
        {'type': 'null'},
    ]
}

positive_integer = {
    'type': ['integer', 'string'],
    'pattern': '^[0-9]*$', 'minimum': 1, 'minLength': 1,
}

non_negative_integer = {
    'type': ['integer', 'string'],
    'pattern': '^[0-9]*$', 'minimum': 0, 'minLength': 1,
}

# Accepts "1.5" and "1e2" as the old API did for flavor sizes.
flavor_param_positive = copy.deepcopy(positive_integer)
flavor_param_non_negative = copy.deepcopy(non_negative_integer)

name = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'format': 'name',
}

name_with_leading_trailing_spaces = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'format': 'name_with_leading_trailing_spaces',
}

description = {
    'type': ['string', 'null'], 'minLength': 0, 'maxLength': 65535,
    'pattern': r'^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$',
}

tcp_udp_port = {
    'type': ['integer', 'string'], 'pattern': '^[0-9]*$',
    'minimum': 0, 'maximum': 65535, 'minLength': 1,
}

project_id = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': '^[a-zA-Z0-9-]*$',
}

server_id = {'type': 'string', 'format': 'uuid'}

uuid = {'type': 'string', 'format': 'uuid'}

image_id = {'type': 'string', 'format': 'uuid'}

image_id_or_empty_string = {
    'oneOf': [
        {'type': 'string', 'format': 'uuid'},
        {'type': 'string', 'maxLength': 0},
    ]
}

volume_id = uuid

hostname = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^[a-zA-Z0-9-._]*$',
}

hostname_or_ip_address = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^[a-zA-Z0-9-_.:]*$',
}

availability_zone = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^[^:]*$', 'format': 'name',
}

ip_address = {'type': 'string', 'oneOf': [{'format': 'ipv4'}, {'format': 'ipv6'}]}

ipv4 = {'type': 'string', 'format': 'ipv4'}

ipv6 = {'type': 'string', 'format': 'ipv6'}

cidr = {'type': 'string', 'format': 'cidr'}

metadata = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255},
    },
    'additionalProperties': False,
}

metadata_with_null = copy.deepcopy(metadata)
metadata_with_null['patternProperties']['^[a-zA-Z0-9-_:. ]{1,255}$']['type'] = [
    'string', 'null']

admin_password = {'type': 'string'}

accessIPv4 = ipv4
accessIPv6 = ipv6

flavor_ref = {'type': ['string', 'integer'], 'minLength': 1}

# Query strings: every parameter arrives as a list of strings.


def multi_params(schema):
    """A query parameter that may repeat; each value must match ``schema``."""
    return {'type': 'array', 'items': schema}


single_param = multi_params

common_query_param = multi_params({'type': 'string'})

common_query_regex_param = multi_params({'type': 'string', 'format': 'regex'})

non_negative_integer_query = multi_params({'type': 'string', 'pattern': '^[0-9]+$'})


def no_body(action):
    """``{"<action>": null}`` (``{}`` is tolerated, as clients send both)."""
    return {
        'type': 'object',
        'properties': {action: none},
        'required': [action],
        'additionalProperties': False,
    }
