"""The compute manager's rescue and unrescue.

A mixin of ComputeManager. Rescue stops the guest and boots it from a rescue
image (the request's ``rescue_image_ref``, else ``[libvirt] rescue_image_id``,
else the server's own image) with its own disks attached, so a user can
repair them: RESCUING -> vm_state RESCUED. Unrescue boots the guest from its
own disk again: UNRESCUING -> ACTIVE. ``[DEFAULT] rescue_timeout`` unrescues
servers left rescued longer than that. A failure leaves the server in ERROR
with a fault, as upstream.
"""

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova.compute import operations
from nova.compute import ports
from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import manager
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def rescue_image_id(instance, requested=None):
    """The image a rescue boots: requested, configured, or the server's own."""
    return (requested or CONF.libvirt.rescue_image_id or
            instance.system_metadata.get('image_base_image_ref') or instance.image_ref)


class RescueOperations(operations.InstanceOperations):
    """rescue_instance / unrescue_instance (compute RPC 6.7) for ComputeManager."""

    def _init_rescues(self):
        self.set_periodic_spacing('_poll_rescued_instances',
                                  60 if CONF.rescue_timeout > 0 else -1)

    @operations.instance_operation('compute_rescue_instance', 'rescue',
                                   error_state=vm_states.ERROR)
    def rescue_instance(self, context, instance, rescue_password, rescue_image_ref=None,
                        clean_shutdown=True):
        image_id = rescue_image_id(instance, rescue_image_ref)
        try:
            image_meta = objects.ImageMeta.from_dict(self.image_api.get(context, image_id))
        except exception.ImageNotFound as exc:
            raise exception.InstanceNotRescuable(instance_id=instance.uuid,
                                                 reason=exc.format_message()) from exc
        network_info = ports.cached_network_info(instance)
        self._power_off(instance, clean_shutdown, missing_ok=True)
        self.driver.rescue(context, instance, network_info, image_meta, rescue_password)
        self._settle(instance, vm_states.RESCUED, task_states.RESCUING,
                     launched_at=timeutils.utcnow())

    @operations.instance_operation('compute_unrescue_instance', 'unrescue',
                                   error_state=vm_states.ERROR)
    def unrescue_instance(self, context, instance):
        self.driver.unrescue(context, instance)
        self._settle(instance, vm_states.ACTIVE, task_states.UNRESCUING)

    @manager.periodic_task_decorator(spacing=60)
    def _poll_rescued_instances(self, context):
        """Unrescue this host's servers rescued longer than ``rescue_timeout``."""
        if CONF.rescue_timeout <= 0:
            return
        try:
            rescued = objects.InstanceList.get_by_filters(
                context, {'vm_state': vm_states.RESCUED, 'host': self.host,
                          'deleted': False}, expected_attrs=['flavor', 'system_metadata'])
        except Exception as exc:
            LOG.warning('Could not list the rescued servers of %s: %s', self.host, exc)
            return
        for instance in rescued:
            if instance.task_state is not None or not (
                    instance.launched_at and
                    timeutils.is_older_than(instance.launched_at, CONF.rescue_timeout)):
                continue
            LOG.info('Unrescuing %s: rescued for more than %ss', instance.uuid,
                     CONF.rescue_timeout)
            try:
                instance.task_state = task_states.UNRESCUING
                instance.save(expected_task_state=[None])
                objects.InstanceAction.action_start(context, instance.uuid, 'unrescue',
                                                    want_result=False)
            except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                continue
            self.unrescue_instance(context, instance)
