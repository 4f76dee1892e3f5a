"""Allocations of deleted instances on this node are freed; others are left alone."""

from nova.compute import allocation_audit
from nova.compute import vm_states
from nova import objects

NODE = 'a1b2c3d4-0000-4000-8000-000000000001'
LIVE = 'a1b2c3d4-0000-4000-8000-0000000000a1'
GONE = 'a1b2c3d4-0000-4000-8000-0000000000a2'
UNKNOWN = 'a1b2c3d4-0000-4000-8000-0000000000a3'
TRACKED = 'a1b2c3d4-0000-4000-8000-0000000000a4'


class _Placement(object):
    """What the audit asks of Placement: the node's consumers, and frees."""

    def __init__(self, consumers):
        self.consumers = consumers
        self.freed = []

    def get_allocations_for_resource_provider(self, context, rp_uuid):
        assert rp_uuid == NODE
        return {c: {'resources': {'VCPU': 1}} for c in self.consumers}

    def delete_allocation_for_instance(self, context, uuid, consumer_type='instance'):
        self.freed.append(uuid)
        return True


def _instance(ctxt, uuid):
    instance = objects.Instance(ctxt, uuid=uuid, project_id='p', user_id='u',
                                vm_state=vm_states.ACTIVE, host='host1')
    instance.create()
    return instance


def test_only_deleted_instances_lose_their_allocations(ctxt):
    objects.register_all()
    _instance(ctxt, LIVE)
    _instance(ctxt, GONE).destroy()
    placement = _Placement([LIVE, GONE, UNKNOWN, TRACKED])
    freed = allocation_audit.free_allocations_of_deleted_instances(
        ctxt, placement, NODE, {TRACKED})
    # UNKNOWN has no instance at all: most likely a server still being scheduled.
    assert freed == [GONE] and placement.freed == [GONE]


def test_placement_that_cannot_answer_frees_nothing(ctxt):
    class _Down(_Placement):
        def get_allocations_for_resource_provider(self, context, rp_uuid):
            raise RuntimeError('placement down')
    placement = _Down([])
    assert allocation_audit.free_allocations_of_deleted_instances(
        ctxt, placement, NODE, set()) == []
