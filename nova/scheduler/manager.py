"""nova-scheduler's manager: chooses hosts, and maps new hosts to cells.

Host selection (Placement candidates, filters, weighers) arrives with the
boot flow; this service already runs the periodic host discovery operators
enable with ``[scheduler] discover_hosts_in_cells_interval``.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

import nova.conf
from nova import manager
from nova.objects import host_mapping

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class SchedulerManager(manager.Manager):
    target = messaging.Target(version='4.0')

    def __init__(self, *args, **kwargs):
        super().__init__(service_name='scheduler', *args, **kwargs)

    def ping(self, context, arg):
        return {'service': 'scheduler', 'arg': arg}

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
