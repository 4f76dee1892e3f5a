"""FlavorPayload: the flavor embedded in instance payloads."""

from nova.notifications.objects import base
from nova.objects import base as nova_base
from nova.objects import fields


@nova_base.NovaObjectRegistry.register_notification
class FlavorPayload(base.NotificationPayloadBase):
    # Version 1.0: initial version
    # Version 1.1: extra_specs and projects added
    # Version 1.2: flavorid, name, vcpus, memory_mb & co as plain fields
    # Version 1.3: projects nullable (only sent when loaded)
    # Version 1.4: description added
    VERSION = '1.4'

    SCHEMA = {
        'flavorid': ('flavor', 'flavorid'),
        'memory_mb': ('flavor', 'memory_mb'),
        'vcpus': ('flavor', 'vcpus'),
        'root_gb': ('flavor', 'root_gb'),
        'ephemeral_gb': ('flavor', 'ephemeral_gb'),
        'name': ('flavor', 'name'),
        'swap': ('flavor', 'swap'),
        'rxtx_factor': ('flavor', 'rxtx_factor'),
        'vcpu_weight': ('flavor', 'vcpu_weight'),
        'disabled': ('flavor', 'disabled'),
        'is_public': ('flavor', 'is_public'),
        'extra_specs': ('flavor', 'extra_specs'),
        'description': ('flavor', 'description'),
    }

    fields = {
        'flavorid': fields.StringField(nullable=True),
        'memory_mb': fields.IntegerField(nullable=True),
        'vcpus': fields.IntegerField(nullable=True),
        'root_gb': fields.IntegerField(nullable=True),
        'ephemeral_gb': fields.IntegerField(nullable=True),
        'name': fields.StringField(nullable=True),
        'swap': fields.IntegerField(),
        'rxtx_factor': fields.FloatField(nullable=True),
        'vcpu_weight': fields.IntegerField(nullable=True),
        'disabled': fields.BooleanField(),
        'is_public': fields.BooleanField(),
        'extra_specs': fields.DictOfStringsField(),
        'projects': fields.ListOfStringsField(nullable=True),
        'description': fields.StringField(nullable=True),
    }

    def __init__(self, flavor):
        super().__init__()
        self.populate_schema(flavor=flavor)
        if not self.obj_attr_is_set('extra_specs'):
            self.extra_specs = {}
        if self.vcpu_weight is None:
            self.vcpu_weight = 0
        # Projects are only listed for private flavors whose access list is loaded.
        projects = None
        if 'projects' in getattr(flavor, 'fields', {}) and flavor.obj_attr_is_set('projects'):
            projects = list(flavor.projects)
        self.projects = projects
