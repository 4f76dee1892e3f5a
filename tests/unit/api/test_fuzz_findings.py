"""Regressions for what the API fuzz (test_fuzz.py) found: each was a 500."""

import pytest

from nova.api.validation import parameter_types
from nova.api.validation import validators
from nova import exception


@pytest.mark.parametrize('value', ['5\n', '\n', '12\n'])
def test_trailing_newline_does_not_pass_dollar(value):
    checker = validators.SchemaValidator(parameter_types.positive_integer)
    with pytest.raises(exception.ValidationError):
        checker.validate(value)


def test_dollar_inside_a_class_or_escaped_is_literal():
    assert validators._strict_end(r'^[a$]+$') == r'^[a$]+\Z'
    assert validators._strict_end(r'^a\$b$') == r'^a\$b\Z'
    checker = validators.SchemaValidator({'type': 'string', 'pattern': r'^[a$]+$'})
    assert checker.validate('a$a')


def test_flavor_create_with_newline_size_is_400(admin):
    res = admin.post('/flavors', {'flavor': {'name': 'f', 'ram': 1, 'vcpus': 1,
                                             'disk': '\n'}})
    assert res.status_int == 400, res.body
    assert res.json_body_or_none['badRequest']['code'] == 400


@pytest.mark.parametrize('method, suffix, body', [
    ('GET', '', None),
    ('DELETE', '', None),
    ('POST', '/action', {'set_metadata': {'metadata': {}}}),
])
def test_aggregate_id_beyond_the_column_is_404(admin, method, suffix, body):
    res = admin.request(method, '/os-aggregates/9223372036854775808' + suffix, body)
    assert res.status_int == 404, res.body
    assert res.json_body_or_none['itemNotFound']['code'] == 404


def test_aggregate_id_of_unicode_digits_is_400(admin):
    res = admin.get('/os-aggregates/%C2%B2')  # '\u00b2' is a digit to str.isdigit()
    assert res.status_int == 400, res.body
    assert res.json_body_or_none['badRequest']['code'] == 400
