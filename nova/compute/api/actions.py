"""The compute API's server actions: reboot, stop/start, pause, suspend, lock,
snapshots and backups, console output, diagnostics, crash dumps, reset state,
network info injection, soft delete and restore, and the instance action log.

A mixin of nova.compute.api.API. Each action checks the server's state
(upstream's allowed vm_states and task_states, a 409 otherwise), refuses a
locked server to non-admins, records an instance action named as upstream
does, moves the server into the operation's task state and casts to its
compute host, which finishes the job.
"""

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import timeutils

import nova.conf
from nova.compute.api import checks
from nova.compute import instance_actions
from nova.compute import power_state
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import exception
from nova import objects
from nova import quota

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_REBOOT_TASKS = (task_states.REBOOTING, task_states.REBOOT_PENDING,
                 task_states.REBOOT_STARTED)
_HARD_REBOOT_TASKS = (task_states.REBOOTING_HARD, task_states.REBOOT_PENDING_HARD,
                      task_states.REBOOT_STARTED_HARD)
ALLOW_SOFT_REBOOT = (vm_states.ACTIVE,)
ALLOW_HARD_REBOOT = ALLOW_SOFT_REBOOT + (vm_states.STOPPED, vm_states.PAUSED,
                                         vm_states.SUSPENDED, vm_states.ERROR)
# A hard reboot may interrupt a soft one (or another hard one), or an
# operation stuck on the guest: upstream's ALLOW_REBOOT task states.
ALLOW_HARD_REBOOT_TASKS = (None,) + _REBOOT_TASKS + (
    task_states.RESUMING, task_states.REBOOTING_HARD, task_states.UNPAUSING,
    task_states.PAUSING, task_states.SUSPENDING)
# Tasks of these actions that a delete may interrupt (the compute host's
# operation then finds the instance gone and gives up).
DELETABLE_TASK_STATES = (_REBOOT_TASKS + _HARD_REBOOT_TASKS + (
    task_states.POWERING_OFF, task_states.POWERING_ON, task_states.PAUSING,
    task_states.UNPAUSING, task_states.SUSPENDING, task_states.RESUMING,
    task_states.IMAGE_SNAPSHOT, task_states.IMAGE_SNAPSHOT_PENDING,
    task_states.IMAGE_PENDING_UPLOAD, task_states.IMAGE_UPLOADING,
    task_states.IMAGE_BACKUP, task_states.SOFT_DELETING, task_states.RESTORING,
    task_states.REBUILDING, task_states.REBUILD_BLOCK_DEVICE_MAPPING,
    task_states.REBUILD_SPAWNING, task_states.RESCUING, task_states.UNRESCUING,
    task_states.SHELVING, task_states.SHELVING_IMAGE_PENDING_UPLOAD,
    task_states.SHELVING_IMAGE_UPLOADING, task_states.SHELVING_OFFLOADING,
    task_states.UNSHELVING))
# States os-resetState accepts, and the vm_state each one sets.
RESET_STATES = {'active': vm_states.ACTIVE, 'error': vm_states.ERROR}


def _require_scheduled(instance, method):
    """A server still waiting for the scheduler exists only as a build request:
    nothing can be saved on it yet (a 409, as for a wrong state)."""
    if not instance.obj_attr_is_set('id'):
        raise exception.InstanceInvalidState(
            attr='vm_state', instance_uuid=instance.uuid,
            state=instance.vm_state, method=method)


def _cell_context(context, instance):
    """The context targeted at the instance's cell (the one it was read with)."""
    return getattr(instance, '_context', None) or context


class ActionsAPIMixin(object):
    """Server actions for nova.compute.api.API (which provides compute_rpcapi etc.)."""

    def _record_action_start(self, context, instance, action):
        objects.InstanceAction.action_start(_cell_context(context, instance), instance.uuid,
                                            action, want_result=False)

    def _start_task(self, context, instance, action, task_state, expected=(None,)):
        """Record the action and move into ``task_state`` (compare-and-swap)."""
        instance.task_state = task_state
        instance.save(expected_task_state=list(expected))
        self._record_action_start(context, instance, action)
        return _cell_context(context, instance)

    # --- reboot -------------------------------------------------------------------

    def reboot(self, context, instance, reboot_type):
        if reboot_type == 'SOFT':
            return self._soft_reboot(context, instance)
        return self._hard_reboot(context, instance)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=ALLOW_SOFT_REBOOT, task_state=(None,))
    def _soft_reboot(self, context, instance):
        cctxt = self._start_task(context, instance, instance_actions.REBOOT,
                                 task_states.REBOOTING)
        self.compute_rpcapi.reboot_instance(cctxt, instance, None, 'SOFT')

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=ALLOW_HARD_REBOOT, task_state=ALLOW_HARD_REBOOT_TASKS)
    def _hard_reboot(self, context, instance):
        cctxt = self._start_task(context, instance, instance_actions.REBOOT,
                                 task_states.REBOOTING_HARD,
                                 expected=ALLOW_HARD_REBOOT_TASKS)
        self.compute_rpcapi.reboot_instance(cctxt, instance, None, 'HARD')

    # --- stop / start -------------------------------------------------------------

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.ACTIVE, vm_states.ERROR))
    def stop(self, context, instance, do_cast=True, clean_shutdown=True):
        instance.progress = 0
        cctxt = self._start_task(context, instance, instance_actions.STOP,
                                 task_states.POWERING_OFF)
        self.compute_rpcapi.stop_instance(cctxt, instance, do_cast=do_cast,
                                          clean_shutdown=clean_shutdown)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.STOPPED,))
    def start(self, context, instance):
        cctxt = self._start_task(context, instance, instance_actions.START,
                                 task_states.POWERING_ON)
        self.compute_rpcapi.start_instance(cctxt, instance)

    # --- pause / suspend ----------------------------------------------------------

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.ACTIVE,))
    def pause(self, context, instance):
        cctxt = self._start_task(context, instance, instance_actions.PAUSE,
                                 task_states.PAUSING)
        self.compute_rpcapi.pause_instance(cctxt, instance)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.PAUSED,))
    def unpause(self, context, instance):
        cctxt = self._start_task(context, instance, instance_actions.UNPAUSE,
                                 task_states.UNPAUSING)
        self.compute_rpcapi.unpause_instance(cctxt, instance)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.ACTIVE,))
    def suspend(self, context, instance):
        cctxt = self._start_task(context, instance, instance_actions.SUSPEND,
                                 task_states.SUSPENDING)
        self.compute_rpcapi.suspend_instance(cctxt, instance)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.SUSPENDED,))
    def resume(self, context, instance):
        cctxt = self._start_task(context, instance, instance_actions.RESUME,
                                 task_states.RESUMING)
        self.compute_rpcapi.resume_instance(cctxt, instance)

    # --- snapshots and backups ------------------------------------------------------

    def _create_image(self, context, instance, name, image_type, extra_properties=None):
        """The (queued) Glance image a snapshot or backup will upload into."""
        sysmeta = instance.system_metadata if instance.obj_attr_is_set(
            'system_metadata') else {}
        properties = {
            'instance_uuid': instance.uuid,
            'user_id': str(context.user_id),
            'image_type': image_type,
            'base_image_ref': instance.image_ref or None,
            'owner_project_name': getattr(context, 'project_name', None),
            'owner_user_name': getattr(context, 'user_name', None),
        }
        for key, value in (sysmeta or {}).items():
            # The instance keeps its image's properties as image_*; carry the
            # user-facing ones over (not Glance attributes or our own keys).
            if key.startswith('image_') and key[6:] not in (
                    'min_ram', 'min_disk', 'disk_format', 'container_format',
                    'base_image_ref', 'instance_uuid', 'image_type', 'owner_id',
                    'image_location', 'image_state', 'user_id', 'backup_type'):
                properties.setdefault(key[6:], value)
        properties.update(extra_properties or {})
        flavor = instance.flavor if instance.obj_attr_is_set('flavor') else None
        min_disk = max(int(sysmeta.get('image_min_disk') or 0),
                       flavor.root_gb if flavor is not None else 0)
        image_meta = {
            'name': name,
            'visibility': 'private',
            'disk_format': sysmeta.get('image_disk_format') or 'raw',
            'container_format': sysmeta.get('image_container_format') or 'bare',
            'min_ram': int(sysmeta.get('image_min_ram') or 0),
            'min_disk': min_disk,
            'properties': {k: v for k, v in properties.items() if v is not None},
        }
        return self.image_api.create(context, image_meta)

    def _start_image_task(self, context, instance, task_state, action, name, image_type,
                          extra_properties):
        """Move into ``task_state``, create the Glance image (leaving the task again
        if that fails) and record ``action``; the image."""
        instance.task_state = task_state
        instance.save(expected_task_state=[None])
        try:
            image = self._create_image(context, instance, name, image_type,
                                       extra_properties)
        except Exception:
            instance.task_state = None
            instance.save(expected_task_state=[task_state])
            raise
        self._record_action_start(context, instance, action)
        return image

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.ACTIVE, vm_states.STOPPED,
                                 vm_states.PAUSED, vm_states.SUSPENDED))
    def snapshot(self, context, instance, name, extra_properties=None):
        """Create the image record and have compute upload the guest's disk into it."""
        image = self._start_image_task(context, instance, task_states.IMAGE_SNAPSHOT,
                                       instance_actions.CREATE_IMAGE, name, 'snapshot',
                                       extra_properties)
        self.compute_rpcapi.snapshot_instance(_cell_context(context, instance), instance,
                                              image['id'])
        return image

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.ACTIVE, vm_states.STOPPED))
    def backup(self, context, instance, name, backup_type, rotation,
               extra_properties=None):
        """A snapshot kept as one of the ``rotation`` newest ``backup_type`` backups."""
        props = dict(extra_properties or {}, backup_type=backup_type)
        image = self._start_image_task(context, instance, task_states.IMAGE_BACKUP,
                                       instance_actions.BACKUP, name, 'backup', props)
        self.compute_rpcapi.backup_instance(_cell_context(context, instance), instance,
                                            image['id'], backup_type, rotation)
        return image

    # --- console output and crash dumps --------------------------------------------

    def get_console_output(self, context, instance, tail_length=None):
        if instance.vm_state in (vm_states.BUILDING, vm_states.SOFT_DELETED):
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        cctxt = self._running_host(context, instance)
        try:
            return self.compute_rpcapi.get_console_output(cctxt, instance, tail_length)
        except messaging.MessagingTimeout:
            raise exception.ComputeServiceUnavailable(host=instance.host)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.ACTIVE, vm_states.PAUSED, vm_states.RESCUED,
                                 vm_states.RESIZED, vm_states.ERROR))
    def trigger_crash_dump(self, context, instance):
        if instance.power_state != power_state.RUNNING:
            raise exception.InstanceNotRunning(instance_id=instance.uuid)
        self._record_action_start(context, instance, instance_actions.TRIGGER_CRASH_DUMP)
        self.compute_rpcapi.trigger_crash_dump(_cell_context(context, instance), instance)

    # --- diagnostics ----------------------------------------------------------------

    def _running_host(self, context, instance):
        """The cell context to call the instance's host with: it needs a host
        (InstanceNotReady before it has one) whose service is up."""
        if not instance.host:
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        cctxt = _cell_context(context, instance)
        if not self._host_is_up(cctxt, instance.host):
            raise exception.ComputeServiceUnavailable(host=instance.host)
        return cctxt

    def get_diagnostics(self, context, instance):
        """The driver's free-form diagnostics (the answer before 2.48)."""
        return self.compute_rpcapi.get_diagnostics(self._running_host(context, instance),
                                                   instance)

    def get_instance_diagnostics(self, context, instance):
        """The standard diagnostics fields (the answer from 2.48)."""
        return self.compute_rpcapi.get_instance_diagnostics(
            self._running_host(context, instance), instance)

    # --- admin: reset state -------------------------------------------------------

    def reset_state(self, context, instance, state):
        """Force vm_state to ACTIVE or ERROR and clear the task (operators only)."""
        _require_scheduled(instance, 'reset_state')
        self._record_action_start(context, instance, instance_actions.RESET_STATE)
        instance.vm_state = RESET_STATES[state]
        instance.task_state = None
        instance.save(admin_state_reset=True)

    # --- admin: inject network info ---------------------------------------------------

    @checks.check_instance_lock
    def inject_network_info(self, context, instance):
        """Have the host push the server's network info into the guest (a cast)."""
        if not instance.host:
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        self.compute_rpcapi.inject_network_info(_cell_context(context, instance), instance)

    # --- lock / unlock ------------------------------------------------------------

    @staticmethod
    def is_expected_locked_by(context, instance):
        """Would this caller's lock be the server's current one (owner vs admin)?"""
        expected = 'owner' if context.project_id == instance.project_id else 'admin'
        return instance.locked_by in (None, expected)

    @staticmethod
    def _notify_api_action(context, instance, action):
        compute_utils.notify_about_instance_action(context, instance, CONF.host,
                                                   action=action, source='nova-api')

    def lock(self, context, instance, reason=None):
        _require_scheduled(instance, 'lock')
        self._record_action_start(context, instance, instance_actions.LOCK)
        instance.locked = True
        instance.locked_by = 'owner' if context.project_id == instance.project_id \
            else 'admin'
        if reason:
            instance.system_metadata['locked_reason'] = reason
        instance.save()
        self._notify_api_action(context, instance, 'lock')

    def unlock(self, context, instance):
        _require_scheduled(instance, 'unlock')
        self._record_action_start(context, instance, instance_actions.UNLOCK)
        instance.locked = False
        instance.locked_by = None
        if 'locked_reason' in instance.system_metadata:
            del instance.system_metadata['locked_reason']
        instance.save()
        self._notify_api_action(context, instance, 'unlock')

    # --- soft delete, restore, force delete -----------------------------------------

    def soft_delete(self, context, instance):
        """Keep the server (SOFT_DELETED, guest off) for ``reclaim_instance_interval``."""
        if instance.locked and not context.is_admin:
            raise exception.InstanceIsLocked(instance_uuid=instance.uuid)
        if not checks.launched(instance) or not instance.host:
            raise exception.InstanceInvalidState(
                attr='launched_at', instance_uuid=instance.uuid, state=None,
                method='soft_delete')
        cctxt = _cell_context(context, instance)
        self._record_action_start(context, instance, instance_actions.DELETE)
        instance.deleted_at = timeutils.utcnow()
        # No longer counted against quota (from mappings or cells) until restored.
        self._set_mapping_queued_for_delete(context, instance.uuid, True)
        if not self._host_is_up(cctxt, instance.host):
            instance.vm_state = vm_states.SOFT_DELETED
            instance.task_state = None
            instance.terminated_at = timeutils.utcnow()
            instance.save(expected_task_state=[None])
            return
        instance.task_state = task_states.SOFT_DELETING
        instance.save(expected_task_state=[None])
        self.compute_rpcapi.soft_delete_instance(cctxt, instance)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.SOFT_DELETED,))
    def restore(self, context, instance):
        # The server counts again once restored, so it must fit in the quota now.
        flavor = instance.get_flavor()
        quota.allowed_instances(context, instance.project_id, flavor, 1, 1,
                                user_id=instance.user_id)
        cctxt = _cell_context(context, instance)
        self._record_action_start(context, instance, instance_actions.RESTORE)
        self._set_mapping_queued_for_delete(context, instance.uuid, False)
        if not self._host_is_up(cctxt, instance.host):
            instance.vm_state = vm_states.ACTIVE
            instance.task_state = None
            instance.deleted_at = None
            instance.save(expected_task_state=[None])
            return
        instance.task_state = task_states.RESTORING
        instance.deleted_at = None
        instance.save(expected_task_state=[None])
        self.compute_rpcapi.restore_instance(cctxt, instance)

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=None, task_state=None, must_have_launched=False)
    def force_delete(self, context, instance):
        self._hard_delete(context, instance)

    # --- the instance action log ----------------------------------------------------

    def get_instance_actions(self, context, instance, limit=None, marker=None,
                             filters=None):
        if not instance.obj_attr_is_set('id'):
            return []  # still a build request: its actions start in the cell
        return objects.InstanceActionList.get_by_instance_uuid(
            _cell_context(context, instance), instance.uuid, limit=limit, marker=marker,
            filters=filters)

    def get_instance_action(self, context, instance, request_id):
        """(action, events) or InstanceActionNotFound."""
        if not instance.obj_attr_is_set('id'):
            raise exception.InstanceActionNotFound(request_id=request_id,
                                                   instance_uuid=instance.uuid)
        cctxt = _cell_context(context, instance)
        action = objects.InstanceAction.get_by_request_id(cctxt, instance.uuid, request_id)
        if action is None:
            raise exception.InstanceActionNotFound(request_id=request_id,
                                                   instance_uuid=instance.uuid)
        return action, objects.InstanceActionEventList.get_by_action(cctxt, action.id)
