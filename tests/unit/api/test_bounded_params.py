"""Request parameters that upstream bounds by microversion are in our schemas exactly
within those bounds.

For every operation we serve, each body or query parameter the API reference
gives a ``min_version``/``max_version`` (tests/data/api_contract.json) must be
a property of the operation's schema at the bounds, and must not be one just
outside them.  The reference writes microversions as numbers, so 2.1 may mean
2.10: the check is made where every reading agrees (named at the highest
reading of the minimum and the lowest of the maximum, absent below the lowest
minimum and above the highest maximum).
"""

import json
import pathlib

import pytest

from nova.api.openstack import api_version_request as avr
from nova.api.openstack import introspect
from tools import api_contract

CONTRACT = json.loads((pathlib.Path(__file__).resolve().parents[2] / 'data' /
                       'api_contract.json').read_text())
OPERATIONS = introspect.operations()


def _property_names(schema, found=None):
    """Every property name anywhere in a JSON schema (nested objects, arrays, oneOf...)."""
    found = set() if found is None else found
    if isinstance(schema, dict):
        for name, sub in (schema.get('properties') or {}).items():
            found.add(name)
            _property_names(sub, found)
        for key, value in schema.items():
            if key != 'properties':
                _property_names(value, found)
    elif isinstance(schema, list):
        for item in schema:
            _property_names(item, found)
    return found


def _named_at(op, where, name, version):
    """True/False when the operation's schema at ``version`` does/doesn't name ``name``;
    None when no schema applies then (nothing to say)."""
    entries = op.body_schemas if where == 'body' else op.query_schemas
    schemas = introspect.schemas_for(entries, avr.APIVersionRequest(version))
    if not schemas:
        return None
    return any(name in _property_names(schema) for schema in schemas)


def _served(op, version):
    return avr.APIVersionRequest(version).matches(op.min_version, op.max_version)


def _step(version, delta):
    major, minor = version.split('.')
    return '%s.%d' % (major, int(minor) + delta)


def _within(version, bounded):
    low, high = bounded[2], bounded[3]
    request = avr.APIVersionRequest(version)
    return ((not low or request >= avr.APIVersionRequest(low[0]))
            and (not high or request <= avr.APIVersionRequest(high[-1])))


def _checks(op, bounded, siblings):
    """(version, expect named?) pairs the contract decides for one parameter; a version
    another entry of the same name covers (marker as an id, then as a uuid) is not
    "outside"."""
    low, high = bounded[2], bounded[3]
    checks = [(version, True) for version in
              ([low[-1]] if low else []) + ([high[0]] if high else [])]
    outside = []
    if low and low[0] != '2.1':
        outside.append(_step(low[0], -1))
    if high:
        outside.append(_step(high[-1], 1))
    checks += [(version, False) for version in outside
               if not any(_within(version, other) for other in siblings)]
    return [(v, expect) for v, expect in checks if _served(op, v)]


def _cases():
    cases = []
    for op in OPERATIONS:
        entry = CONTRACT.get(api_contract.key(
            op.method, introspect._documented_path(op.path), op.action)) or {}
        every = entry.get('bounded', [])
        for bounded in every:
            siblings = [other for other in every
                        if other is not bounded and other[:2] == bounded[:2]]
            cases.append(pytest.param(op, bounded, siblings, id='%s %s%s %s %s-%s' % (
                op.method, op.path, ' ' + op.action if op.action else '', bounded[1],
                (bounded[2] or ['2.1'])[0], (bounded[3] or ['latest'])[-1])))
    return cases


CASES = _cases()


@pytest.mark.parametrize('op,bounded,siblings', CASES)
def test_parameter_follows_its_microversions(op, bounded, siblings):
    where, name = bounded[0], bounded[1].rsplit('.', 1)[-1]  # 'networks.tag' -> 'tag'
    wrong = []
    for version, expected in _checks(op, bounded, siblings):
        named = _named_at(op, where, name, version)
        if named is not None and named != expected:
            wrong.append('%s %s at %s' % ('missing' if expected else 'accepted', name, version))
    assert not wrong, wrong


def test_the_join_finds_the_bounded_parameters():
    assert len(CASES) >= 60, len(CASES)
