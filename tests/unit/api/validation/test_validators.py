"""nova.api.validation.validators: formats, numbers given as strings, strict
patterns and upstream's wording of each refusal."""

import pytest

from nova.api.validation import validators
from nova import exception


def _refusal(schema, document, relax=False):
    with pytest.raises(exception.ValidationError) as err:
        validators.SchemaValidator(schema, relax).validate(document)
    return err.value.format_message()


def _obj(**properties):
    return {'type': 'object', 'properties': properties, 'additionalProperties': False}


@pytest.mark.parametrize('fmt,good,bad,message', [
    ('name', 'vm 1', ' vm', "The name must be: printable characters. Can not start"),
    ('name', 'vm', 'v\x00m', "printable characters"),
    ('name_with_leading_trailing_spaces', ' vm ', '   ', 'at least one non space'),
    ('uuid', '70a599e0-31e7-49b7-b260-868f441e862b', 'not-a-uuid',
     'not-a-uuid is not a valid UUID'),
    ('cidr', '10.0.0.0/24', '10.0.0.1', '10.0.0.1 is not a valid CIDR'),
    ('cidr', 'fd00::/64', '10.0.0.0/99', 'is not a valid CIDR'),
    ('regex', '^vm-[0-9]+$', '(', '( is not a valid regular expression'),
    ('uri', 'https://example.org/x', 'example.org', 'example.org is not a valid URI'),
    ('ipv4', '192.168.0.1', '192.168.0', '192.168.0 is not an IPv4 address'),
    ('ipv6', 'fd00::1', 'fd00::g', 'fd00::g is not an IPv6 address'),
])
def test_formats(fmt, good, bad, message):
    schema = _obj(value={'type': 'string', 'format': fmt})
    assert validators.SchemaValidator(schema).validate({'value': good})
    assert message in _refusal(schema, {'value': bad})


def test_formats_ignore_other_types():
    schema = _obj(value={'format': 'uuid'})
    assert validators.SchemaValidator(schema).validate({'value': 5})


def test_numbers_given_as_strings_are_bounded():
    schema = _obj(count={'type': ['integer', 'string'], 'minimum': 1, 'maximum': 10})
    validator = validators.SchemaValidator(schema)
    assert validator.validate({'count': '5'}) and validator.validate({'count': 'many'})
    assert "'0' is less than the minimum of 1" in _refusal(schema, {'count': '0'})
    assert "11 is greater than the maximum of 10" in _refusal(schema, {'count': 11})
    assert "'10.5' is greater than the maximum of 10" in _refusal(schema, {'count': '10.5'})
    exclusive = _obj(ratio={'type': 'number', 'minimum': 0, 'exclusiveMinimum': True})
    assert 'less than or equal to the minimum of 0' in _refusal(exclusive, {'ratio': 0})


def test_booleans_are_not_numbers_for_bounds():
    schema = _obj(flag={'minimum': 5})
    assert validators.SchemaValidator(schema).validate({'flag': True})


def test_a_pattern_end_does_not_match_before_a_final_newline():
    schema = _obj(digits={'type': 'string', 'pattern': '^[0-9]*$'})
    assert validators.SchemaValidator(schema).validate({'digits': '42'})
    message = _refusal(schema, {'digits': '5\n'})
    assert message == ("Invalid input for field/attribute digits. Value: 5\n. "
                       "'5\\n' does not match '^[0-9]*$'")
    # a '$' inside a character class or escaped stays a literal
    assert validators._strict_end(r'^[$a]+\$$') == r'^[$a]+\$\Z'


def test_messages_name_the_field_and_value():
    schema = _obj(name={'type': 'string', 'maxLength': 3})
    assert _refusal(schema, {'name': 'long'}) == (
        "Invalid input for field/attribute name. Value: long. 'long' is too long")
    top = {'type': 'object', 'required': ['server']}
    assert _refusal(top, {}) == "'server' is a required property"


def test_additional_properties_refused_unless_relaxed():
    schema = _obj(name={'type': 'string'})
    assert "Additional properties are not allowed ('extra' was unexpected)" in \
        _refusal(schema, {'name': 'a', 'extra': 1})
    assert validators.SchemaValidator(schema, relax_additional_properties=True).validate(
        {'name': 'a', 'extra': 1})
    # relaxing does not let other errors through
    assert 'is not of type' in _refusal(schema, {'name': 1, 'extra': 1}, relax=True)


def test_the_shallowest_error_is_reported_first():
    schema = {'type': 'object', 'required': ['a'],
              'properties': {'b': _obj(c={'type': 'integer'})}}
    assert _refusal(schema, {'b': {'c': 'x'}}) == "'a' is a required property"


def test_an_invalid_schema_is_refused_at_once():
    import jsonschema
    with pytest.raises(jsonschema.SchemaError):
        validators.SchemaValidator({'type': 'no-such-type'})
