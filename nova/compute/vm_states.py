"""Stable states of an instance (``instances.vm_state``), as upstream names them.

The values are defined once, by the ``VMState`` field type of the objects
layer; this module gives compute code the short ``vm_states.ACTIVE`` names.
Compute may import objects, never the other way round, so the definitions
live down there and are only named here.
"""

from nova.objects.fields import VMState as _VMState

ACTIVE = _VMState.ACTIVE
BUILDING = _VMState.BUILDING
PAUSED = _VMState.PAUSED
SUSPENDED = _VMState.SUSPENDED
STOPPED = _VMState.STOPPED
RESCUED = _VMState.RESCUED
RESIZED = _VMState.RESIZED
SOFT_DELETED = _VMState.SOFT_DELETED
DELETED = _VMState.DELETED
ERROR = _VMState.ERROR
SHELVED = _VMState.SHELVED
SHELVED_OFFLOADED = _VMState.SHELVED_OFFLOADED
