"""RPC and notification plumbing over oslo.messaging.

One transport per process (plus one per cell that has its own transport_url).
Every client and server uses the same serializer so request contexts and
versioned objects cross the wire the same way everywhere.
"""

import functools
import threading

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_messaging.rpc import dispatcher
from oslo_serialization import jsonutils

import nova.conf
import nova.context
from nova.objects import base as objects_base

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

TRANSPORT = None
NOTIFICATION_TRANSPORT = None
LEGACY_NOTIFIER = None
NOTIFIER = None

ALLOWED_EXMODS = ['nova.exception']
_NOTIFIER_LOCK = threading.Lock()


def register_opts(conf):
    """Register transport_url & co. now, so they are readable before a transport exists.

    oslo.messaging registers these lazily when the first transport is built;
    nova-manage and the cell mappings read transport_url without one. The
    library offers no public accessor for the option objects themselves.
    """
    from oslo_messaging import transport as messaging_transport
    conf.register_opts(messaging_transport._transport_opts)


def set_defaults(control_exchange):
    register_opts(CONF)
    messaging.set_transport_defaults(control_exchange)


def _wait_out_vhost_refusals():
    """Retry a refused vhost the way an unreachable broker is retried.

    RabbitMQ refuses a connection with NOT_ALLOWED while the vhost is
    missing or the user has no permissions on it (a broker restarting
    before its definitions are loaded, an operator redoing permissions).
    kombu counts that refusal as irrecoverable, so oslo.messaging's
    consumers retry at once in a loop, logging a traceback per attempt
    (megabytes a minute per daemon), and every cast fails at once. Counted
    with the recoverable errors, a refusal is retried after
    ``rabbit_retry_interval``, backing off up to ``rabbit_interval_max``, with
    one line per attempt, like a broker that is down.
    """
    try:
        from amqp import exceptions as amqp_exc
        from kombu.transport import pyamqp
    except ImportError:  # another driver; nothing to adjust
        return
    recoverable = tuple(pyamqp.Transport.recoverable_connection_errors)
    if amqp_exc.NotAllowed not in recoverable:
        pyamqp.Transport.recoverable_connection_errors = recoverable + (amqp_exc.NotAllowed,)


def init(conf):
    """Create the process-wide transports. Idempotent.

    The versioned notifier is built on first use (get_versioned_notifier), so
    processes that never notify never open a notification connection for it.
    """
    global TRANSPORT, NOTIFICATION_TRANSPORT, LEGACY_NOTIFIER
    if TRANSPORT is not None:
        return
    _wait_out_vhost_refusals()
    exmods = get_allowed_exmods()
    TRANSPORT = create_transport(get_transport_url(), conf=conf, exmods=exmods)
    NOTIFICATION_TRANSPORT = messaging.get_notification_transport(
        conf, allowed_remote_exmods=exmods)
    # Drivers come from [oslo_messaging_notifications] driver; whether legacy
    # notifications are wanted is decided per call (notification_format).
    LEGACY_NOTIFIER = messaging.Notifier(
        NOTIFICATION_TRANSPORT, serializer=RequestContextSerializer(JsonPayloadSerializer()))


def cleanup():
    global TRANSPORT, NOTIFICATION_TRANSPORT, LEGACY_NOTIFIER, NOTIFIER
    for transport in (TRANSPORT, NOTIFICATION_TRANSPORT):
        if transport is not None:
            transport.cleanup()
    TRANSPORT = NOTIFICATION_TRANSPORT = LEGACY_NOTIFIER = NOTIFIER = None


def initialized():
    return TRANSPORT is not None


def get_allowed_exmods():
    return list(ALLOWED_EXMODS)


def get_transport_url(url_str=None):
    return messaging.TransportURL.parse(CONF, url_str)


def create_transport(url, conf=None, exmods=None):
    if not isinstance(url, messaging.TransportURL):
        url = get_transport_url(url)
    return messaging.get_rpc_transport(conf or CONF, url=url,
                                       allowed_remote_exmods=exmods or get_allowed_exmods())


class JsonPayloadSerializer(messaging.NoOpSerializer):
    @staticmethod
    def serialize_entity(context, entity):
        return jsonutils.to_primitive(entity, convert_instances=True)


class RequestContextSerializer(messaging.Serializer):
    """Carries the caller's RequestContext (and so its request id) with each message."""

    def __init__(self, base=None):
        self._base = base

    def serialize_entity(self, context, entity):
        return self._base.serialize_entity(context, entity) if self._base else entity

    def deserialize_entity(self, context, entity):
        return self._base.deserialize_entity(context, entity) if self._base else entity

    def serialize_context(self, context):
        return context.to_dict()

    def deserialize_context(self, context):
        return nova.context.RequestContext.from_dict(context)


def _object_serializer():
    return RequestContextSerializer(objects_base.NovaObjectSerializer())


def get_client(target, version_cap=None, serializer=None, call_monitor_timeout=None):
    if TRANSPORT is None:
        raise RuntimeError("RPC is not initialised: call nova.rpc.init() first")
    return messaging.get_rpc_client(
        TRANSPORT, target, version_cap=version_cap,
        serializer=serializer or _object_serializer(),
        call_monitor_timeout=call_monitor_timeout)


def get_cell_client(context, default_client):
    """The client to use for ``context``: its cell's transport if targeted."""
    if context.mq_connection:
        return messaging.get_rpc_client(
            context.mq_connection, default_client.target,
            version_cap=default_client.version_cap,
            serializer=default_client.serializer)
    return default_client


def get_server(target, endpoints, serializer=None):
    if TRANSPORT is None:
        raise RuntimeError("RPC is not initialised: call nova.rpc.init() first")
    access_policy = dispatcher.DefaultRPCAccessPolicy
    # No executor argument: oslo.messaging picks native threads unless
    # eventlet has patched the process, which this project never does.
    return messaging.get_rpc_server(TRANSPORT, target, endpoints,
                                    serializer=serializer or _object_serializer(),
                                    access_policy=access_policy)


def get_notifier(service, host=None):
    """The legacy (unversioned) notifier, publisher ``<service>.<host>``."""
    if not legacy_notifications_enabled():
        return _NOOP_NOTIFIER
    return LEGACY_NOTIFIER.prepare(publisher_id='%s.%s' % (service, host or CONF.host))


def legacy_notifications_enabled():
    """True when legacy notifications are asked for and have a driver to go to
    (so the default configuration builds no payloads at all)."""
    if LEGACY_NOTIFIER is None or CONF.notifications.notification_format == 'versioned':
        return False
    drivers = CONF.oslo_messaging_notifications.driver
    return bool(drivers) and list(drivers) != ['noop']


def versioned_notifications_enabled():
    """True when [notifications] notification_format asks for versioned notifications."""
    return (NOTIFICATION_TRANSPORT is not None
            and CONF.notifications.notification_format != 'unversioned')


def get_versioned_notifier(publisher_id):
    """The versioned notifier (topics from [notifications] versioned_notifications_topics).

    Created on first use; with notification_format 'unversioned' (upstream's
    default) or before ``init`` it is a notifier that sends nothing.
    """
    global NOTIFIER
    if not versioned_notifications_enabled():
        return _NOOP_NOTIFIER
    with _NOTIFIER_LOCK:
        if NOTIFIER is None:
            NOTIFIER = messaging.Notifier(
                NOTIFICATION_TRANSPORT,
                serializer=RequestContextSerializer(JsonPayloadSerializer()),
                topics=CONF.notifications.versioned_notifications_topics)
    return NOTIFIER.prepare(publisher_id=publisher_id)


class _NoopNotifier(object):
    """Accepts every notifier call and sends nothing."""

    def prepare(self, **kwargs):
        return self

    def __getattr__(self, priority):
        return lambda *args, **kwargs: None


_NOOP_NOTIFIER = _NoopNotifier()


def if_notifications_enabled(func):
    """Skip a notification helper when versioned notifications are off."""
    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        if not versioned_notifications_enabled():
            return None
        return func(*args, **kwargs)
    return wrapped


def resolve_version_cap(service_name, aliases, auto=None):
    """The RPC version cap for a client from ``[upgrade_levels] <service_name>``.

    The setting may be a version ('6.0'), a release alias listed in ``aliases``,
    'auto' (ask ``auto()`` for the version the oldest peer speaks), or unset.
    """
    level = getattr(CONF.upgrade_levels, service_name, None)
    if not level:
        return None
    if level == 'auto':
        if auto is None:
            return None
        return auto()
    return aliases.get(level, level)
