"""The notification envelope: who sent what event, at which priority, with which payload.

On the wire a versioned notification is an oslo.messaging notification whose
``event_type`` is ``<object>.<action>[.<phase>]``, whose ``publisher_id`` is
``<source>:<host>`` and whose payload is the payload object's primitive
(``nova_object.name/namespace/version/data``).
"""

from oslo_log import log as logging

from nova.objects import base
from nova.objects import fields
from nova import rpc

LOG = logging.getLogger(__name__)

PRIORITIES = ('audit', 'critical', 'debug', 'info', 'error', 'sample', 'warn')
PHASES = ('start', 'end', 'error', 'progress')


class NotificationObject(base.NovaObject):
    """Base of every envelope and payload: no remotable methods, never persisted."""

    def to_primitive(self):
        """The wire form; change tracking means nothing to a listener, so it is left out."""
        self.obj_reset_changes(recursive=True)
        return self.obj_to_primitive()


@base.NovaObjectRegistry.register_notification
class EventType(NotificationObject):
    # Version 1.0: initial version (object, action, phase)
    VERSION = '1.0'

    fields = {
        'object': fields.StringField(nullable=False),
        'action': fields.StringField(nullable=False),
        'phase': fields.StringField(nullable=True),
    }

    def __init__(self, object, action, phase=None):
        super().__init__()
        if phase is not None and phase not in PHASES:
            raise ValueError('unknown notification phase %r' % phase)
        self.object = object
        self.action = action
        self.phase = phase

    def to_notification_event_type_field(self):
        parts = [self.object, self.action]
        if self.phase:
            parts.append(self.phase)
        return '.'.join(parts)


@base.NovaObjectRegistry.register_notification
class NotificationPublisher(NotificationObject):
    # Version 2.0: host and source ('nova-compute', 'nova-api', ...)
    VERSION = '2.0'

    fields = {
        'host': fields.StringField(nullable=False),
        'source': fields.StringField(nullable=False),
    }

    def __init__(self, host, source):
        super().__init__()
        self.host = host
        self.source = source

    @classmethod
    def from_service_obj(cls, service):
        return cls(host=service.host, source=service.binary)

    @property
    def publisher_id(self):
        return '%s:%s' % (self.source, self.host)


class NotificationPayloadBase(NotificationObject):
    """A payload; ``SCHEMA`` maps payload fields to (source name, attribute) pairs."""

    SCHEMA = {}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def populate_schema(self, **sources):
        """Copy the fields listed in SCHEMA from the named source objects."""
        for field, (source_name, attr) in self.SCHEMA.items():
            source = sources[source_name]
            if isinstance(source, dict):
                value = source.get(attr)
            elif hasattr(source, 'obj_attr_is_set') and attr in getattr(
                    source, 'fields', {}) and not source.obj_attr_is_set(attr):
                # Unset on the source: never lazy-load here (a compute host has no
                # database); callers load what they need before building a payload.
                value = None
            else:
                value = getattr(source, attr, None)
            if value is None and not self.fields[field].nullable:
                continue  # left unset; the payload fills in its own default
            setattr(self, field, value)


class NotificationBase(NotificationObject):
    """An envelope: priority, publisher, event type and payload; ``emit`` sends it."""

    fields = {
        'priority': fields.StringField(),
        'event_type': fields.ObjectField('EventType'),
        'publisher': fields.ObjectField('NotificationPublisher'),
    }

    def emit(self, context):
        """Send through the versioned notifier (a no-op when the format is 'unversioned')."""
        if not rpc.versioned_notifications_enabled():
            return
        if self.priority not in PRIORITIES:
            raise ValueError('unknown notification priority %r' % self.priority)
        notifier = rpc.get_versioned_notifier(self.publisher.publisher_id)
        send = getattr(notifier, self.priority)
        send(context, event_type=self.event_type.to_notification_event_type_field(),
             payload=self.payload.to_primitive())

