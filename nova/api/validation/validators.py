"""JSON-schema validation (Draft 4, as upstream) with upstream's error messages."""

import base64
import binascii
import functools
import re
import unicodedata

import jsonschema
from jsonschema import validators as js_validators
import netaddr
from oslo_utils import uuidutils

from nova import exception


class FormatError(ValueError):
    """A value failed a named format; the text becomes the error's last sentence."""


_FORMAT_CHECKER = jsonschema.FormatChecker()


def _is_printable(text):
    return all(unicodedata.category(c)[0] != 'C' for c in text)


@_FORMAT_CHECKER.checks('name', raises=FormatError)
def _check_name(instance):
    if not isinstance(instance, str):
        return True
    if not _is_printable(instance) or instance.strip() != instance:
        raise FormatError(
            "An invalid 'name' value was provided. The name must be: printable "
            "characters. Can not start or end with whitespace.")
    return True


@_FORMAT_CHECKER.checks('name_with_leading_trailing_spaces', raises=FormatError)
def _check_name_with_spaces(instance):
    if not isinstance(instance, str):
        return True
    if not _is_printable(instance) or not instance.strip():
        raise FormatError(
            "An invalid 'name' value was provided. The name must be: printable "
            "characters with at least one non space character")
    return True


@_FORMAT_CHECKER.checks('uuid', raises=FormatError)
def _check_uuid(instance):
    if isinstance(instance, str) and not uuidutils.is_uuid_like(instance):
        raise FormatError("%s is not a valid UUID" % instance)
    return True


@_FORMAT_CHECKER.checks('base64', raises=FormatError)
def _check_base64(instance):
    """Decodable as base64, as leniently as upstream (characters outside the
    alphabet are skipped; bad padding is not)."""
    if not isinstance(instance, str):
        return True
    try:
        base64.b64decode(instance)
    except (binascii.Error, ValueError):
        raise FormatError("%r is not a 'base64'" % instance)
    return True


@_FORMAT_CHECKER.checks('cidr', raises=FormatError)
def _check_cidr(instance):
    if not isinstance(instance, str):
        return True
    try:
        netaddr.IPNetwork(instance)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise FormatError("%s is not a valid CIDR" % instance)
    if '/' not in instance:
        raise FormatError("%s is not a valid CIDR" % instance)
    return True


@_FORMAT_CHECKER.checks('regex', raises=FormatError)
def _check_regex(instance):
    if not isinstance(instance, str):
        return True
    try:
        re.compile(instance)
    except re.error:
        raise FormatError("%s is not a valid regular expression" % instance)
    return True


@_FORMAT_CHECKER.checks('uri', raises=FormatError)
def _check_uri(instance):
    if isinstance(instance, str) and not re.match(r'^[a-zA-Z][a-zA-Z0-9+.-]*://', instance):
        raise FormatError("%s is not a valid URI" % instance)
    return True


@_FORMAT_CHECKER.checks('ipv4', raises=FormatError)
def _check_ipv4(instance):
    if isinstance(instance, str) and not netaddr.valid_ipv4(instance, netaddr.INET_PTON):
        raise FormatError("%s is not an IPv4 address" % instance)
    return True


@_FORMAT_CHECKER.checks('ipv6', raises=FormatError)
def _check_ipv6(instance):
    if isinstance(instance, str) and not netaddr.valid_ipv6(instance):
        raise FormatError("%s is not an IPv6 address" % instance)
    return True


def _numeric(instance):
    """Numbers given as strings count as numbers for min/max checks."""
    if isinstance(instance, bool):
        return None
    if isinstance(instance, (int, float)):
        return instance
    if isinstance(instance, str):
        for convert in (int, float):
            try:
                return convert(instance)
            except ValueError:
                continue
    return None


def _minimum(validator, minimum, instance, schema):
    value = _numeric(instance)
    if value is not None and schema.get('exclusiveMinimum') and value <= minimum:
        yield jsonschema.ValidationError(
            "%r is less than or equal to the minimum of %r" % (instance, minimum))
    elif value is not None and value < minimum:
        yield jsonschema.ValidationError(
            "%r is less than the minimum of %r" % (instance, minimum))


def _maximum(validator, maximum, instance, schema):
    value = _numeric(instance)
    if value is not None and value > maximum:
        yield jsonschema.ValidationError(
            "%r is greater than the maximum of %r" % (instance, maximum))


def _strict_end(pattern):
    """``pattern`` with each ``$`` outside a character class turned into ``\\Z``.

    Python's ``$`` also matches before a final newline, so ``^[0-9]*$`` would
    let ``"5\\n"`` (or ``"\\n"``) through to code that then fails on it.
    """
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == '\\':
            escaped = True
        elif char == '[':
            in_class = True
        elif char == ']':
            in_class = False
        elif char == '$' and not in_class:
            out.append('\\Z')
            continue
        out.append(char)
    return ''.join(out)


@functools.lru_cache(maxsize=512)
def _compiled(pattern):
    return re.compile(_strict_end(pattern))


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, 'string') and not _compiled(pattern).search(instance):
        yield jsonschema.ValidationError('%r does not match %r' % (instance, pattern))


_Validator = js_validators.extend(
    jsonschema.Draft4Validator,
    {'minimum': _minimum, 'maximum': _maximum, 'pattern': _pattern})


def _describe(error):
    """Upstream's wording: which field, its value, and what is wrong with it."""
    if error.validator == 'additionalProperties' or not error.path:
        message = error.message
        if error.cause is not None:
            message = str(error.cause)
        return message
    field = error.path[-1]
    message = str(error.cause) if error.cause is not None else error.message
    if error.validator == 'pattern':
        message = ("%r does not match %r" % (error.instance, error.validator_value))
    return ("Invalid input for field/attribute %(path)s. Value: %(value)s. %(message)s"
            % {'path': field, 'value': error.instance, 'message': message})


class SchemaValidator(object):
    """Validates documents against one schema, raising ``exception.ValidationError``."""

    def __init__(self, schema, relax_additional_properties=False):
        _Validator.check_schema(schema)
        self.schema = schema
        self.relax = relax_additional_properties
        self._validator = _Validator(schema, format_checker=_FORMAT_CHECKER)

    def validate(self, document):
        errors = sorted(self._validator.iter_errors(document),
                        key=lambda e: (len(list(e.path)), str(e.message)))
        for error in errors:
            if self.relax and error.validator == 'additionalProperties':
                continue
            raise exception.ValidationError(detail=_describe(error))
        return True
