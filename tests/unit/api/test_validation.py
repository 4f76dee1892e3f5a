"""The validation decorators: a body or query checked only within its microversion
range, a missing body refused, the legacy v2 endpoint tolerating unknown keys,
schemas recorded for introspection, responses checked as [api]
response_validation says."""

import pytest
import webob

import nova.conf
from nova.api.openstack import api_version_request as avr
from nova.api import validation
from nova import exception

CONF = nova.conf.CONF

BODY = {'type': 'object', 'properties': {'name': {'type': 'string'}},
        'required': ['name'], 'additionalProperties': False}
QUERY = {'type': 'object', 'properties': {'limit': {'type': 'array',
                                                    'items': {'pattern': '^[0-9]+$'}}}}


class Controller(object):
    @validation.schema(BODY, '2.10')
    def create(self, req, body):
        return 'created'

    @validation.query_schema(QUERY)
    def index(self, req):
        return 'listed'

    @validation.response_body_schema(BODY)
    def show(self, req, result):
        return result


def _req(version='2.50', query='', legacy=False):
    req = webob.Request.blank('/x' + query)
    req.api_version_request = avr.APIVersionRequest(version)
    if legacy:
        req.environ['nova.legacy_v2'] = True
    return req


def test_a_body_is_checked_within_its_range_only():
    assert Controller().create(_req(), body={'name': 'x'}) == 'created'
    with pytest.raises(exception.ValidationError):
        Controller().create(_req(), body={'name': 1})
    assert Controller().create(_req('2.9'), body={'name': 1}) == 'created'


def test_a_missing_body_is_refused():
    with pytest.raises(exception.ValidationError) as err:
        Controller().create(_req())
    assert 'request body is missing' in err.value.format_message()


def test_the_legacy_endpoint_tolerates_unknown_keys_but_not_bad_values():
    assert Controller().create(_req(legacy=True), body={'name': 'x', 'extra': 1}) == 'created'
    with pytest.raises(exception.ValidationError):
        Controller().create(_req(), body={'name': 'x', 'extra': 1})
    with pytest.raises(exception.ValidationError):
        Controller().create(_req(legacy=True), body={'name': 1})


def test_the_query_string_is_checked_as_lists_of_strings():
    assert Controller().index(_req(query='?limit=10&limit=20')) == 'listed'
    with pytest.raises(exception.ValidationError):
        Controller().index(_req(query='?limit=ten'))


def test_schemas_are_recorded_for_introspection():
    assert Controller.create.request_body_schemas == [(BODY, '2.10', None)]
    assert Controller.index.query_schemas == [(QUERY, None, None)]


@pytest.mark.parametrize('mode, raises', [('error', True), ('warn', False),
                                          ('ignore', False)])
def test_responses_are_checked_as_configured(mode, raises):
    CONF.set_override('response_validation', mode, group='api')
    try:
        assert Controller().show(_req(), {'name': 'x'}) == {'name': 'x'}
        if raises:
            with pytest.raises(exception.NovaException):
                Controller().show(_req(), {'name': 1})
        else:
            assert Controller().show(_req(), {'name': 1}) == {'name': 1}
    finally:
        CONF.clear_override('response_validation', group='api')
