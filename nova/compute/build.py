"""The compute manager's build: claim, spawn, and reschedule or fail.

A mixin of ComputeManager: RPC methods stay on the manager (the endpoint),
the work lives here. Builds run in a bounded thread pool so a burst of
requests cannot start more concurrent spawns than ``[DEFAULT]
max_concurrent_builds``.
"""

import concurrent.futures
import sys

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova.compute import block_devices
from nova.compute import bookkeeping
from nova.compute import operations
from nova.compute import ports
from nova.compute import power_state
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import exception
from nova import manager
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

BUILD_EVENT = 'compute_build_and_run_instance'
_UNLIMITED_BUILDS = 64
# Errors that no other host can fix (the image itself is unusable): the build
# is aborted rather than rescheduled, as upstream does.
_ABORT_BUILD_ERRORS = (exception.ImageNotActive, exception.ImageNotFound,
                       exception.ImageUnacceptable, exception.VolumeNotCreated,
                       exception.VolumeNotFound, exception.InvalidVolume)
# The record moved on without this host: the user deleted the server, or
# conductor ended the build (instance_build_timeout) before the host took it.
_ENDED_ELSEWHERE = (exception.InstanceNotFound, exception.UnexpectedTaskStateError,
                    exception.UnexpectedVMStateError)


class BuildOperations(operations.InstanceOperations):
    """build_and_run_instance for ComputeManager."""

    def _init_build_executor(self):
        workers = CONF.max_concurrent_builds or _UNLIMITED_BUILDS
        self._build_executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix='build')

    # --- build ------------------------------------------------------------------------

    def build_and_run_instance(self, context, instance, image, request_spec,
                               filter_properties, admin_password=None, injected_files=None,
                               requested_networks=None, security_groups=None,
                               block_device_mapping=None, node=None, limits=None,
                               host_list=None, accel_uuids=None):
        """Cast from conductor: build in the background and return at once."""
        self._build_executor.submit(
            self._locked_build, context, instance, image, request_spec,
            filter_properties or {}, admin_password, injected_files or [],
            requested_networks, security_groups or [], block_device_mapping or [], node,
            host_list or [])

    def _locked_build(self, context, instance, *args):
        try:
            with self._instance_lock(instance.uuid):
                self._do_build_and_run_instance(context, instance, *args)
        except Exception:
            LOG.exception('Unexpected error building instance %s', instance.uuid)
        finally:
            self._forget_instance_lock(instance.uuid)

    def _do_build_and_run_instance(self, context, instance, image, request_spec,
                                   filter_properties, admin_password, injected_files,
                                   requested_networks, security_groups,
                                   block_device_mapping, node, host_list):
        node = node or self.driver.get_available_nodes()[0]
        try:
            with compute_utils.event_reporter(context, BUILD_EVENT, self.host, instance.uuid):
                self._build_and_run_instance(context, instance, image, node,
                                             admin_password, injected_files,
                                             requested_networks, request_spec)
        except exception.RescheduledException as exc:
            self._reschedule_or_fail(context, instance, exc, image, request_spec,
                                     filter_properties, admin_password, injected_files,
                                     requested_networks, security_groups,
                                     block_device_mapping, host_list)
        except _ENDED_ELSEWHERE as exc:
            LOG.info('Instance %s was deleted, or its build ended, before or while it was '
                     'being built here (%s)', instance.uuid, exc.format_message())
            self.reportclient.delete_allocation_for_instance(context, instance.uuid)
        except Exception as exc:
            self._fail_build(context, instance, exc, sys.exc_info()[2])

    def _build_and_run_instance(self, context, instance, image, node, admin_password,
                                injected_files, requested_networks=None,
                                request_spec=None):
        compute_utils.notify_legacy_instance_usage(context, instance, self.host,
                                                   'create.start')
        compute_utils.notify_about_instance_create(context, instance, self.host,
                                                   phase='start')
        try:
            self._claim_and_spawn(context, instance, image, node, admin_password,
                                  injected_files, requested_networks, request_spec)
        except _ENDED_ELSEWHERE:
            raise
        except Exception as exc:
            # Report what the driver raised, not the reschedule wrapped around it.
            cause = exc.__cause__ if isinstance(exc, (exception.RescheduledException,
                                                      exception.BuildAbortException)) else None
            compute_utils.notify_about_instance_create(context, instance, self.host,
                                                       phase='error', exception=cause or exc)
            compute_utils.notify_legacy_instance_usage(context, instance, self.host,
                                                       'create.error', exception=cause or exc)
            raise
        compute_utils.notify_about_instance_create(context, instance, self.host, phase='end')
        compute_utils.notify_legacy_instance_usage(context, instance, self.host, 'create.end')

    def _claim_and_spawn(self, context, instance, image, node, admin_password,
                         injected_files, requested_networks=None, request_spec=None):
        # One save takes the instance from SCHEDULING onto this host and into
        # SPAWNING; it fails if the user deleted the server meanwhile.
        self.rt.instance_claim(context, instance, node)
        instance.vm_state = vm_states.BUILDING
        instance.task_state = task_states.SPAWNING
        try:
            bookkeeping.save_claimed(context, instance, self.host)
        except Exception:
            self.rt.forget_instance(context, instance)
            raise
        network_info = []
        try:
            # Ports bound to this host before the guest exists, so Neutron
            # has wired them (and says so) by the time the guest starts.
            network_info = ports.allocate(context, instance, requested_networks, self.host,
                                          request_spec)
            image_meta = objects.ImageMeta.from_dict(image or {})
            # Not done here: with [glance] verify_glance_signatures, the image
            # downloaded for the guest would be checked against its Glance
            # signature, and the signing certificate against
            # instance.trusted_certs (2.63), both fetched from a key manager
            # (castellan/Barbican), failing the build without a reschedule.
            # This cloud runs no key manager; the API only records the IDs.
            block_device_info = block_devices.prepare(context, self.driver, instance)
            self.driver.spawn(context, instance, image_meta, injected_files, admin_password,
                              allocations=None, network_info=network_info,
                              block_device_info=block_device_info)
            block_devices.complete(context, block_device_info)
        except Exception as exc:
            LOG.warning('Build of instance %s failed on %s: %s', instance.uuid, self.host,
                        exc)
            self._cleanup_failed_spawn(context, instance, network_info, requested_networks)
            if isinstance(exc, _ABORT_BUILD_ERRORS + ports.ABORT_ERRORS):
                raise exception.BuildAbortException(
                    instance_uuid=instance.uuid, reason=exc.format_message()) from exc
            if ports.is_service_failure(exc):
                # Neutron is down or failing for every host alike: another
                # host would fail the same way.
                raise exception.BuildAbortException(
                    instance_uuid=instance.uuid,
                    reason='%s %s' % (ports.NOT_RESCHEDULING, exc.format_message())) from exc
            raise exception.RescheduledException(
                instance_uuid=instance.uuid, reason=str(exc) or type(exc).__name__) from exc
        try:
            state = self.driver.get_info(instance).state
        except exception.InstanceNotFound:
            state = power_state.NOSTATE
        instance.power_state = state
        instance.vm_state = vm_states.ACTIVE
        instance.task_state = None
        instance.launched_at = timeutils.utcnow()
        try:
            bookkeeping.save_spawned(context, instance, self.host)
        except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
            # Deleted while spawning: the delete owns the guest now.
            self._cleanup_failed_spawn(context, instance, network_info, requested_networks)
            raise
        LOG.info('Instance %s spawned on %s', instance.uuid, self.host)

    def _cleanup_failed_spawn(self, context, instance, network_info=None,
                              requested_networks=None):
        try:
            self.driver.destroy(context, instance, network_info=network_info or [])
        except Exception:
            LOG.exception('Could not clean up the failed spawn of %s', instance.uuid)
        block_devices.abort(context, instance)
        # Nothing of the failed attempt stays bound here: a reschedule
        # allocates afresh on the next host.
        ports.release(context, instance, network_info or [], requested_networks)
        self.rt.abort_instance_claim(context, instance)

    def _reschedule_or_fail(self, context, instance, exc, image, request_spec,
                            filter_properties, admin_password, injected_files,
                            requested_networks, security_groups, block_device_mapping,
                            host_list):
        retry = (filter_properties or {}).get('retry') or {}
        attempts = retry.get('num_attempts', 1)
        alternates = list(host_list[1:]) if host_list else []
        if not alternates or attempts >= CONF.scheduler.max_attempts:
            self._fail_build(context, instance, exc, None)
            return
        LOG.info('Rescheduling instance %s away from %s (attempt %d)', instance.uuid,
                 self.host, attempts)
        compute_utils.add_instance_fault_from_exc(context, instance, exc, host=self.host)
        self.reportclient.delete_allocation_for_instance(context, instance.uuid)
        instance.task_state = task_states.SCHEDULING
        instance.host = None
        instance.node = None
        instance.save()
        self.compute_task_api.build_instances(
            context, [instance], image, filter_properties, admin_password, injected_files,
            requested_networks, security_groups, block_device_mapping,
            request_spec=request_spec, host_lists=[alternates])

    # --- builds past [DEFAULT] instance_build_timeout ----------------------------------

    @manager.periodic_task_decorator(spacing=60)
    def _check_instance_build_time(self, context):
        """Put this host's builds older than ``instance_build_timeout`` in ERROR.

        Whatever stopped them (a message lost, a service killed), a build
        that has run that long is over: ERROR with a fault saying so, the
        allocation kept until the user deletes the server, as after any
        failed build on a host. 0 (the default) disables the check.
        """
        timeout = CONF.instance_build_timeout
        if not timeout:
            return
        try:
            building = objects.InstanceList.get_by_filters(
                context, {'vm_state': vm_states.BUILDING, 'host': self.host,
                          'deleted': False}, expected_attrs=[])
        except Exception as exc:
            LOG.warning('Could not list the builds of %s: %s', self.host, exc)
            return
        for instance in building:
            if not timeutils.is_older_than(instance.created_at, timeout):
                continue
            exc = exception.InstanceBuildTimeout(instance_uuid=instance.uuid,
                                                 timeout=timeout)
            LOG.warning(exc.format_message())
            try:
                instance.vm_state = vm_states.ERROR
                instance.task_state = None
                instance.save(expected_vm_state=vm_states.BUILDING)
                compute_utils.add_instance_fault_from_exc(context, instance, exc,
                                                          host=self.host)
            except (exception.InstanceNotFound, exception.UnexpectedTaskStateError,
                    exception.UnexpectedVMStateError):
                pass  # finished or deleted meanwhile
            except Exception as err:
                LOG.warning('Could not end the build of %s: %s', instance.uuid, err)

    def _fail_build(self, context, instance, exc, exc_tb):
        """ERROR with a fault, and the claim freed, for a build still BUILDING.

        One no longer BUILDING is left as it is, allocation included: saved
        ACTIVE before something after it failed, or already ended (put in
        ERROR by a build timeout, with its own fault).
        """
        LOG.error('Build of instance %s failed: %s', instance.uuid, exc)
        try:
            # (The fault is shown only with ERROR: one left on a server the
            # save does not end is not shown.)
            compute_utils.set_error_with_fault(context, instance, exc, exc_tb, host=self.host,
                                               expected_vm_state=vm_states.BUILDING)
        except exception.InstanceNotFound:
            LOG.info('Instance %s was deleted while its build failed', instance.uuid)
        except exception.UnexpectedVMStateError as err:
            LOG.warning('The failure of the build of %s is not recorded: %s', instance.uuid,
                        err.format_message())
            return
        self.reportclient.delete_allocation_for_instance(context, instance.uuid)
