"""Conductor's part of a rebuild (RPC namespace ``compute_task``, 1.1).

With a new image, the scheduler first checks it against the server's own
host (``_nova_check_type: rebuild``: filters only, no new Placement claim,
the server stays where it is). A host that does not take the image ends the
rebuild: the server goes to ERROR with a fault and keeps its old image
reference, as upstream. Then the host rebuilds the guest.
"""

from oslo_log import log as logging

import nova.conf
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import exception

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

REBUILD_EVENT = 'conductor_rebuild_server'


def _check_spec(request_spec, instance):
    """The spec narrowed to the server's host and marked as a rebuild check."""
    spec = request_spec.obj_clone()
    hints = dict(spec.scheduler_hints or {})
    hints['_nova_check_type'] = ['rebuild']
    spec.scheduler_hints = hints
    spec.force_hosts = [instance.host]
    spec.force_nodes = [instance.node] if instance.node else None
    spec.ignore_hosts = None
    spec.requested_destination = None
    spec.num_instances = 1
    spec.ensure_project_and_user_id(instance)
    return spec


class RebuildTaskMixin(object):
    """``rebuild_instance`` for ComputeTaskManager."""

    def rebuild_instance(self, context, instance, orig_image_ref, image_ref, injected_files,
                         new_pass, preserve_ephemeral=False, host=None, request_spec=None):
        if request_spec is not None and image_ref != orig_image_ref:
            try:
                with compute_utils.event_reporter(context, REBUILD_EVENT, CONF.host,
                                                  instance.uuid):
                    self.scheduler_rpcapi.select_destinations(
                        context, _check_spec(request_spec, instance), [instance.uuid],
                        return_objects=True, return_alternates=False)
            except exception.NoValidHost as exc:
                self._fail_rebuild_check(context, instance, orig_image_ref, exc)
                return
            try:
                request_spec.save()  # later moves schedule with the new image
            except Exception as exc:
                LOG.warning('Could not record the new image in the request spec of %s: %s',
                            instance.uuid, exc)
        compute_utils.notify_about_instance_action(
            context, instance, CONF.host, action='rebuild_scheduled',
            source='nova-conductor')
        self.compute_rpcapi.rebuild_instance(
            context, instance, new_pass=new_pass, injected_files=injected_files,
            image_ref=image_ref, orig_image_ref=orig_image_ref,
            preserve_ephemeral=preserve_ephemeral, host=instance.host)

    @staticmethod
    def _fail_rebuild_check(context, instance, orig_image_ref, exc):
        LOG.warning('Rebuild of %s refused by the scheduler: %s', instance.uuid,
                    exc.format_message())
        instance.image_ref = orig_image_ref
        instance.vm_state = vm_states.ERROR
        instance.task_state = None
        try:
            instance.save()
            compute_utils.add_instance_fault_from_exc(context, instance, exc)
        except exception.InstanceNotFound:
            return
        compute_utils.notify_about_instance_action(
            context, instance, CONF.host, action='rebuild_scheduled', phase='error',
            source='nova-conductor', exception=exc)
