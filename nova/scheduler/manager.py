"""nova-scheduler's manager: chooses hosts, and maps new hosts to cells.

Host selection (Placement candidates, filters, weighers, claims) lives in
``filter_scheduler``; this class is its RPC face, and also runs the periodic
host discovery operators enable with
``[scheduler] discover_hosts_in_cells_interval``.
"""

import threading

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_serialization import jsonutils

import nova.conf
from nova import exception
from nova import manager
from nova.objects import host_mapping
from nova.scheduler.client import report
from nova.scheduler import filter_scheduler
from nova.scheduler import host_manager

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class SchedulerManager(manager.Manager):
    target = messaging.Target(version='4.1')

    def __init__(self, *args, **kwargs):
        super().__init__(service_name='scheduler', *args, **kwargs)
        self.host_manager = host_manager.HostManager()
        self.placement_client = report.SchedulerReportClient()
        self.driver = filter_scheduler.FilterScheduler(self.host_manager,
                                                       self.placement_client)
        # One scheduling decision at a time: concurrent ones would race for
        # the same providers' generations in Placement and for the cached
        # host states, and turn a burst of multi-creates into NoValidHost.
        self._schedule_lock = threading.Lock()

    def ping(self, context, arg):
        return {'service': 'scheduler', 'arg': arg}

    @messaging.expected_exceptions(exception.NoValidHost)
    def select_destinations(self, ctxt, request_spec=None, filter_properties=None,
                            spec_obj=None, instance_uuids=None, return_objects=False,
                            return_alternates=False):
        """Hosts for the servers of ``spec_obj``, claimed in Placement.

        ``request_spec``/``filter_properties`` are the legacy dict arguments
        of very old callers; this project's callers always send ``spec_obj``.
        """
        if spec_obj is None:
            raise exception.NoValidHost(
                reason='select_destinations needs a RequestSpec object (spec_obj)')
        with self._schedule_lock:
            selections = self.driver.select_destinations(
                ctxt, spec_obj, instance_uuids,
                return_alternates=return_alternates and return_objects)
        if not return_objects:
            return jsonutils.to_primitive([picks[0].to_dict() for picks in selections])
        return selections

    def reset(self):
        """Forget cached cells (SIGHUP), e.g. after ``nova-manage cell_v2`` changes."""
        self.host_manager.refresh_cells_caches()

    @manager.periodic_task_decorator(
        spacing=CONF.scheduler.discover_hosts_in_cells_interval, run_immediately=True)
    def _discover_hosts_in_cells(self, context):
        try:
            added = host_mapping.discover_hosts(context)
        except Exception as exc:  # a cell DB down must not kill the scheduler
            LOG.warning('Periodic host discovery failed: %s', exc)
            return
        for mapping in added:
            LOG.info('Discovered host %(host)s in cell %(cell)s',
                     {'host': mapping.host, 'cell': mapping.cell_mapping.identity})
