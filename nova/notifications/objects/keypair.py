"""Keypair payload and keypair.<action>.<phase> notifications."""

from nova.notifications.objects import base
from nova.objects import base as nova_base
from nova.objects import fields


@nova_base.NovaObjectRegistry.register_notification
class KeypairPayload(base.NotificationPayloadBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    SCHEMA = {
        'user_id': ('keypair', 'user_id'),
        'name': ('keypair', 'name'),
        'public_key': ('keypair', 'public_key'),
        'fingerprint': ('keypair', 'fingerprint'),
        'type': ('keypair', 'type'),
    }

    fields = {
        'user_id': fields.StringField(nullable=True),
        'name': fields.StringField(nullable=False),
        'fingerprint': fields.StringField(nullable=True),
        'public_key': fields.StringField(nullable=True),
        'type': fields.StringField(nullable=False),
    }

    def __init__(self, keypair):
        super().__init__()
        self.populate_schema(keypair=keypair)


@nova_base.NovaObjectRegistry.register_notification
class KeypairNotification(base.NotificationBase):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'payload': fields.ObjectField('KeypairPayload'),
    }
