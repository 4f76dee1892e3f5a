"""The compute API's shelve, shelve offload and unshelve.

A mixin of nova.compute.api.API. Shelve creates the Glance image the host
uploads the guest's disk into (``<server name>-shelved``); unshelve of an
offloaded server goes through conductor and the scheduler like a boot,
optionally into another availability zone (2.77), out of its pinned zone
(null, 2.91) or onto a named host (2.91, administrators).
"""

from oslo_log import log as logging

from nova import availability_zones
from nova.compute.api import checks
from nova.compute.api import requested_destination
from nova.compute import instance_actions
from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)

SHELVE_VM_STATES = (vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                    vm_states.SUSPENDED)
UNSHELVE_VM_STATES = (vm_states.SHELVED, vm_states.SHELVED_OFFLOADED)
# An availability zone the request did not name (None unpins the server).
UNSET = object()


def delete_shelved_image(context, image_api, instance):
    """A shelved server deleted takes its shelved snapshot along (best effort)."""
    if instance.vm_state not in UNSHELVE_VM_STATES or not instance.obj_attr_is_set(
            'system_metadata'):
        return
    image_id = instance.system_metadata.get('shelved_image_id')
    if not image_id:
        return
    try:
        image_api.delete(context, image_id)
    except exception.ImageNotFound:
        pass
    except Exception as exc:
        LOG.warning('Could not delete the shelved image %s of %s: %s', image_id,
                    instance.uuid, exc)


def _request_spec(context, instance):
    """The server's request spec; made again from the server if it has none."""
    try:
        return objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
    except exception.RequestSpecNotFound:
        LOG.warning('Server %s has no request spec; making one from the server',
                    instance.uuid)
    spec = objects.RequestSpec.from_components(
        context, instance.uuid, objects.ImageMeta.from_instance(instance),
        instance.get_flavor(), availability_zone=instance.availability_zone,
        project_id=instance.project_id, user_id=instance.user_id)
    spec.create()
    return spec


class ShelveAPIMixin(object):
    """``shelve``, ``shelve_offload`` and ``unshelve`` for nova.compute.api.API."""

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=SHELVE_VM_STATES)
    def shelve(self, context, instance, clean_shutdown=True):
        checks.require_host(instance, 'shelve')
        cctxt = self._start_task(context, instance, instance_actions.SHELVE,
                                 task_states.SHELVING)
        try:
            image = self._create_image(context, instance,
                                       '%s-shelved' % instance.display_name, 'snapshot')
        except Exception:
            instance.task_state = None
            instance.save(expected_task_state=[task_states.SHELVING])
            raise
        self.compute_rpcapi.shelve_instance(cctxt, instance, image_id=image['id'],
                                            clean_shutdown=clean_shutdown)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.SHELVED,))
    def shelve_offload(self, context, instance, clean_shutdown=True):
        checks.require_host(instance, 'shelve_offload')
        cctxt = self._start_task(context, instance, instance_actions.SHELVE_OFFLOAD,
                                 task_states.SHELVING_OFFLOADING)
        self.compute_rpcapi.shelve_offload_instance(cctxt, instance,
                                                    clean_shutdown=clean_shutdown)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=UNSHELVE_VM_STATES)
    def unshelve(self, context, instance, new_az=UNSET, host=None):
        offloaded = instance.vm_state == vm_states.SHELVED_OFFLOADED
        named = [name for name, given in (('availability_zone', new_az is not UNSET),
                                          ('host', bool(host))) if given]
        if named and not offloaded:
            raise exception.UnshelveInstanceInvalidState(
                params=', '.join(named), state=vm_states.SHELVED_OFFLOADED,
                instance_state=instance.vm_state, attr='vm_state',
                instance_uuid=instance.uuid, method='unshelve')
        if new_az is not UNSET and new_az is not None:
            self._availability_zone(context, new_az)  # InvalidAvailabilityZone
        if host:
            requested_destination.validate(context, host)  # ComputeHostNotFound
        spec = _request_spec(context, instance)
        if host:
            zone = spec.availability_zone if new_az is UNSET else new_az
            if zone and availability_zones.get_host_availability_zone(
                    context, host) != zone:
                raise exception.UnshelveHostNotInAZ(host=host, availability_zone=zone)
        if new_az is not UNSET:
            spec.availability_zone = new_az
            instance.availability_zone = new_az
            spec.save()
        spec.requested_destination = requested_destination.build(host)
        cctxt = self._start_task(context, instance, instance_actions.UNSHELVE,
                                 task_states.UNSHELVING)
        self.compute_task_api.unshelve_instance(cctxt, instance, request_spec=spec)
