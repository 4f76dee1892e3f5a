"""An event another service (Neutron, Cinder, Ironic, Cyborg) reports about a server."""

from nova.objects import base
from nova.objects import fields

# Names accepted from the API, with the microversion that introduced each.
EVENT_NAMES = [
    'network-changed',
    'network-vif-plugged',
    'network-vif-unplugged',
    'network-vif-deleted',
    'volume-extended',             # 2.51
    'power-update',                # 2.76
    'accelerator-request-bound',   # 2.82
    'volume-reimaged',             # 2.93
]
EVENT_STATUSES = ['failed', 'completed', 'in-progress']

#: Tags of a ``power-update`` event: the power state the hypervisor now reports.
POWER_ON = 'POWER_ON'
POWER_OFF = 'POWER_OFF'


@base.NovaObjectRegistry.register
class InstanceExternalEvent(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'instance_uuid': fields.UUIDField(),
        'name': fields.EnumField(valid_values=EVENT_NAMES),
        'status': fields.EnumField(valid_values=EVENT_STATUSES),
        'tag': fields.StringField(nullable=True),
        'data': fields.DictOfStringsField(),
    }

    @staticmethod
    def make_key(name, tag=None):
        """``name`` or ``name-tag``: how waiters recognise the event they wait for."""
        return '%s-%s' % (name, tag) if tag is not None else name

    @property
    def key(self):
        return self.make_key(self.name, self.tag if 'tag' in self else None)
