"""The compute manager's resize and cold migration (RPC 6.7).

A mixin of ComputeManager. Conductor has made the Migration record, moved
the server's allocation on the source to the migration (its uuid is the
consumer) and had the scheduler claim the new flavor on the destination for
the server itself. The steps, each a cast to the host that does it:

- ``prep_resize`` (destination): claim on this host's books, keep both
  flavors on the instance, then ask the source to send the guest. A claim
  that fails hands the server back to conductor for the next alternate.
- ``resize_instance`` (source): migration ``migrating``; stop the guest and
  move its disks; ``post-migrating``; the instance now names the destination.
- ``finish_resize`` (destination): the server's ports are bound to this host,
  the guest starts here with the new flavor; migration ``finished``; vm_state
  RESIZED.
- ``confirm_resize`` (source): drop the old guest and the migration's
  allocation; migration ``confirmed``.
- ``revert_resize`` (destination) then ``finish_revert_resize`` (source): drop
  the new guest, bind the ports to the source again and bring the old guest
  back, hand the migration's allocation back to the server exactly as it was;
  migration ``reverted``.

``_poll_unconfirmed_resizes`` confirms resizes older than
``[DEFAULT] resize_confirm_window``; ``_reconcile_interrupted_moves`` settles,
at start-up, the moves a killed nova-compute left half done.
"""

from oslo_log import log as logging

import nova.conf
from nova.compute import instance_actions
from nova.compute import operations
from nova.compute import ports
from nova.compute import power_state
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import exception
from nova import manager
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

OLD_VM_STATE = 'old_vm_state'
# Migration statuses of a move still under way before the guest started on the
# destination (a restart rolls those back to the source).
_BEFORE_FINISH = ('pre-migrating', 'migrating', 'post-migrating')
COLD_MOVES = ('resize', 'migration')


def _old_vm_state(instance):
    sysmeta = instance.system_metadata or {}
    return sysmeta.get(OLD_VM_STATE) or vm_states.ACTIVE


def _vm_state_of_power(state, default=vm_states.ACTIVE):
    if state in (power_state.SHUTDOWN, power_state.CRASHED):
        return vm_states.STOPPED
    if state == power_state.RUNNING:
        return vm_states.ACTIVE
    return default


def _current_status(context, migration):
    """The migration's status as the database has it now."""
    return objects.Migration.get_by_id(context, migration.id).status


class ResizeOperations(operations.InstanceOperations):
    """prep_resize .. finish_revert_resize for ComputeManager."""

    _compute_rpcapi = None

    @property
    def compute_rpcapi(self):
        """The client for the next step's host, built on first use."""
        if self._compute_rpcapi is None:
            self._compute_rpcapi = compute_rpcapi.ComputeAPI()
        return self._compute_rpcapi

    def _init_resizes(self):
        window = CONF.resize_confirm_window
        self.set_periodic_spacing('_poll_unconfirmed_resizes',
                                  max(1, min(60, window)) if window else 0)

    def _node_record(self, nodename):
        return self.rt.compute_nodes.get(nodename)

    # --- destination: claim ------------------------------------------------------------

    def prep_resize(self, context, instance, flavor, migration, request_spec, host_list,
                    node, clean_shutdown=True):
        with self._instance_lock(instance.uuid):
            compute_utils.notify_about_instance_action(context, instance, self.host,
                                                       action='resize_prep', phase='start')
            try:
                with compute_utils.event_reporter(context, 'compute_prep_resize',
                                                  self.host, instance.uuid):
                    proceed = self._prep_resize(context, instance, flavor, migration, node)
            except Exception as exc:
                LOG.warning('Resize claim of %s on %s failed: %s', instance.uuid,
                            self.host, exc)
                self._reschedule_resize(context, instance, flavor, migration, request_spec,
                                        host_list, clean_shutdown, exc)
                return
            if not proceed:
                return
            compute_utils.notify_about_instance_action(context, instance, self.host,
                                                       action='resize_prep', phase='end')
        self.compute_rpcapi.resize_instance(context, instance, migration, flavor,
                                            clean_shutdown=clean_shutdown)

    def _prep_resize(self, context, instance, flavor, migration, node):
        """Claim here; False when the move was given up meanwhile (nothing done)."""
        instance.refresh()
        if _current_status(context, migration) != 'pre-migrating' or \
                instance.task_state != task_states.RESIZE_PREP:
            LOG.info('Resize of %s was given up before it reached %s (migration %s)',
                     instance.uuid, self.host, migration.status)
            return False
        node = node or self.driver.get_available_nodes()[0]
        self.rt.move_claim(context, instance.uuid, flavor, node)
        migration.dest_compute = self.host
        migration.dest_node = node
        migration.dest_host = CONF.my_ip
        record = self._node_record(node)
        if record is not None:
            migration.dest_compute_id = record.id
        migration.save()
        sysmeta = dict(instance.system_metadata or {})
        sysmeta[OLD_VM_STATE] = instance.vm_state
        instance.system_metadata = sysmeta
        instance.old_flavor = instance.flavor
        instance.new_flavor = flavor
        instance.save(expected_task_state=[task_states.RESIZE_PREP])
        return True

    def _reschedule_resize(self, context, instance, flavor, migration, request_spec,
                           host_list, clean_shutdown, exc):
        """Hand the move back to conductor for the next alternate host."""
        self.rt.drop_move_claim(context, instance.uuid)
        compute_utils.add_instance_fault_from_exc(context, instance, exc, host=self.host)
        compute_utils.notify_about_instance_action(context, instance, self.host,
                                                   action='resize_prep', phase='error',
                                                   exception=exc)
        # The server's claim here goes; the migration still holds the source.
        self.reportclient.delete_allocation_for_instance(context, instance.uuid)
        self.compute_task_api.resize_instance(
            context, instance, flavor, request_spec, clean_shutdown=clean_shutdown,
            migration=migration, host_list=list(host_list or [])[1:])

    # --- source: send the guest --------------------------------------------------------

    @operations.instance_operation('compute_resize_instance', 'resize')
    def resize_instance(self, context, instance, migration, flavor, clean_shutdown=True):
        instance.task_state = task_states.RESIZE_MIGRATING
        instance.save(expected_task_state=[task_states.RESIZE_PREP])
        try:
            migration.status = 'migrating'
            migration.save()
            timeout = CONF.shutdown_timeout if clean_shutdown else 0
            disk_info = self.driver.migrate_disk_and_power_off(
                context, instance, migration.dest_host, flavor,
                ports.cached_network_info(instance), timeout=timeout,
                retry_interval=operations.SHUTDOWN_RETRY_INTERVAL)
            migration.status = 'post-migrating'
            migration.save()
            instance.host = migration.dest_compute
            instance.node = migration.dest_node
            if migration.dest_compute_id is not None and 'compute_id' in instance.fields:
                instance.compute_id = migration.dest_compute_id
            instance.task_state = task_states.RESIZE_MIGRATED
            instance.save(expected_task_state=[task_states.RESIZE_MIGRATING])
        except exception.UnexpectedTaskStateError:
            raise
        except exception.InstanceFaultRollback as exc:
            # The driver put the guest back as it was: so does the server.
            self._fail_move(context, instance, migration, on_source=True,
                            rolled_back=True)
            raise (exc.inner_exception or exc) from exc
        except Exception:
            self._fail_move(context, instance, migration, on_source=True)
            raise
        self.compute_rpcapi.finish_resize(context, instance, migration, disk_info)

    def _fail_move(self, context, instance, migration, on_source, rolled_back=False):
        """A move that broke before the guest started on the destination: the server
        stays where its guest is, holding its original allocation; in ERROR unless
        the driver ``rolled_back`` the guest to its state before the move."""
        migration.status = 'error'
        migration.save()
        if on_source:
            self.reportclient.move_allocations(context, migration.uuid, instance.uuid,
                                               source_type='MIGRATION',
                                               target_type='INSTANCE')
            self.rt.drop_move_claim(context, instance.uuid)
        else:
            self.reportclient.delete_allocation_for_instance(context, migration.uuid,
                                                             consumer_type='migration')
        if rolled_back:
            instance.vm_state = _old_vm_state(instance)
            instance.power_state = self._get_power_state(instance)
            instance.old_flavor = None
            instance.new_flavor = None
        else:
            instance.vm_state = vm_states.ERROR
        instance.save()

    # --- destination: start the guest ----------------------------------------------

    @operations.instance_operation('compute_finish_resize', 'resize_finish')
    def finish_resize(self, context, instance, migration, disk_info):
        instance.task_state = task_states.RESIZE_FINISH
        instance.save(expected_task_state=[task_states.RESIZE_MIGRATED])
        try:
            power_on = _old_vm_state(instance) != vm_states.STOPPED
            resized = migration.old_instance_type_id != migration.new_instance_type_id
            if instance.new_flavor is not None:
                instance.flavor = instance.new_flavor
            image_meta = objects.ImageMeta.from_dict({})
            network_info = ports.bind_to_host(context, instance, self.host)
            self.driver.finish_migration(context, migration, instance, disk_info,
                                         network_info, image_meta, resized, None,
                                         power_on=power_on)
            self.rt.track_instance(context, instance, migration.dest_node)
            migration.status = 'finished'
            migration.save()
            self._settle(instance, vm_states.RESIZED, task_states.RESIZE_FINISH)
        except exception.UnexpectedTaskStateError:
            raise
        except Exception:
            self._fail_move(context, instance, migration, on_source=False)
            raise

    # --- confirm (source) -------------------------------------------------------------

    @operations.instance_operation('compute_confirm_resize', 'resize_confirm')
    def confirm_resize(self, context, instance, migration):
        if _current_status(context, migration) in ('confirmed', 'reverted', 'error'):
            LOG.info('Migration %s of %s is already %s', migration.uuid, instance.uuid,
                     migration.status)
            return
        self.driver.confirm_migration(context, migration, instance,
                                      ports.cached_network_info(instance))
        if migration.source_compute != migration.dest_compute:
            self.rt.drop_move_claim(context, instance.uuid)
        self.reportclient.delete_allocation_for_instance(context, migration.uuid,
                                                         consumer_type='migration')
        migration.status = 'confirmed'
        migration.save()
        instance.refresh()
        instance.old_flavor = None
        instance.new_flavor = None
        instance.vm_state = _vm_state_of_power(instance.power_state)
        instance.task_state = None
        instance.save(expected_task_state=[None, task_states.RESIZE_CONFIRMING])

    # --- revert (destination, then source) -------------------------------------------

    @operations.instance_operation('compute_revert_resize', 'resize_revert')
    def revert_resize(self, context, instance, migration):
        self.driver.destroy(context, instance, ports.cached_network_info(instance),
                            destroy_disks=True)
        if migration.source_compute != migration.dest_compute:
            self.rt.drop_move_claim(context, instance.uuid)
        instance.host = migration.source_compute
        instance.node = migration.source_node
        instance.save(expected_task_state=[task_states.RESIZE_REVERTING])
        self.compute_rpcapi.finish_revert_resize(context, instance, migration)

    @operations.instance_operation('compute_finish_revert_resize', 'resize_revert')
    def finish_revert_resize(self, context, instance, migration):
        old_state = _old_vm_state(instance)
        if instance.old_flavor is not None:
            instance.flavor = instance.old_flavor
        instance.old_flavor = None
        instance.new_flavor = None
        node = self._node_record(migration.source_node)
        if node is not None and 'compute_id' in instance.fields:
            instance.compute_id = node.id
        network_info = ports.bind_to_host(context, instance, self.host)
        self.driver.finish_revert_migration(context, instance, network_info, migration,
                                            power_on=old_state != vm_states.STOPPED)
        self.rt.track_instance(context, instance, migration.source_node)
        # The original allocation comes back whole, replacing the destination's.
        if not self.reportclient.move_allocations(context, migration.uuid, instance.uuid,
                                                  source_type='MIGRATION',
                                                  target_type='INSTANCE'):
            raise exception.ResizeError(reason='the original allocation could not be '
                                        'restored in Placement')
        migration.status = 'reverted'
        migration.save()
        self._settle(instance, old_state, task_states.RESIZE_REVERTING)

    # --- [DEFAULT] resize_confirm_window -----------------------------------------

    @manager.periodic_task_decorator(spacing=60)
    def _poll_unconfirmed_resizes(self, context):
        """Confirm the resizes that finished here longer than the window ago."""
        window = CONF.resize_confirm_window
        if not window:
            return
        try:
            migrations = objects.MigrationList.get_unconfirmed_by_dest_compute(
                context, window, self.host)
        except Exception as exc:
            LOG.warning('Could not list the unconfirmed resizes of %s: %s', self.host, exc)
            return
        for migration in migrations:
            try:
                instance = objects.Instance.get_by_uuid(context, migration.instance_uuid,
                                                        expected_attrs=['flavor'])
            except exception.InstanceNotFound:
                migration.status = 'error'
                migration.save()
                continue
            if instance.vm_state != vm_states.RESIZED or instance.task_state is not None:
                continue
            LOG.info('Automatically confirming migration %s of %s', migration.id,
                     instance.uuid)
            migration.status = 'confirming'
            migration.save()
            objects.InstanceAction.action_start(context, instance.uuid,
                                                instance_actions.CONFIRM_RESIZE,
                                                want_result=False)
            self.compute_rpcapi.confirm_resize(context, instance, migration)

    # --- start-up: moves a killed nova-compute left half done -----------------------

    def _reconcile_interrupted_moves(self, context):
        try:
            nodes = self.driver.get_available_nodes()
            migrations = []
            for node in nodes:
                migrations.extend(objects.MigrationList.get_in_progress_by_host_and_node(
                    context, self.host, node))
        except Exception as exc:
            LOG.warning('Could not list the moves of %s at start-up: %s', self.host, exc)
            return
        for migration in migrations:
            if migration.migration_type not in COLD_MOVES:
                continue
            try:
                self._reconcile_move(context, migration)
            except Exception:
                LOG.exception('Could not settle migration %s of %s', migration.uuid,
                              migration.instance_uuid)

    def _reconcile_move(self, context, migration):
        try:
            instance = objects.Instance.get_by_uuid(
                context, migration.instance_uuid, expected_attrs=['flavor',
                                                                  'system_metadata'])
        except exception.InstanceNotFound:
            migration.status = 'error'
            migration.save()
            return
        status = migration.status
        if status in _BEFORE_FINISH:
            self._roll_back_move(context, instance, migration)
        elif status == 'confirming' and migration.source_compute == self.host:
            self.confirm_resize(context, instance, migration)
        elif status == 'reverting' and instance.host == self.host:
            if self.host == migration.dest_compute and \
                    migration.source_compute != migration.dest_compute:
                self.revert_resize(context, instance, migration)
            else:
                self.finish_revert_resize(context, instance, migration)

    def _roll_back_move(self, context, instance, migration):
        """The guest never started on the destination: the server goes back to the
        source with its original flavor and allocation; the migration is ``error``."""
        LOG.warning('Migration %s of %s was %s when nova-compute stopped; rolling the '
                    'server back to %s', migration.uuid, instance.uuid, migration.status,
                    migration.source_compute)
        guest_stopped = migration.status != 'pre-migrating'
        old_state = _old_vm_state(instance)
        if self.host == migration.dest_compute and \
                migration.source_compute != migration.dest_compute:
            try:
                self.driver.destroy(context, instance, [], destroy_disks=True)
            except Exception:
                LOG.exception('Could not remove the half-moved guest of %s', instance.uuid)
            self.rt.drop_move_claim(context, instance.uuid)
        self.reportclient.move_allocations(context, migration.uuid, instance.uuid,
                                           source_type='MIGRATION', target_type='INSTANCE')
        if instance.old_flavor is not None:
            instance.flavor = instance.old_flavor
        instance.old_flavor = None
        instance.new_flavor = None
        instance.host = migration.source_compute
        instance.node = migration.source_node
        instance.task_state = None
        if guest_stopped and self.host == migration.source_compute:
            self.driver.finish_revert_migration(context, instance, [], migration,
                                                power_on=old_state != vm_states.STOPPED)
            instance.vm_state = old_state
        elif guest_stopped:
            instance.vm_state = vm_states.ERROR  # the source powers it back on a reboot
        else:
            instance.vm_state = old_state
        instance.save()
        exc = exception.ResizeError(reason='nova-compute on %s restarted during the move'
                                    % self.host)
        compute_utils.add_instance_fault_from_exc(context, instance, exc, host=self.host)
        migration.status = 'error'
        migration.save()
