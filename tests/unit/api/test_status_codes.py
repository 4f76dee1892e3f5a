"""Every served operation answers with a status code upstream's API reference lists for it.

tests/data/api_contract.json holds, per operation of the reference,
its success codes and its documented error codes (``tools/api_contract.py``
writes it from the API contract).  Each routed operation that the reference
documents is sent once as the administrator at the lowest and the highest
microversion it serves, with the smallest body its schema accepts, on the
seeded cloud: a success must be one of the documented success codes, and
a refusal one of the documented error codes (or 400, which bad input may
always get).
"""

import json
import pathlib

import pytest

from nova.api.openstack import introspect
from tests.unit.api.conftest import Client
from tests.unit.api import seeded
from tests.unit.api import test_policy_api_matrix as matrix
from tools import api_contract

TABLE = json.loads((pathlib.Path(__file__).resolve().parents[2] / 'data' /
                    'api_contract.json').read_text())
OPERATIONS = introspect.operations()

# Codes upstream answers that its reference leaves out, with why.
UNDOCUMENTED = {
    # none of the events names a server that exists: upstream's handler says 404
    'POST /os-server-external-events': {404},
    # removed with nova-network (Pike); their obsolete reference pages predate the 410
    'GET /os-cloudpipe': {410}, 'POST /os-cloudpipe': {410},
    'PUT /os-cloudpipe/configure-project': {410},
    'POST /os-certificates': {410}, 'GET /os-certificates/root': {410},
}


def _documented(op):
    return TABLE.get(api_contract.key(op.method, introspect._documented_path(op.path),
                                      op.action))


def _cases():
    return [pytest.param(op, id='%s %s%s' % (op.method, op.path,
                                             ' ' + op.action if op.action else ''))
            for op in OPERATIONS if _documented(op)]


@pytest.fixture
def cloud(paste_app, max_version, seeded_ids):
    token, headers = seeded.headers_for('admin')
    return seeded_ids, Client(paste_app, token), headers


@pytest.mark.parametrize('op', _cases())
def test_status_is_documented(op, cloud):
    ids, admin, headers = cloud
    documented = _documented(op)
    url = matrix._fill(op.path, ids)
    for version in sorted({op.min_version, op.max_version}):
        body = matrix._body(op, version)
        if op.method in ('POST', 'PUT') and body is None:
            continue
        res = admin.request(op.method, url, body, version=version, headers=headers)
        if seeded.environmental(res):
            continue
        if res.status_int < 400:
            if documented['normal']:  # the version document lists none
                assert res.status_int in documented['normal'], (
                    version, res.status, res.body[:300])
        else:
            allowed = set(documented['errors']) | {400} | UNDOCUMENTED.get(
                api_contract.key(op.method, op.path, op.action), set())
            assert res.status_int in allowed, (version, res.status, res.body[:300])


def test_most_served_operations_are_documented():
    """The join between the router and the reference works (a renamed path would
    silently drop out of the sweep above)."""
    documented = [op for op in OPERATIONS if _documented(op)]
    assert len(documented) >= 0.9 * len(OPERATIONS), sorted(
        '%s %s %s' % (op.method, op.path, op.action or '')
        for op in OPERATIONS if not _documented(op))


@pytest.mark.skipif(not api_contract.CONTRACT.exists(),
                    reason='the API contract is not beside this checkout')
def test_table_follows_the_contract():
    assert TABLE == api_contract.codes(json.loads(api_contract.CONTRACT.read_text())), (
        'regenerate with: .venv/bin/python -m tools.api_contract')
