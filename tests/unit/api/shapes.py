"""Response bodies compared with upstream's samples by shape, not by value.

The samples under ``tests/data/api_samples`` are upstream's request and
response examples, a ``vX.Y`` folder where a microversion changed a shape.
Values in them (ids, dates, hosts) are only examples; what must match is the
tree of keys: every key the sample has at a place, ours has, and no more.
Inside maps whose keys are data (metadata, extra specs, addresses by network
name, hosts by name, ...) only the kind of value is compared.

Each ``test_sample_shapes_*`` module declares ``Case`` rows for the sample
folders it owns; ``unclaimed`` tells which response samples in those folders
no case and no waiver covers, so a folder is swept whole or says why not.
"""

import collections
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2] / 'data' / 'api_samples'

# Keys whose values are maps keyed by data, not by field names.
FREE_FORM = frozenset([
    'metadata', 'extra_specs', 'addresses', 'properties', 'hosts', 'services',
    'details', 'rules', 'tags', 'os-extra_specs', 'items', 'extra',
    'scheduler_hints', 'log',
])

_VERSION_DIR = re.compile(r'^v(\d+\.\d+)$')

Case = collections.namedtuple('Case', [
    'sample',    # response sample under api_samples: 'servers/v2.100/server-get-resp.json'
    'method',    # 'GET', 'POST', ...
    'path',      # with {collection} placeholders filled from the seeded ids
    'body',      # request body: a dict, a request sample's path, or None
    'persona',   # who asks (see seeded.PERSONAS)
    'optional',  # key paths ('server.fault') that may be absent on either side
])
Case.__new__.__defaults__ = (None, 'admin', ())


def load(name):
    return json.loads((ROOT / name).read_text())


def version_of(name):
    """The microversion a sample shows: its ``vX.Y`` folder, else 2.1."""
    for part in pathlib.PurePosixPath(name).parts[:-1]:
        match = _VERSION_DIR.match(part)
        if match:
            return match.group(1)
    return '2.1'


def response_samples(folder):
    """Every response sample in ``folder`` (all its version sub-folders) named as one.

    Upstream names most responses ``*-resp.json``; a few folders (os-migrations,
    os-simple-tenant-usage, instance-actions filters) name them like requests, and
    their modules claim those files themselves."""
    base = ROOT / folder
    return sorted(str(p.relative_to(ROOT)) for p in base.rglob('*.json')
                  if '-resp' in p.name or p.name.endswith('resp.json'))


def _kind(value):
    if isinstance(value, dict):
        return 'object'
    if isinstance(value, list):
        return 'array'
    return 'scalar'


def diff(expected, actual, where='', optional=()):
    """Sorted differences: ``-a.b`` missing from ours, ``+a.b`` ours has extra,
    ``~a.b`` an object or array where the other side has something else."""
    found = []
    _walk(expected, actual, where, frozenset(optional), found)
    return sorted(found)


def _walk(expected, actual, where, optional, found):
    if expected is None or actual is None:
        return  # null in either: nothing to say about shape
    if _kind(expected) != _kind(actual):
        found.append('~%s (%s vs %s)' % (where or '.', _kind(expected), _kind(actual)))
        return
    if isinstance(expected, list):
        _walk_items(expected, actual, where, optional, found)
    elif isinstance(expected, dict):
        if where.rsplit('.', 1)[-1] in FREE_FORM:
            return
        for key in set(expected) | set(actual):
            path = '%s.%s' % (where, key) if where else key
            if key not in actual:
                if path not in optional:
                    found.append('-' + path)
            elif key not in expected:
                if path not in optional:
                    found.append('+' + path)
            else:
                _walk(expected[key], actual[key], path, optional, found)


def _walk_items(expected, actual, where, optional, found):
    """Lists compare their items merged: the union of keys over all items."""
    if not expected or not actual:
        return
    merged_expected = _merge(expected)
    merged_actual = _merge(actual)
    if merged_expected is not None and merged_actual is not None:
        _walk(merged_expected, merged_actual, where + '[]', optional, found)


def _merge(items):
    if not all(isinstance(item, dict) for item in items):
        return None
    merged = {}
    for item in items:
        for key, value in item.items():
            if merged.get(key) is None:
                merged[key] = value
    return merged


def unclaimed(folders, cases, waived):
    """Response samples in ``folders`` neither a case nor ``waived`` names."""
    claimed = {case.sample for case in cases} | set(waived)
    return [name for folder in folders for name in response_samples(folder)
            if name not in claimed]


def request(client, case, ids, version=None):
    """Send ``case`` through ``client`` (a conftest.Client) as its persona, at
    ``version`` (default: the sample's microversion); returns the response."""
    from tests.unit.api import seeded
    token, headers = seeded.headers_for(case.persona)
    body = load(case.body) if isinstance(case.body, str) else case.body
    return client.request(case.method, case.path.format_map(ids), body=body,
                          version=version or version_of(case.sample), token=token,
                          headers=headers)


def check(client, case, ids, version=None, status=None):
    """The differences between ``case``'s response and its sample; fails when the
    status is not ``status`` (default: any 2xx) or the sample's body is missing."""
    res = request(client, case, ids, version)
    ok = res.status_int == status if status else 200 <= res.status_int < 300
    assert ok, '%s %s -> %s %s' % (case.method, case.path, res.status, res.body[:500])
    expected = load(case.sample)
    assert res.json_body_or_none is not None or not expected, (
        '%s %s -> %s with no JSON body; the sample has one' % (
            case.method, case.path, res.status))
    return diff(expected, res.json_body_or_none, optional=case.optional)


def assert_matches(client, case, ids, version=None, status=None):
    found = check(client, case, ids, version, status)
    assert not found, '%s differs from its sample at %s:\n  %s' % (
        case.sample, version or version_of(case.sample), '\n  '.join(found))
