"""ServiceStatusPayload and the service.update notification (enable/disable/force-down)."""

from nova.notifications.objects import base
from nova.objects import base as nova_base
from nova.objects import fields


@nova_base.NovaObjectRegistry.register_notification
class ServiceStatusPayload(base.NotificationPayloadBase):
    # Version 1.0: initial version
    # Version 1.1: uuid
    VERSION = '1.1'

    SCHEMA = {
        'host': ('service', 'host'),
        'binary': ('service', 'binary'),
        'topic': ('service', 'topic'),
        'report_count': ('service', 'report_count'),
        'disabled': ('service', 'disabled'),
        'disabled_reason': ('service', 'disabled_reason'),
        'availability_zone': ('service', 'availability_zone'),
        'last_seen_up': ('service', 'last_seen_up'),
        'forced_down': ('service', 'forced_down'),
        'version': ('service', 'version'),
        'uuid': ('service', 'uuid'),
    }

    fields = {
        'host': fields.StringField(nullable=True),
        'binary': fields.StringField(nullable=True),
        'topic': fields.StringField(nullable=True),
        'report_count': fields.IntegerField(nullable=True),
        'disabled': fields.BooleanField(nullable=True),
        'disabled_reason': fields.StringField(nullable=True),
        'availability_zone': fields.StringField(nullable=True),
        'last_seen_up': fields.DateTimeField(nullable=True),
        'forced_down': fields.BooleanField(nullable=True),
        'version': fields.IntegerField(nullable=True),
        'uuid': fields.UUIDField(nullable=True),
    }

    def __init__(self, service):
        super().__init__()
        self.populate_schema(service=service)


@nova_base.NovaObjectRegistry.register_notification
class ServiceStatusNotification(base.NotificationBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'payload': fields.ObjectField('ServiceStatusPayload'),
    }
