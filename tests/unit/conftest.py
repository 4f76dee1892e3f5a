"""Fixtures for every unit test: the in-process RPC transport, and the per-test
SQLite databases of the object tests (``dbs``, ``ctxt``)."""

import pytest

import nova.conf
from nova import rpc
from tests.unit.objects.conftest import _template_dbs, ctxt, dbs  # noqa: F401

CONF = nova.conf.CONF


@pytest.fixture
def fake_rpc():
    """oslo.messaging's in-process fake driver: what cannot cross processes, but
    exercises the same client/server/serializer code as RabbitMQ does."""
    rpc.register_opts(CONF)
    CONF.set_override('transport_url', 'fake:/')
    rpc.cleanup()
    rpc.init(CONF)
    yield
    rpc.cleanup()
    CONF.clear_override('transport_url')
