"""Conductor's build orchestration (RPC namespace ``compute_task``).

A new server goes: scheduler picks and claims a host → the instance is
created in that host's cell and mapped there → the build request goes →
the compute host builds it. When no host fits, the instance is "buried" in
cell0 in ERROR with a fault saying why. A compute that fails a build hands
the server back here to try the next alternate host.
"""

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_serialization import jsonutils

import nova.conf
from nova.compute import instance_actions
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova.conductor import evacuate
from nova.conductor import live_migrate
from nova.conductor import migrate
from nova.conductor import rebuild
from nova.conductor import unshelve
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.scheduler.client import report
from nova.scheduler import rpcapi as scheduler_rpcapi

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

SCHEDULE_EVENT = 'conductor_schedule_and_build_instances'


def _details(exc):
    return (exc.format_message() if isinstance(exc, exception.NovaException)
            else type(exc).__name__)


class ComputeTaskManager(migrate.MigrateTaskOperations, rebuild.RebuildTaskMixin,
                         unshelve.UnshelveTaskMixin, evacuate.EvacuateTaskOperations,
                         live_migrate.LiveMigrateTaskOperations):
    """Endpoint for build requests from the API and reschedules from computes,
    and for moves (resize and cold migration: ``nova.conductor.migrate``;
    ``nova.conductor.rebuild``; ``nova.conductor.unshelve``; evacuation:
    ``nova.conductor.evacuate``)."""

    # 1.1: resize_instance
    # 1.2: rebuild_instance, unshelve_instance
    # 1.3: evacuate_instance
    # 1.4: live_migrate_instance
    target = messaging.Target(namespace='compute_task', version='1.4')

    def __init__(self):
        self._scheduler_rpcapi = None
        self._compute_rpcapi = None
        # Placement's client connects on first use, so it can be built now.
        self.reportclient = report.SchedulerReportClient()

    # Clients are built lazily: the RPC transport exists only once the service runs.
    @property
    def scheduler_rpcapi(self):
        if self._scheduler_rpcapi is None:
            self._scheduler_rpcapi = scheduler_rpcapi.SchedulerAPI()
        return self._scheduler_rpcapi

    @property
    def compute_rpcapi(self):
        if self._compute_rpcapi is None:
            self._compute_rpcapi = compute_rpcapi.ComputeAPI()
        return self._compute_rpcapi

    # --- helpers ------------------------------------------------------------------

    @staticmethod
    def _cell_for_host(context, host, cache):
        if host not in cache:
            try:
                cache[host] = objects.HostMapping.get_by_host(context, host).cell_mapping
            except exception.HostMappingNotFound:
                cache[host] = None
        return cache[host]

    @staticmethod
    def _map_to_cell(context, instance_uuid, cell):
        mapping = objects.InstanceMapping.get_by_instance_uuid(context, instance_uuid)
        mapping.cell_mapping = cell
        mapping.save()

    def _bury_in_cell0(self, context, build_request, request_spec, exc, exc_tb=None):
        """Give an unplaceable server a home in cell0, in ERROR, with the reason."""
        cell0 = objects.CellMapping.get_by_uuid(context, objects.CellMapping.CELL0_UUID)
        instance = build_request.get_new_instance(context)
        with nova_context.target_cell(context, cell0) as cctxt:
            instance._context = cctxt
            # Written as the build request had it (building), and in ERROR only once
            # the fault is there: a list in between must never show ERROR without why.
            instance.create()
            objects.InstanceAction.action_start(cctxt, instance.uuid, instance_actions.CREATE,
                                                want_result=False)
            objects.InstanceActionEvent.event_start(cctxt, instance.uuid, SCHEDULE_EVENT,
                                                    want_result=False, host=CONF.host)
            details = _details(exc)
            objects.InstanceActionEvent.event_finish_with_failure(
                cctxt, instance.uuid, SCHEDULE_EVENT, exc_val=details, want_result=False)
            compute_utils.set_error_with_fault(cctxt, instance, exc, exc_tb)
        self._map_to_cell(context, instance.uuid, cell0)
        try:
            build_request.destroy()
        except exception.BuildRequestNotFound:
            # Deleted by the user while we were scheduling: it should not linger.
            with nova_context.target_cell(context, cell0) as cctxt:
                instance._context = cctxt
                instance.destroy()
        LOG.info('Instance %(uuid)s could not be placed and is in cell0 in ERROR: %(why)s',
                 {'uuid': instance.uuid, 'why': details})

    @staticmethod
    def _legacy_filter_properties(selection, num_attempts=1):
        return {'retry': {'num_attempts': num_attempts,
                          'hosts': [[selection.service_host, selection.nodename]]},
                'limits': {}}

    # --- RPC methods ----------------------------------------------------------------

    def schedule_and_build_instances(self, context, build_requests, request_specs, image,
                                     admin_password, injected_files, requested_networks,
                                     block_device_mapping, tags=None):
        instance_uuids = [spec.instance_uuid for spec in request_specs]
        spec = request_specs[0]
        try:
            host_lists = self.scheduler_rpcapi.select_destinations(
                context, spec, instance_uuids, return_objects=True, return_alternates=True)
        except Exception as exc:
            if not isinstance(exc, exception.NoValidHost):
                LOG.exception('Scheduling failed for %s', instance_uuids)
            for build_request, request_spec in zip(build_requests, request_specs):
                self.fail_build_request(context, build_request, request_spec, exc)
            return

        cell_cache = {}
        for build_request, request_spec, host_list in zip(build_requests, request_specs,
                                                          host_lists):
            selection = host_list[0]
            try:
                self._place_and_build(context, build_request, request_spec, host_list,
                                      selection, cell_cache, image, admin_password,
                                      injected_files, requested_networks)
            except Exception as exc:
                LOG.exception('Could not hand instance %s to its host',
                              build_request.instance_uuid)
                self.fail_build_request(context, build_request, request_spec, exc)

    def fail_build_request(self, context, build_request, request_spec, exc, exc_tb=None):
        """End a build that never reached a compute host: ERROR with a fault.

        Whatever step the build got to, what is left is one record, in ERROR,
        in the cell its mapping names, no build request and no allocation. A
        record already written in a host's cell takes the failure there (a
        second one in cell0 would leave it behind, unmapped); without one the
        server is buried in cell0. A record a host has already taken (its
        claim saved: no longer SCHEDULING) is that host's to finish or fail:
        it keeps its state and its allocation.
        """
        uuid = build_request.instance_uuid
        cell, record = compute_utils.find_cell_record(context, uuid)
        if record is None:
            self.reportclient.delete_allocation_for_instance(context, uuid)
            self._bury_in_cell0(context, build_request, request_spec, exc, exc_tb)
            return
        if (record.vm_state, record.task_state) != (vm_states.BUILDING,
                                                    task_states.SCHEDULING):
            self._leave_to_its_host(context, build_request, cell, record, exc, '%s/%s on %s' % (
                record.vm_state, record.task_state, record.host))
            return
        try:
            # Only while no host has taken it (compare-and-swap).
            compute_utils.set_error_with_fault(record._context, record, exc, exc_tb,
                                               expected_vm_state=vm_states.BUILDING,
                                               expected_task_state=task_states.SCHEDULING)
        except exception.InstanceNotFound:
            LOG.info('Instance %s was deleted while its build failed', uuid)
            self.reportclient.delete_allocation_for_instance(context, uuid)
            return
        except (exception.UnexpectedTaskStateError, exception.UnexpectedVMStateError) as err:
            self._leave_to_its_host(context, build_request, cell, record, exc,
                                    err.format_message())
            return
        self.reportclient.delete_allocation_for_instance(context, uuid)
        self._map_to_cell(context, uuid, cell)
        try:
            build_request.destroy()
        except exception.BuildRequestNotFound:
            pass  # removed by us before the failure, or by a DELETE (checked next)
        mapping = objects.InstanceMapping.get_by_instance_uuid(context, uuid)
        if mapping.queued_for_delete:
            # The user deleted the server meanwhile: the record goes too.
            try:
                compute_utils.finish_delete(record._context, record, self.reportclient)
            except exception.InstanceNotFound:
                pass
            return
        LOG.info('Instance %(uuid)s is in ERROR in cell %(cell)s: %(why)s',
                 {'uuid': uuid, 'cell': cell.name or cell.uuid, 'why': _details(exc)})

    def _leave_to_its_host(self, context, build_request, cell, record, exc, state):
        """A record a host has taken is not failed here: only the build request goes."""
        LOG.info('Instance %(uuid)s is no longer waiting for a host (%(state)s): its build '
                 'is left to it, not failed for: %(why)s',
                 {'uuid': record.uuid, 'state': state, 'why': _details(exc)})
        self._map_to_cell(context, record.uuid, cell)
        try:
            build_request.destroy()
        except exception.BuildRequestNotFound:
            pass

    def _place_and_build(self, context, build_request, request_spec, host_list, selection,
                         cell_cache, image, admin_password, injected_files,
                         requested_networks):
        cell = self._cell_for_host(context, selection.service_host, cell_cache)
        if cell is None:
            raise exception.HostMappingNotFound(name=selection.service_host)
        instance = build_request.get_new_instance(context)
        if not instance.availability_zone and selection.obj_attr_is_set(
                'availability_zone') and selection.availability_zone:
            instance.availability_zone = selection.availability_zone
        with nova_context.target_cell(context, cell) as cctxt:
            instance._context = cctxt
            instance.create()
            _create_block_device_mappings(cctxt, instance, build_request)
            objects.InstanceAction.action_start(cctxt, instance.uuid, instance_actions.CREATE,
                                                want_result=False)
        self._map_to_cell(context, instance.uuid, cell)
        try:
            build_request.destroy()
        except exception.BuildRequestNotFound:
            # The user deleted the server while it was being scheduled.
            LOG.info('Instance %s was deleted while scheduling; cleaning up', instance.uuid)
            with nova_context.target_cell(context, cell) as cctxt:
                instance._context = cctxt
                instance.destroy()
            self.reportclient.delete_allocation_for_instance(context, instance.uuid)
            return
        with nova_context.target_cell(context, cell) as cctxt:
            instance._context = cctxt
            self.compute_rpcapi.build_and_run_instance(
                cctxt, instance=instance, host=selection.service_host, image=image,
                request_spec=request_spec,
                filter_properties=self._legacy_filter_properties(selection),
                admin_password=admin_password, injected_files=injected_files,
                requested_networks=requested_networks, security_groups=[],
                block_device_mapping=[], node=selection.nodename, limits=None,
                host_list=host_list)

    def build_instances(self, context, instances, image, filter_properties, admin_password,
                        injected_files, requested_networks, security_groups,
                        block_device_mapping, request_spec=None, host_lists=None):
        """Reschedule: claim the next alternate that still fits and send the build there."""
        filter_properties = dict(filter_properties or {})
        retry = dict(filter_properties.get('retry') or {'num_attempts': 1, 'hosts': []})
        retry['num_attempts'] = retry.get('num_attempts', 1) + 1
        for index, instance in enumerate(instances):
            alternates = list((host_lists or [[]])[index] if host_lists else [])
            chosen = None
            while alternates and retry['num_attempts'] <= CONF.scheduler.max_attempts:
                candidate = alternates.pop(0)
                claim = (jsonutils.loads(candidate.allocation_request)
                         if candidate.allocation_request else None)
                if claim is None or self.reportclient.claim_resources(
                        context, instance.uuid, claim, instance.project_id, instance.user_id,
                        allocation_request_version=candidate.allocation_request_version):
                    chosen = candidate
                    break
            if chosen is None:
                reason = ('Exhausted all hosts available for retrying build failures for '
                          'instance %s.' % instance.uuid)
                exc = exception.MaxRetriesExceeded(reason=reason)
                LOG.error(reason)
                compute_utils.set_error_with_fault(context, instance, exc)
                continue
            retry['hosts'] = list(retry.get('hosts') or []) + [[chosen.service_host,
                                                                  chosen.nodename]]
            filter_properties['retry'] = retry
            self.compute_rpcapi.build_and_run_instance(
                context, instance=instance, host=chosen.service_host, image=image,
                request_spec=request_spec, filter_properties=filter_properties,
                admin_password=admin_password, injected_files=injected_files,
                requested_networks=requested_networks, security_groups=security_groups,
                block_device_mapping=block_device_mapping, node=chosen.nodename,
                limits=None, host_list=[chosen] + alternates)


_BDM_FIELDS = ('source_type', 'destination_type', 'boot_index', 'device_name', 'volume_size',
               'delete_on_termination', 'guest_format', 'device_type', 'disk_bus',
               'volume_type', 'tag', 'volume_id', 'snapshot_id', 'image_id')


def _create_block_device_mappings(cctxt, instance, build_request):
    """The request's volume mappings, now that the instance has its cell."""
    if not build_request.obj_attr_is_set('block_device_mappings'):
        return
    for bdm in build_request.block_device_mappings:
        values = {k: getattr(bdm, k) for k in _BDM_FIELDS if bdm.obj_attr_is_set(k)}
        objects.BlockDeviceMapping(cctxt, instance_uuid=instance.uuid, **values).create()
