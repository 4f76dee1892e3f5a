"""Conductor: the database gateway for services that may not open the DB.

Object methods marked remotable, called in nova-compute, arrive here and run
against the database; results (and changed objects) go back to the caller.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

import nova.conf
from nova.conductor import build_sweep
from nova.conductor.compute_task import ComputeTaskManager
from nova import manager
from nova.objects import base as nova_object

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class ConductorManager(manager.Manager):
    """Base conductor endpoint: object indirection."""

    target = messaging.Target(version='3.0')

    def __init__(self, *args, **kwargs):
        super().__init__(service_name='conductor', *args, **kwargs)
        self.compute_task_mgr = ComputeTaskManager()
        self.additional_endpoints = [self.compute_task_mgr]
        if CONF.instance_build_timeout:
            self.set_periodic_spacing('_end_lost_builds',
                                      max(1, min(60, CONF.instance_build_timeout // 3)))

    @manager.periodic_task_decorator(spacing=60)
    def _end_lost_builds(self, context):
        """``[DEFAULT] instance_build_timeout`` for builds no compute host has."""
        timeout = CONF.instance_build_timeout
        if not timeout:
            return
        build_sweep.end_lost_build_requests(context, self.compute_task_mgr, timeout)
        build_sweep.end_unclaimed_instances(context, self.compute_task_mgr.reportclient,
                                            timeout)

    def ping(self, context, arg):
        return {'service': 'conductor', 'arg': arg}

    def _object_dispatch(self, target, method, args, kwargs):
        """Call ``method`` on ``target``; let expected errors travel back as themselves."""
        try:
            return getattr(target, method)(*args, **kwargs)
        except Exception:
            raise messaging.ExpectedException()

    def object_class_action_versions(self, context, objname, objmethod, object_versions,
                                     args, kwargs):
        objclass = nova_object.NovaObject.obj_class_from_name(
            objname, object_versions[objname])
        # The caller's context travels as the message context, not in args.
        result = self._object_dispatch(objclass, objmethod, (context,) + tuple(args), kwargs)
        # Send back what the caller understands: it told us its versions.
        if isinstance(result, nova_object.NovaObject):
            result = result.obj_to_primitive(target_version=object_versions[objname],
                                             version_manifest=object_versions)
        return result

    def object_action(self, context, objinst, objmethod, args, kwargs):
        """Run an instance method remotely; return (changed fields, result)."""
        oldobj = objinst.obj_clone()
        result = self._object_dispatch(objinst, objmethod, args, kwargs)
        updates = {}
        for name, field in objinst.fields.items():
            if not objinst.obj_attr_is_set(name):
                continue
            if (not oldobj.obj_attr_is_set(name) or
                    getattr(oldobj, name) != getattr(objinst, name)):
                updates[name] = field.to_primitive(objinst, name, getattr(objinst, name))
        updates['obj_what_changed'] = objinst.obj_what_changed()
        return updates, result

    def object_backport_versions(self, context, objinst, object_versions):
        target = object_versions[objinst.obj_name()]
        LOG.debug('Backporting %(obj)s to %(ver)s with versions %(manifest)s',
                  {'obj': objinst.obj_name(), 'ver': target, 'manifest': object_versions})
        return objinst.obj_to_primitive(target_version=target,
                                        version_manifest=object_versions)
