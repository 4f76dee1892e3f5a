"""Objects used through conductor, as nova-compute uses them.

The indirection API here serialises every argument and result with
NovaObjectSerializer in both directions and runs the call in
ConductorManager, so objects, contexts and changes make the same round trip
they make over RPC (minus the bus itself).
"""

import pytest
from oslo_messaging import ExpectedException
from oslo_utils import uuidutils

from nova.conductor import manager as conductor_manager
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.objects import base


class SerializingIndirection(object):
    """An in-process stand-in for the conductor RPC API."""

    def __init__(self):
        self.serializer = base.NovaObjectSerializer()
        self.conductor = conductor_manager.ConductorManager()
        self.calls = []

    def _wire(self, context, value):
        """Serialise on the caller's side, deserialise on the other side."""
        return self.serializer.deserialize_entity(
            context, self.serializer.serialize_entity(context, value))

    def _remote_context(self, context):
        return nova_context.RequestContext.from_dict(context.to_dict())

    def _run(self, func, *args):
        # The conductor side has no indirection: it talks to the database itself.
        saved = base.NovaObject.indirection_api
        base.NovaObject.indirection_api = None
        try:
            return func(*args)
        except ExpectedException as wrapped:
            raise wrapped.exc_info[1]
        finally:
            base.NovaObject.indirection_api = saved

    def object_action(self, context, objinst, objmethod, args, kwargs):
        self.calls.append((objinst.obj_name(), objmethod))
        remote_ctxt = self._remote_context(context)
        remote_obj = self._wire(remote_ctxt, objinst)
        updates, result = self._run(self.conductor.object_action, remote_ctxt, remote_obj,
                                    objmethod, self._wire(remote_ctxt, args),
                                    self._wire(remote_ctxt, kwargs))
        return self._wire(context, updates), self._wire(context, result)

    def object_class_action_versions(self, context, objname, objmethod, object_versions,
                                     args, kwargs):
        self.calls.append((objname, objmethod))
        remote_ctxt = self._remote_context(context)
        result = self._run(self.conductor.object_class_action_versions, remote_ctxt,
                           objname, objmethod, object_versions,
                           self._wire(remote_ctxt, args), self._wire(remote_ctxt, kwargs))
        return self._wire(context, result)


@pytest.fixture
def indirection():
    fake = SerializingIndirection()
    base.NovaObject.indirection_api = fake
    yield fake
    base.NovaObject.indirection_api = None


def test_instance_save_through_conductor(ctxt, indirection):
    base.NovaObject.indirection_api = None
    flavor = objects.Flavor(ctxt, name='m1', flavorid='1', memory_mb=64, vcpus=1, root_gb=1,
                            ephemeral_gb=0, swap=0)
    flavor.create()
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id='p',
                            user_id='u', vm_state='building', task_state='spawning',
                            host='compute1', flavor=flavor, metadata={'a': '1'},
                            system_metadata={})
    inst.create()
    base.NovaObject.indirection_api = indirection

    # As nova-compute does: fetch, change state, save with an expected task state.
    remote = objects.Instance.get_by_uuid(ctxt, inst.uuid, expected_attrs=['flavor'])
    assert remote.flavor.name == 'm1'
    remote.vm_state = 'active'
    remote.task_state = None
    remote.power_state = 1
    remote.metadata['b'] = '2'
    remote.info_cache.network_info = [{'id': 'port-1'}]
    remote.save(expected_task_state=['spawning'])
    assert ('Instance', 'save') in indirection.calls
    assert not remote.obj_what_changed()
    assert remote.updated_at is not None

    base.NovaObject.indirection_api = None
    local = objects.Instance.get_by_uuid(ctxt, inst.uuid)
    assert (local.vm_state, local.task_state, local.power_state) == ('active', None, 1)
    assert local.metadata == {'a': '1', 'b': '2'}
    assert local.info_cache.network_info[0]['id'] == 'port-1'

    # A stale expectation fails remotely and the caller sees the real error.
    base.NovaObject.indirection_api = indirection
    remote.task_state = 'rebooting'
    with pytest.raises(exception.UnexpectedTaskStateError):
        remote.save(expected_task_state=['spawning'])


def test_action_events_through_conductor(ctxt, indirection):
    base.NovaObject.indirection_api = None
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id='p',
                            user_id='u')
    inst.create()
    objects.InstanceAction.action_start(ctxt, inst.uuid, 'create')
    base.NovaObject.indirection_api = indirection
    objects.InstanceActionEvent.event_start(ctxt, inst.uuid, 'compute_build_and_run')
    objects.InstanceActionEvent.event_finish(ctxt, inst.uuid, 'compute_build_and_run')
    action = objects.InstanceAction.get_by_request_id(ctxt, inst.uuid, ctxt.request_id)
    events = objects.InstanceActionEventList.get_by_action(ctxt, action.id)
    assert [(e.event, e.result) for e in events] == [('compute_build_and_run', 'Success')]
    fault = objects.InstanceFault(ctxt, instance_uuid=inst.uuid, code=500, message='x')
    fault.create()
    assert fault.id and ('InstanceFault', 'create') in indirection.calls
