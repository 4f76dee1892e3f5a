"""The cloud the tests of deprecated and removed routes share: seeded servers,
services and a mapped host; requests as a persona; upstream's fault body."""

import pytest

from tests.unit.api.conftest import Client
from tests.unit.api import seeded
from tests.unit.api import test_sample_shapes_legacy as legacy


@pytest.fixture
def cloud(paste_app, cell1, seeded_ids):
    legacy.add_services(cell1)
    legacy.map_host(cell1)
    return Client(paste_app), seeded_ids


def _as(client, persona, method, path, body=None, version=None):
    token, headers = seeded.headers_for(persona)
    return client.request(method, path, body=body, version=version, token=token,
                          headers=headers)


def _fault(res, code):
    assert res.status_int == code, (res.status_int, res.body)
    (fault,) = res.json_body_or_none.values()
    assert fault['code'] == code
    return res.json_body_or_none
