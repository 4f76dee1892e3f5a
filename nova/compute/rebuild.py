"""The compute manager's rebuild: the guest made again from an image, on this host.

A mixin of ComputeManager. The API moved the server into REBUILDING and
already recorded the new image and the other changes; here the task goes
REBUILDING -> REBUILD_BLOCK_DEVICE_MAPPING (the old guest is taken down)
-> REBUILD_SPAWNING (the guest starts from the new image) -> None, as
upstream. The server keeps its ports, its allocation and its ephemeral disk
when ``preserve_ephemeral`` is asked and the driver can keep it. A server
that was stopped is stopped again afterwards. A failure leaves the server in
ERROR with a fault.
"""

from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import operations
from nova.compute import ports
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)


class RebuildOperations(operations.InstanceOperations):
    """rebuild_instance (compute RPC 6.7) for ComputeManager."""

    @operations.instance_operation('compute_rebuild_instance', 'rebuild',
                                   error_state=vm_states.ERROR)
    def rebuild_instance(self, context, instance, new_pass, injected_files, image_ref,
                         orig_image_ref, preserve_ephemeral=False):
        orig_vm_state = instance.vm_state
        image_meta = objects.ImageMeta.from_dict(self.image_api.get(context, image_ref))
        compute_utils.notify_usage_exists(context, instance, self.host)
        instance.power_state = self._get_power_state(instance)
        instance.task_state = task_states.REBUILD_BLOCK_DEVICE_MAPPING
        instance.save(expected_task_state=[task_states.REBUILDING])

        def spawning():
            instance.task_state = task_states.REBUILD_SPAWNING
            instance.save(expected_task_state=[task_states.REBUILD_BLOCK_DEVICE_MAPPING])

        network_info = ports.cached_network_info(instance)
        self._rebuild_guest(context, instance, image_meta, injected_files or [], new_pass,
                            network_info, preserve_ephemeral, spawning)
        instance.launched_at = timeutils.utcnow()
        if orig_vm_state == vm_states.STOPPED:
            self._force_power_off(instance)
            self._settle(instance, vm_states.STOPPED, task_states.REBUILD_SPAWNING,
                         launched_at=instance.launched_at)
        else:
            self._settle(instance, vm_states.ACTIVE, task_states.REBUILD_SPAWNING,
                         launched_at=instance.launched_at)
        LOG.info('Instance %s rebuilt from image %s on %s', instance.uuid, image_ref,
                 self.host)

    def _rebuild_guest(self, context, instance, image_meta, injected_files, admin_password,
                       network_info, preserve_ephemeral, spawning):
        """The driver's own rebuild, else upstream's default: destroy, then spawn."""
        try:
            self.driver.rebuild(context, instance, image_meta, injected_files,
                                admin_password, network_info=network_info,
                                preserve_ephemeral=preserve_ephemeral,
                                before_spawn=spawning)
            return
        except NotImplementedError:
            pass
        if preserve_ephemeral:
            raise exception.PreserveEphemeralNotSupported()
        self.driver.destroy(context, instance, network_info=network_info)
        spawning()
        self.driver.spawn(context, instance, image_meta, injected_files, admin_password,
                          allocations=None, network_info=network_info)
