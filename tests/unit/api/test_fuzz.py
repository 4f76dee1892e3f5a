"""Schema-driven fuzz of every routed operation through the paste app (noauth2, SQLite).

For each operation in ROUTE_LIST (actions one by one), hypothesis draws a
microversion (in range, ``latest``, out of range, malformed, or the legacy
header), path ids (seeded ones that exist, unknown, huge or odd ones), a
body (valid for the schema the controller declares at that microversion,
then perhaps mutated: a wrong type, an extra property, a dropped required
key, a huge string; or random JSON, malformed bytes, nothing) and a query
string (from the query schema or random).  Every answer must be below 500
(501 excepted) and every 4xx must have upstream's body
``{"<name>": {"code": <status>, "message": ...}}``.

Default run: ``NOVA_FUZZ_EXAMPLES`` (8) examples per operation, derandomized
so CI is repeatable.  A long run: ``NOVA_FUZZ_EXAMPLES=500 NOVA_FUZZ_SEED=7``.
"""

import json
import os
import urllib.parse

from hypothesis import given, HealthCheck, seed, settings, strategies as st
import pytest

from nova.api.openstack import api_version_request as avr
from nova.api.openstack import introspect
from tests.unit.api.conftest import Client
from tests.unit.api import schema_bodies
from tests.unit.api import seeded

EXAMPLES = int(os.environ.get('NOVA_FUZZ_EXAMPLES', '8'))
SEED = os.environ.get('NOVA_FUZZ_SEED')
OPERATIONS = introspect.operations()
_MAX_MINOR = avr.max_api_version().ver_minor
# The one 5xx a controller may answer on purpose.
ALLOWED_5XX = {501}


def _settings(func):
    configured = settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=SEED is None,
        suppress_health_check=list(HealthCheck), print_blob=True)(func)
    return seed(int(SEED))(configured) if SEED is not None else configured


@pytest.fixture
def cloud(paste_app, seeded_ids):
    return paste_app, seeded_ids


# --- strategies ----------------------------------------------------------------------

def versions(op):
    low = avr.APIVersionRequest(op.min_version).ver_minor
    high = avr.APIVersionRequest(op.max_version).ver_minor
    in_range = st.integers(low, high).map(lambda minor: ('new', '2.%d' % minor))
    return st.one_of(
        in_range, in_range, in_range,
        st.just(('new', 'latest')),
        st.integers(0, _MAX_MINOR + 50).map(lambda minor: ('new', '2.%d' % minor)),
        st.integers(0, _MAX_MINOR).map(lambda minor: ('legacy', '2.%d' % minor)),
        st.sampled_from([('new', '3.0'), ('new', '1.1'), ('new', 'two'), ('new', '2.'),
                         ('new', ''), ('none', None)]),
    )


ODD_IDS = st.one_of(
    st.uuids().map(str),
    st.text(alphabet=st.characters(blacklist_categories=('Cs',)), min_size=1, max_size=40),
    st.sampled_from(['0', '-1', '99999999999999999999', 'x' * 300, '%00', '..', 'null',
                     '1.5', ' ']),
)


def path_for(op, ids):
    """Placeholders filled with the seeded id of their collection, or an odd one."""
    parts = op.path.strip('/').split('/')

    def fill(choices):
        out = []
        for i, part in enumerate(parts):
            if part.startswith('{'):
                out.append(urllib.parse.quote(choices.pop(0), safe=''))
            else:
                out.append(part)
        return '/' + '/'.join(out)
    holes = [parts[i - 1] if i else '' for i, part in enumerate(parts) if part.startswith('{')]
    if not holes:
        return st.just(op.path)
    each = []
    for collection in holes:
        known = [ids[key] for key in (collection, 'other_server' if collection == 'servers'
                                      else None) if key in ids]
        each.append(st.one_of(st.sampled_from(known), ODD_IDS) if known else ODD_IDS)
    return st.tuples(*each).map(lambda choices: fill(list(choices)))


HUGE = st.sampled_from(['x' * 256, 'y' * 70000, '\u2603' * 1000])
WRONG = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70),
                  st.floats(allow_nan=True), st.lists(st.integers(), max_size=2),
                  st.dictionaries(st.text(max_size=4), st.integers(), max_size=2), HUGE,
                  st.text(max_size=20))


@st.composite
def mutate(draw, doc):
    """Change one place of a valid document: a value, an extra key or a dropped key."""
    if not isinstance(doc, (dict, list)) or not doc:
        return draw(WRONG)
    path = []
    node = doc
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict)
                                   else list(range(len(node)))))
        path.append(key)
        node = node[key]
    doc = json.loads(json.dumps(doc))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    how = draw(st.sampled_from(['value', 'extra', 'drop']))
    target = parent[path[-1]] if path else doc
    if how == 'extra' and isinstance(target, dict):
        target[draw(st.text(min_size=1, max_size=12))] = draw(WRONG)
    elif how == 'drop' and isinstance(target, dict) and target:
        del target[draw(st.sampled_from(sorted(target)))]
    elif path:
        parent[path[-1]] = draw(WRONG)
    else:
        return draw(WRONG)
    return doc


@st.composite
def bodies(draw, op, version):
    """Raw bytes for the request body, or None for no body."""
    schemas = []
    if version is not None:
        schemas = introspect.schemas_for(op.body_schemas, version)
    kind = draw(st.sampled_from(['valid', 'valid', 'mutated', 'mutated', 'random',
                                 'malformed', 'none']))
    if op.method not in ('POST', 'PUT') and kind != 'malformed':
        kind = 'none'
    if kind in ('valid', 'mutated'):
        if schemas:
            doc = draw(schema_bodies.strategy(schemas[0]))
        elif op.action:
            doc = {op.action: draw(st.one_of(st.none(), schema_bodies.JSON_VALUES))}
        else:
            doc = draw(schema_bodies.JSON_VALUES)
        if kind == 'mutated':
            doc = draw(mutate(doc))
        return json.dumps(doc).encode()
    if kind == 'random':
        return json.dumps(draw(schema_bodies.JSON_VALUES)).encode()
    if kind == 'malformed':
        return draw(st.sampled_from([b'{', b'{"a": }', b'\xff\xfe', b'[1,', b'nul',
                                     b'{"a": 1}}', b'\x00']))
    return None


@st.composite
def queries(draw, op, version):
    schemas = introspect.schemas_for(op.query_schemas, version) if version else []
    if schemas and draw(st.booleans()):
        params = draw(schema_bodies.strategy(schemas[0]))
        if not isinstance(params, dict):
            return ''
        pairs = [(key, value) for key, values in params.items()
                 for value in (values if isinstance(values, list) else [values])]
        return urllib.parse.urlencode([(k, v if isinstance(v, str) else json.dumps(v))
                                       for k, v in pairs])
    if draw(st.booleans()):
        return ''
    names = ['limit', 'marker', 'name', 'status', 'all_tenants', 'user_id', 'sort_key',
             'sort_dir', 'changes-since', 'host', 'deleted', 'tenant_id', 'with_servers',
             'hypervisor_hostname_pattern', 'minDisk', 'is_public', 'bogus']
    pairs = draw(st.lists(st.tuples(st.sampled_from(names), st.one_of(
        st.text(max_size=12), st.sampled_from(['-1', '0', '1.5', 'true', 'x' * 300, ''
                                               ]))), max_size=4))
    return urllib.parse.urlencode(pairs)


# --- the test ------------------------------------------------------------------------

def _send(app, method, path, query, raw, version_kind, version, persona):
    token, headers = seeded.headers_for(persona)
    client = Client(app, token)
    headers = dict(headers)
    if version_kind == 'new':
        headers['OpenStack-API-Version'] = 'compute %s' % version
    elif version_kind == 'legacy':
        headers['X-OpenStack-Nova-API-Version'] = version
    path = '/v2.1/' if path == '/' else path  # the version document, not the root list
    return client.request(method, path + ('?' + query if query else ''), raw=raw,
                          headers=headers)


def check(res, label):
    status = res.status_int
    assert status < 500 or status in ALLOWED_5XX or seeded.environmental(res), (
        label, status, res.body[:500])
    if 400 <= status < 500:
        body = json.loads(res.body)
        assert isinstance(body, dict) and len(body) == 1, (label, res.body[:300])
        (fault,) = body.values()
        assert fault['code'] == status, (label, res.body[:300])
        assert isinstance(fault['message'], str), (label, res.body[:300])
    if status not in (400, 406) and 200 <= status < 500:
        assert 'OpenStack-API-Version' in res.headers.get('Vary', ''), label


def _label(op):
    return '%s %s%s' % (op.method, op.path, ' ' + op.action if op.action else '')


@pytest.mark.parametrize('op', [pytest.param(op, id=_label(op)) for op in OPERATIONS])
def test_fuzz_operation(op, cloud):
    app, ids = cloud

    @_settings
    @given(data=st.data())
    def run(data):
        version_kind, version = data.draw(versions(op), label='version')
        parsed = None
        if version_kind != 'none':
            try:
                parsed = (avr.max_api_version() if version == 'latest'
                          else avr.APIVersionRequest(version))
            except avr.InvalidAPIVersionString:
                parsed = None
        else:
            parsed = avr.min_api_version()
        path = data.draw(path_for(op, ids), label='path')
        raw = data.draw(bodies(op, parsed), label='body')
        query = data.draw(queries(op, parsed), label='query')
        persona = data.draw(st.sampled_from(['admin', 'admin', 'member', 'reader',
                                             'other_member']), label='persona')
        res = _send(app, op.method, path, query, raw, version_kind, version, persona)
        check(res, (op.method, path, query, raw and raw[:200], version, persona))
    run()


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) >= 38
    assert all(op.path != '/' or op.method == 'GET' for op in OPERATIONS)
