"""Fixtures for every unit test: the in-process RPC transport, the per-test
SQLite databases of the object tests (``dbs``, ``ctxt``), a ``state_path``
outside the checkout, and notifications captured in memory (``notifications``:
oslo.messaging's 'test' notify driver keeps what is sent in the exact form a
messagingv2 listener receives; the functional tests use the real RabbitMQ)."""

import pytest
from oslo_messaging.notify import _impl_test

import nova.conf
from nova import rpc
from tests.unit.objects.conftest import _template_dbs, ctxt, dbs  # noqa: F401

CONF = nova.conf.CONF


@pytest.fixture(scope='session')
def _state_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp('state_path'))


@pytest.fixture(autouse=True)
def _state_path_outside_the_checkout(_state_dir):
    """``[DEFAULT] state_path`` defaults to the source tree; what drivers write there
    (the node's ``compute_id``, instance directories) goes to a temporary one instead,
    so the unit tier leaves nothing behind.  A default, not an override: a test's own
    override and its clear_override still work.  Set again for every test because
    parsing a configuration (``CONF([])``, as session fixtures do) drops defaults."""
    CONF.set_default('state_path', _state_dir)


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


@pytest.fixture
def pin():
    """``pin(service, version)``: an [upgrade_levels] pin for the test."""
    pinned = []

    def _pin(service, value):
        CONF.set_override(service, value, group='upgrade_levels')
        pinned.append(service)
    yield _pin
    for service in pinned:
        CONF.clear_override(service, group='upgrade_levels')


@pytest.fixture
def two_cells(dbs, _template_dbs, tmp_path):  # noqa: F811
    """cell0 (a fresh copy of the migrated cell schema) and cell1 (the per-test
    main database), both mapped; yields ``(cell0, cell1)``."""
    import shutil

    from oslo_utils import uuidutils

    from nova import context as nova_context
    from nova import objects
    cell0_path = tmp_path / 'cell0.sqlite'
    shutil.copy(_template_dbs[1], cell0_path)
    admin = nova_context.get_admin_context()
    nova_context.reset_cell_cache()
    cell0 = objects.CellMapping(admin, uuid=objects.CellMapping.CELL0_UUID, name='cell0',
                                transport_url='none:///',
                                database_connection='sqlite:///%s' % cell0_path)
    cell0.create()
    cell1 = objects.CellMapping(admin, uuid=uuidutils.generate_uuid(), name='cell1',
                                transport_url='none:///',
                                database_connection='sqlite:///%s' % dbs[1])
    cell1.create()
    yield cell0, cell1
    nova_context.reset_cell_cache()


@pytest.fixture
def notifications():
    """Versioned notifications on, captured in memory; yields a function returning
    the messages sent so far (dicts with event_type, priority, publisher_id, payload)."""
    rpc.register_opts(CONF)
    CONF.set_override('transport_url', 'fake:/')
    CONF.set_override('notification_format', 'versioned', group='notifications')
    rpc.cleanup()
    rpc.init(CONF)
    # [oslo_messaging_notifications] exists once a notification transport was
    # built; the notifiers read it when created, so initialise again after it.
    CONF.set_override('driver', ['test'], group='oslo_messaging_notifications')
    rpc.cleanup()
    rpc.init(CONF)
    _impl_test.reset()
    yield lambda: [message for _ctxt, message, _priority, _retry in _impl_test.NOTIFICATIONS]
    _impl_test.reset()
    rpc.cleanup()
    CONF.clear_override('transport_url')
    CONF.clear_override('driver', group='oslo_messaging_notifications')
    CONF.clear_override('notification_format', group='notifications')
