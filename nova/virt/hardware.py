"""Small value types drivers hand back to the compute manager."""


class InstanceInfo(object):
    """What a driver knows of one guest right now.

    ``state`` is a nova.compute.power_state value; ``internal_id`` is the
    hypervisor's own handle (a libvirt domain id, say), informational only.
    Item access (``info['state']``) is kept for callers written against dicts.
    """

    def __init__(self, state, internal_id=None):
        self.state = state
        self.internal_id = internal_id

    def __getitem__(self, key):
        return getattr(self, key)

    def __eq__(self, other):
        return (isinstance(other, InstanceInfo) and self.state == other.state and
                self.internal_id == other.internal_id)

    def __repr__(self):
        return 'InstanceInfo(state=%r, internal_id=%r)' % (self.state, self.internal_id)
