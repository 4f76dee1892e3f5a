"""The compute manager's shelve, shelve offload and unshelve.

A mixin of ComputeManager. Shelve powers the guest off, uploads its disk into
the Glance image the API created (``<name>-shelved``; task SHELVING ->
SHELVING_IMAGE_PENDING_UPLOAD -> SHELVING_IMAGE_UPLOADING), remembers the
image in system metadata (``shelved_image_id``, ``shelved_at``,
``shelved_host``) and leaves the server SHELVED. ``[DEFAULT]
shelved_offload_time`` then says when the host lets go of it: 0 at once, -1
never, otherwise the periodic ``_poll_shelved_instances`` offloads servers
shelved longer than that. Offloading destroys the guest, frees the
Placement allocation and the host/node fields, and leaves the server's ports
bound to no host: SHELVED_OFFLOADED.

Unshelve comes from conductor with the host the scheduler picked (and
claimed in Placement): the ports are bound to that host, the guest spawns
from the shelved image (UNSHELVING -> SPAWNING -> ACTIVE), then that image
and the shelve keys go.
"""

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova.compute import bookkeeping
from nova.compute import operations
from nova.compute import ports
from nova.compute import power_state
from nova.compute import shelved
from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import manager
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# The snapshot's task states as a shelve names them.
_SHELVING_STATES = {
    task_states.IMAGE_PENDING_UPLOAD: task_states.SHELVING_IMAGE_PENDING_UPLOAD,
    task_states.IMAGE_UPLOADING: task_states.SHELVING_IMAGE_UPLOADING,
    task_states.SHELVING: task_states.SHELVING,
    task_states.IMAGE_SNAPSHOT_PENDING: task_states.SHELVING,
}


class ShelveOperations(operations.InstanceOperations):
    """shelve_instance, shelve_offload_instance, unshelve_instance (RPC 6.7)."""

    def _init_shelving(self):
        interval = CONF.shelved_poll_interval
        self.set_periodic_spacing('_poll_shelved_instances',
                                  interval if CONF.shelved_offload_time > 0 else -1)

    # --- shelve -----------------------------------------------------------------------

    @operations.instance_operation('compute_shelve_instance', 'shelve')
    def shelve_instance(self, context, instance, image_id=None, clean_shutdown=True):
        self._power_off(instance, clean_shutdown, missing_ok=True)

        def update_task_state(task_state, expected_state=task_states.SHELVING):
            instance.task_state = _SHELVING_STATES[task_state]
            instance.save(expected_task_state=[_SHELVING_STATES[expected_state]])

        try:
            self.driver.snapshot(context, instance, image_id, update_task_state)
        except Exception:
            self._delete_failed_image(context, image_id)
            raise
        sysmeta = dict(instance.system_metadata)
        sysmeta.update(shelved_at=timeutils.utcnow().isoformat(),
                       shelved_image_id=image_id, shelved_host=self.host)
        instance.system_metadata = sysmeta
        offload_now = CONF.shelved_offload_time == 0
        instance.power_state = self._get_power_state(instance)
        instance.vm_state = vm_states.SHELVED
        instance.task_state = task_states.SHELVING_OFFLOADING if offload_now else None
        instance.save(expected_task_state=[task_states.SHELVING,
                                           task_states.SHELVING_IMAGE_UPLOADING])
        if offload_now:
            self._offload(context, instance)

    # --- shelve offload ---------------------------------------------------------------

    @operations.instance_operation('compute_shelve_offload_instance', 'shelve_offload')
    def shelve_offload_instance(self, context, instance, clean_shutdown=True):
        self._power_off(instance, clean_shutdown, missing_ok=True)
        self._offload(context, instance)

    def _offload(self, context, instance):
        """The guest and its host resources go; the record and the image stay."""
        network_info = ports.cached_network_info(instance)
        self.driver.destroy(context, instance, network_info=network_info)
        ports.unbind(context, instance)
        self.rt.remove_instance(context, instance)
        instance.power_state = power_state.NOSTATE
        instance.vm_state = vm_states.SHELVED_OFFLOADED
        instance.task_state = None
        instance.host = None
        instance.node = None
        instance.save(expected_task_state=[task_states.SHELVING,
                                           task_states.SHELVING_OFFLOADING])
        self.reportclient.delete_allocation_for_instance(context, instance.uuid)
        LOG.info('Instance %s offloaded from %s', instance.uuid, self.host)

    @manager.periodic_task_decorator(spacing=3600)
    def _poll_shelved_instances(self, context):
        """Offload this host's servers shelved longer than ``shelved_offload_time``."""
        if CONF.shelved_offload_time <= 0:
            return
        try:
            shelved = objects.InstanceList.get_by_filters(
                context, {'vm_state': vm_states.SHELVED, 'task_state': None,
                          'host': self.host, 'deleted': False},
                expected_attrs=['system_metadata'])
        except Exception as exc:
            LOG.warning('Could not list the shelved servers of %s: %s', self.host, exc)
            return
        for instance in shelved:
            shelved_at = timeutils.parse_isotime(
                instance.system_metadata.get('shelved_at') or
                timeutils.utcnow().isoformat())
            if not timeutils.is_older_than(shelved_at.replace(tzinfo=None),
                                           CONF.shelved_offload_time):
                continue
            try:
                instance.task_state = task_states.SHELVING_OFFLOADING
                instance.save(expected_task_state=[None])
            except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                continue
            LOG.info('Offloading %s: shelved for more than %ss', instance.uuid,
                     CONF.shelved_offload_time)
            self.shelve_offload_instance(context, instance, clean_shutdown=False)

    # --- unshelve ---------------------------------------------------------------------

    @operations.instance_operation('compute_unshelve_instance', 'unshelve',
                                   error_state=vm_states.SHELVED_OFFLOADED)
    def unshelve_instance(self, context, instance, image=None, request_spec=None,
                          node=None, filter_properties=None):
        node = node or self.driver.get_available_nodes()[0]
        image_id = instance.system_metadata.get('shelved_image_id')
        self.rt.instance_claim(context, instance, node)
        instance.task_state = task_states.SPAWNING
        try:
            bookkeeping.save_unshelving(context, instance, self.host)
        except Exception:
            self.rt.forget_instance(context, instance)
            raise
        try:
            image_meta = objects.ImageMeta.from_dict(
                image or self.image_api.get(context, image_id))
            network_info = ports.bind_to_host(context, instance, self.host)
            self.driver.spawn(context, instance, image_meta, injected_files=[],
                              admin_password=None, allocations=None,
                              network_info=network_info)
        except Exception:
            self._abort_unshelve(context, instance)
            raise
        shelved.drop_shelve_keys(instance)
        # The instance keeps the image it was booted from, not the snapshot.
        instance.power_state = self._get_power_state(instance)
        instance.vm_state = vm_states.ACTIVE
        instance.task_state = None
        instance.launched_at = timeutils.utcnow()
        bookkeeping.save_spawned(context, instance, self.host)
        shelved.delete_shelved_image(context, self.image_api, image_id, instance.uuid)
        LOG.info('Instance %s unshelved on %s', instance.uuid, self.host)

    def _abort_unshelve(self, context, instance):
        """A failed spawn: nothing stays here, the server is offloaded again."""
        try:
            self.driver.destroy(context, instance, network_info=[])
        except Exception:
            LOG.exception('Could not clean up the failed unshelve of %s', instance.uuid)
        ports.unbind(context, instance)
        self.rt.forget_instance(context, instance)
        self.reportclient.delete_allocation_for_instance(context, instance.uuid)
        instance.host = None
        instance.node = None
        try:
            bookkeeping.retried('offloading instance %s again' % instance.uuid,
                                instance.save)
        except exception.InstanceNotFound:
            pass
