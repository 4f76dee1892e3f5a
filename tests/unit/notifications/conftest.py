"""Notification tests: per-test SQLite databases and oslo.messaging's 'test' notify driver.

The 'test' driver keeps sent notifications in memory, in the exact form a
messagingv2 listener would receive (serialised payload, publisher, event type);
the functional tests use the real RabbitMQ.
"""

import pytest
from oslo_messaging.notify import _impl_test

import nova.conf
from nova import rpc
from tests.unit.objects.conftest import _template_dbs, ctxt, dbs  # noqa: F401

CONF = nova.conf.CONF


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
