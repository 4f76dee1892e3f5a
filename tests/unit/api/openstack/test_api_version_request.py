"""Microversion negotiation as clients see it: both headers, latest, 406, Vary."""

import pytest

from nova.api.openstack import api_version_request as avr

VARY = 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'


def _versions(res):
    return (res.headers.get('OpenStack-API-Version'),
            res.headers.get('X-OpenStack-Nova-API-Version'))


@pytest.mark.parametrize('value, expected', [
    ('compute 2.20', '2.20'),
    ('COMPUTE 2.3', '2.3'),
    ('placement 1.5, compute 2.12', '2.12'),
    ('compute latest', avr.MAX_API_VERSION),
    ('compute LATEST', avr.MAX_API_VERSION),
    ('compute 2.1', '2.1'),
    ('placement 1.10', '2.1'),  # not ours: the default
])
def test_standard_header(admin, value, expected):
    res = admin.get('/flavors', headers={'OpenStack-API-Version': value})
    assert res.status_int == 200, res.body
    assert _versions(res) == ('compute %s' % expected, expected)
    assert res.headers['Vary'] == VARY


@pytest.mark.parametrize('value, expected', [('2.15', '2.15'), ('latest', avr.MAX_API_VERSION)])
def test_legacy_header(admin, value, expected):
    res = admin.get('/flavors', headers={'X-OpenStack-Nova-API-Version': value})
    assert res.status_int == 200
    assert _versions(res) == ('compute %s' % expected, expected)
    assert res.headers['Vary'] == VARY


def test_standard_header_wins_over_legacy(admin):
    res = admin.get('/flavors', headers={'OpenStack-API-Version': 'compute 2.30',
                                         'X-OpenStack-Nova-API-Version': '2.5'})
    assert _versions(res) == ('compute 2.30', '2.30')


def test_no_header_is_the_minimum(admin):
    res = admin.get('/flavors')
    assert _versions(res) == ('compute 2.1', '2.1')
    assert res.headers['Vary'] == VARY


@pytest.mark.parametrize('value', ['2.0', '2.%d' % (avr.max_api_version().ver_minor + 1),
                                   '3.0', '1.1'])
def test_out_of_range_is_406(admin, value):
    for headers in ({'OpenStack-API-Version': 'compute %s' % value},
                    {'X-OpenStack-Nova-API-Version': value}):
        res = admin.get('/servers', headers=headers)
        assert res.status_int == 406, res.body
        fault = res.json_body_or_none['computeFault']
        assert fault['code'] == 406
        assert 'Minimum is 2.1 and maximum is %s' % avr.MAX_API_VERSION in fault['message']
        # no microversion was agreed, so none is claimed
        assert _versions(res) == (None, None)


@pytest.mark.parametrize('value', ['two', '2.', '2.1.1', '2.01x', '.5'])
def test_malformed_is_400(admin, value):
    res = admin.get('/flavors', headers={'OpenStack-API-Version': 'compute %s' % value})
    assert res.status_int == 400
    assert res.json_body_or_none['badRequest']['code'] == 400
    assert _versions(res) == (None, None)


def test_errors_carry_version_headers(admin):
    res = admin.get('/flavors/nope', version='2.40')
    assert res.status_int == 404
    assert _versions(res) == ('compute 2.40', '2.40')
    assert res.headers['Vary'] == VARY
    # a method outside its range is a 404 with the negotiated version
    res = admin.put('/flavors/1', {'flavor': {'description': 'x'}}, version='2.54')
    assert res.status_int == 404
    assert res.headers['Vary'] == VARY
    res = admin.get('/os-networks', version='2.36')
    assert res.status_int == 404
    assert 'itemNotFound' in res.json_body_or_none


def test_legacy_v2_endpoint_ignores_versions(admin):
    res = admin.get('/v2/flavors', headers={'OpenStack-API-Version': 'compute 2.50'})
    assert res.status_int == 200
    assert 'OpenStack-API-Version' not in res.headers
    assert 'X-OpenStack-Nova-API-Version' not in res.headers
    assert 'Vary' not in res.headers


def test_version_document_answers_with_headers(admin):
    res = admin.get('/v2.1/', version='2.60')
    assert res.status_int == 200
    assert res.json_body_or_none['version']['version'] == avr.MAX_API_VERSION
    assert res.headers['Vary'] == VARY
