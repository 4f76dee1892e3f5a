"""An in-process stand-in for the conductor RPC API, for objects used as nova-compute
uses them.

Every argument and result is serialised with NovaObjectSerializer in both
directions and the call runs in ConductorManager, so objects, contexts and changes
make the same round trip they make over RPC (minus the bus itself).
"""

from oslo_messaging import ExpectedException

from nova.conductor import manager as conductor_manager
from nova import context as nova_context
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
