"""Selections: one host the scheduler picked for a server, with what it claimed.

Conductor receives a list of these per server: the first is the host whose
allocation is already written in Placement, the rest are alternates it may
claim (with their own allocation requests) if the build on the first fails.
"""

from oslo_serialization import jsonutils

import nova.conf
from nova import objects
from nova.objects import base
from nova.objects import fields

CONF = nova.conf.CONF


@base.NovaObjectRegistry.register
class Selection(base.NovaObject, base.NovaObjectDictCompat):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'compute_node_uuid': fields.UUIDField(),
        'service_host': fields.StringField(),
        'nodename': fields.StringField(),
        'cell_uuid': fields.UUIDField(),
        'limits': fields.ObjectField('SchedulerLimits', nullable=True),
        # The JSON text of the Placement allocation request for this host.
        'allocation_request': fields.SensitiveStringField(nullable=True),
        'allocation_request_version': fields.StringField(nullable=True),
        'availability_zone': fields.StringField(nullable=True),
    }

    @classmethod
    def from_host_state(cls, host_state, allocation_request=None,
                        allocation_request_version=None):
        """A selection for ``host_state`` (a scheduler HostState)."""
        limits = objects.SchedulerLimits.from_dict(getattr(host_state, 'limits', None) or {})
        zone = _host_availability_zone(host_state)
        return cls(compute_node_uuid=host_state.uuid, service_host=host_state.host,
                   nodename=host_state.nodename, cell_uuid=host_state.cell_uuid,
                   limits=limits, allocation_request=jsonutils.dumps(allocation_request),
                   allocation_request_version=allocation_request_version,
                   availability_zone=zone)

    def to_dict(self):
        """The legacy host dict older conductors expect from select_destinations."""
        limits = self.limits.to_dict() if self.limits is not None else {}
        return {'host': self.service_host, 'nodename': self.nodename, 'limits': limits}


def _host_availability_zone(host_state):
    zones = {agg.metadata['availability_zone']
             for agg in (getattr(host_state, 'aggregates', None) or [])
             if agg.metadata.get('availability_zone')}
    # A host belongs to one zone at most; aggregates API keeps it that way.
    return sorted(zones)[0] if zones else CONF.default_availability_zone
