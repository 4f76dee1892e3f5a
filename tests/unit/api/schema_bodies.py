"""Request bodies and query strings generated from the controllers' JSON schemas.

A small translator from the JSON-schema keywords nova's schemas use (type,
properties, required, additionalProperties, patternProperties, enum,
items, oneOf/anyOf/allOf, lengths, bounds, pattern, format) to hypothesis
strategies.  (hypothesis-jsonschema would do this, but its last release no
longer works with current hypothesis.)  ``minimal`` gives one small valid
document, for tests that need a body the validator accepts so they reach
the policy check behind it.
"""

import functools
import json
import re
import string

from hypothesis import find, HealthCheck, settings, strategies as st
from hypothesis.errors import HypothesisException

_NAME_CHARS = string.ascii_letters + string.digits + '-_.'
_MAX_TEXT = 24

FORMATS = {
    'uuid': st.uuids().map(str),
    'name': st.text(_NAME_CHARS, min_size=1, max_size=20),
    'name_with_leading_trailing_spaces': st.text(_NAME_CHARS, min_size=1, max_size=20),
    'cidr': st.sampled_from(['10.0.0.0/24', '192.168.1.0/24', 'fd00::/64']),
    'regex': st.sampled_from(['^a', 'b.*', 'demo']),
    'uri': st.sampled_from(['http://example.com/x', 'https://10.0.0.1:8774/']),
    'ipv4': st.ip_addresses(v=4).map(str),
    'ipv6': st.ip_addresses(v=6).map(str),
    'date-time': st.sampled_from(['2026-01-01T00:00:00Z', '2026-11-21T08:00:00.000000']),
    'hostname': st.sampled_from(['host1', 'node-2.example']),
    'mac_address': st.just('fa:16:3e:00:00:01'),
    'base64': st.sampled_from(['', 'aGVsbG8=']),
}

JSON_SCALARS = (st.none() | st.booleans() | st.integers(-2 ** 40, 2 ** 40)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=_MAX_TEXT))
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(max_size=8), inner, max_size=3),
    max_leaves=8)


def _strings(schema):
    low = schema.get('minLength', 0)
    high = schema.get('maxLength')
    cap = max(low, _MAX_TEXT) if high is None else min(high, max(low, _MAX_TEXT))
    pattern = schema.get('pattern')
    if pattern is not None:
        try:
            base = st.from_regex(re.compile(pattern))
        except (HypothesisException, re.error, TypeError, ValueError):
            base = st.text(max_size=cap).filter(lambda s: re.search(pattern, s))
        return base.filter(lambda s: low <= len(s) <= (high or cap + 40))
    fmt = schema.get('format')
    if fmt in FORMATS:
        return FORMATS[fmt].filter(lambda s: low <= len(s) and (high is None or len(s) <= high))
    return st.text(min_size=low, max_size=cap)


def _numbers(schema, integer):
    low, high = schema.get('minimum'), schema.get('maximum')
    if schema.get('exclusiveMinimum') is True and low is not None:
        low = low + 1 if integer else low
    elif isinstance(schema.get('exclusiveMinimum'), (int, float)) and \
            not isinstance(schema.get('exclusiveMinimum'), bool):
        low = schema['exclusiveMinimum'] + (1 if integer else 0)
    if integer:
        return st.integers(min_value=None if low is None else int(low),
                           max_value=None if high is None else int(high))
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def _arrays(schema, depth):
    items = schema.get('items', {})
    low = schema.get('minItems', 0)
    high = min(schema.get('maxItems', low + 3), low + 3)
    element = _gen(items if isinstance(items, dict) else {}, depth + 1)
    unique = json.dumps if schema.get('uniqueItems') else None
    return st.lists(element, min_size=low, max_size=high,
                    unique_by=(lambda v: json.dumps(v, sort_keys=True)) if unique else None)


def _objects(schema, depth):
    props = schema.get('properties', {})
    required = [name for name in schema.get('required', []) if name in props]
    fixed = {name: _gen(props[name], depth + 1) for name in required}
    optional = {name: _gen(sub, depth + 1) for name, sub in props.items()
                if name not in required}
    base = st.fixed_dictionaries(fixed, optional=optional)
    extra = []
    for pattern, sub in (schema.get('patternProperties') or {}).items():
        keys = _strings({'pattern': pattern, 'maxLength': 30})
        extra.append(st.dictionaries(keys, _gen(sub, depth + 1), max_size=2))
    additional = schema.get('additionalProperties', True)
    if isinstance(additional, dict):
        extra.append(st.dictionaries(st.text(_NAME_CHARS, min_size=1, max_size=10),
                                     _gen(additional, depth + 1), max_size=2))
    for more in extra:
        base = st.tuples(base, more).map(lambda pair: {**pair[1], **pair[0]})
    return base


def _gen(schema, depth=0):
    if not isinstance(schema, dict) or not schema or depth > 8:
        return JSON_VALUES
    if 'enum' in schema:
        return st.sampled_from(schema['enum'])
    if 'const' in schema:
        return st.just(schema['const'])
    rest = {k: v for k, v in schema.items() if k not in ('oneOf', 'anyOf', 'allOf')}
    for key in ('oneOf', 'anyOf'):
        if key in schema:
            return st.one_of([_gen({**rest, **sub}, depth + 1) for sub in schema[key]])
    if 'allOf' in schema:
        merged = dict(rest)
        for sub in schema['allOf']:
            merged.update(sub)
        return _gen(merged, depth + 1)
    types = schema.get('type')
    if types is None:
        if 'properties' in schema:
            types = 'object'
        elif 'items' in schema:
            types = 'array'
        elif 'pattern' in schema or 'format' in schema:
            types = 'string'
        else:
            return JSON_VALUES
    options = []
    for kind in (types if isinstance(types, list) else [types]):
        if kind == 'null':
            options.append(st.none())
        elif kind == 'boolean':
            options.append(st.booleans())
        elif kind == 'integer':
            options.append(_numbers(schema, True))
        elif kind == 'number':
            options.append(_numbers(schema, False) | _numbers(schema, True))
        elif kind == 'string':
            options.append(_strings(schema))
        elif kind == 'array':
            options.append(_arrays(schema, depth))
        elif kind == 'object':
            options.append(_objects(schema, depth))
    return st.one_of(options) if options else JSON_VALUES


@functools.lru_cache(maxsize=None)
def _strategy_for(schema_json):
    return _gen(json.loads(schema_json))


def strategy(schema):
    """A strategy of documents meant to be valid for ``schema``."""
    return _strategy_for(json.dumps(schema, sort_keys=True))


_FORMAT_EXAMPLES = {
    'uuid': '8f1b2b3c-9d4e-4f5a-8b6c-7d8e9f0a1b2c', 'name': 'fuzz',
    'name_with_leading_trailing_spaces': 'fuzz', 'cidr': '10.0.0.0/24', 'regex': 'a',
    'uri': 'http://example.com/x', 'ipv4': '10.0.0.5', 'ipv6': 'fd00::5',
    'date-time': '2026-01-01T00:00:00Z', 'hostname': 'host1',
}
_STRING_CANDIDATES = ('a', 'fuzz', '1', 'a1', 'host1', '0', 'a-b', 'ssh', 'x' * 8)


def _first_string(schema):
    fmt = schema.get('format')
    if fmt in _FORMAT_EXAMPLES:
        return _FORMAT_EXAMPLES[fmt]
    low = schema.get('minLength', 0)
    pattern = schema.get('pattern')
    for text in _STRING_CANDIDATES + ('a' * max(low, 1),):
        if len(text) >= low and (pattern is None or re.search(pattern, text)):
            return text
    return 'a' * low


def _first(schema, depth=0):
    """The simplest value for ``schema``, built without search (may still be invalid)."""
    if not isinstance(schema, dict) or depth > 10:
        return None
    if 'enum' in schema:
        return schema['enum'][0]
    if 'const' in schema:
        return schema['const']
    rest = {k: v for k, v in schema.items() if k not in ('oneOf', 'anyOf', 'allOf')}
    for key in ('oneOf', 'anyOf'):
        if key in schema:
            return _first({**rest, **schema[key][0]}, depth + 1)
    types = schema.get('type', 'object' if 'properties' in schema else 'string')
    kinds = types if isinstance(types, list) else [types]
    kind = next((k for k in ('object', 'integer', 'string', 'array', 'boolean', 'number',
                             'null') if k in kinds), 'null')
    if kind == 'object':
        props = schema.get('properties', {})
        return {name: _first(props.get(name, {}), depth + 1)
                for name in schema.get('required', [])}
    if kind in ('integer', 'number'):
        low = schema.get('minimum', 0)
        if schema.get('exclusiveMinimum') is True:
            low += 1
        return max(int(low), 0) if schema.get('maximum', 1) >= 0 else schema['maximum']
    if kind == 'string':
        return _first_string(schema)
    if kind == 'array':
        return [_first(schema.get('items', {}), depth + 1)
                for _ in range(schema.get('minItems', 0))]
    if kind == 'boolean':
        return False
    return None


@functools.lru_cache(maxsize=None)
def _minimal(schema_json):
    from nova.api.validation import validators
    schema = json.loads(schema_json)
    checker = validators.SchemaValidator(schema)

    def valid(doc):
        try:
            return checker.validate(doc)
        except Exception:
            return False
    doc = _first(schema)
    if valid(doc):
        return json.dumps(doc)
    try:  # search, for schemas the simple construction gets wrong
        return json.dumps(find(_strategy_for(schema_json), valid, settings=settings(
            database=None, max_examples=200, derandomize=True,
            suppress_health_check=list(HealthCheck))))
    except (HypothesisException, Exception):
        return None


def minimal(schema):
    """A small document nova's validator accepts for ``schema`` (None if none was found)."""
    found = _minimal(json.dumps(schema, sort_keys=True))
    return json.loads(found) if found is not None else None
