"""Conductor's part of an unshelve (RPC namespace ``compute_task``, 1.1).

A SHELVED server still has its guest: its host just starts it again. A
SHELVED_OFFLOADED one is scheduled like a new server (a new allocation in
Placement, within the request's availability zone (2.77) or on the
requested host (2.91)) and its new host spawns it from the shelved image.
No host found: the server stays SHELVED_OFFLOADED with a fault; the shelved
image gone: ERROR, as upstream.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

import nova.conf
from nova.compute import shelved
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import exception
from nova.image import glance
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

UNSHELVE_EVENT = 'conductor_unshelve_instance'


def _schedule_spec(context, instance, request_spec):
    spec = request_spec or objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
    # The server's flavor now: a resize since the boot changed it, not the spec.
    spec.flavor = instance.get_flavor()
    spec.reset_forced_destinations()
    spec.ignore_hosts = None
    spec.num_instances = 1
    spec.ensure_project_and_user_id(instance)
    return spec


class UnshelveTaskMixin(object):
    """``unshelve_instance`` for ComputeTaskManager."""

    _image_api = None

    @property
    def image_api(self):
        if self._image_api is None:
            self._image_api = glance.API()
        return self._image_api

    def unshelve_instance(self, context, instance, request_spec=None):
        if instance.vm_state == vm_states.SHELVED:
            self._start_shelved(context, instance)
            return
        image_id = instance.system_metadata.get('shelved_image_id')
        try:
            with compute_utils.event_reporter(context, UNSHELVE_EVENT, CONF.host,
                                              instance.uuid):
                if not image_id:
                    raise exception.ShelvedImageNotFound(image_id=None)
                try:
                    self.image_api.get(context, image_id)
                except exception.ImageNotFound:
                    raise exception.ShelvedImageNotFound(image_id=image_id)
                spec = _schedule_spec(context, instance, request_spec)
                selection = self.scheduler_rpcapi.select_destinations(
                    context, spec, [instance.uuid], return_objects=True,
                    return_alternates=False)[0][0]
        except exception.ShelvedImageNotFound as exc:
            self._end_unshelve(context, instance, exc, vm_states.ERROR)
            return
        except Exception as exc:
            if not isinstance(exc, exception.NoValidHost):
                LOG.exception('Scheduling the unshelve of %s failed', instance.uuid)
            if isinstance(exc, messaging.MessagingTimeout):
                # The scheduler may have claimed a host after all; an offloaded
                # server holds no allocation.
                self.reportclient.delete_allocation_for_instance(context, instance.uuid)
            self._end_unshelve(context, instance, exc, vm_states.SHELVED_OFFLOADED)
            return
        try:
            if selection.obj_attr_is_set('availability_zone') and selection.availability_zone:
                instance.availability_zone = selection.availability_zone
                instance.save()
            self.compute_rpcapi.unshelve_instance(
                context, instance, selection.service_host, request_spec=spec,
                node=selection.nodename)
        except Exception as exc:
            LOG.exception('Could not hand the unshelve of %s to %s', instance.uuid,
                          selection.service_host)
            self.reportclient.delete_allocation_for_instance(context, instance.uuid)
            self._end_unshelve(context, instance, exc, vm_states.SHELVED_OFFLOADED)

    def _start_shelved(self, context, instance):
        """Not offloaded yet: the shelved image goes and the guest starts again."""
        image_id = shelved.drop_shelve_keys(instance)
        instance.task_state = task_states.POWERING_ON
        instance.save(expected_task_state=[task_states.UNSHELVING])
        shelved.delete_shelved_image(context, self.image_api, image_id, instance.uuid)
        self.compute_rpcapi.start_instance(context, instance)

    @staticmethod
    def _end_unshelve(context, instance, exc, vm_state):
        LOG.warning('Unshelve of %s failed: %s', instance.uuid,
                    exc.format_message() if isinstance(exc, exception.NovaException)
                    else exc)
        instance.vm_state = vm_state
        instance.task_state = None
        try:
            instance.save()
            compute_utils.add_instance_fault_from_exc(context, instance, exc)
        except exception.InstanceNotFound:
            return
        compute_utils.notify_about_instance_action(
            context, instance, CONF.host, action='unshelve', phase='error',
            source='nova-conductor', exception=exc)
