"""Host-level reads and requests the API makes across cells (os-hosts, the usage audit log).

Services and task logs live in each cell's database; a host's own requests
(maintenance mode, power actions, enabling) go to its nova-compute over RPC,
whose virt driver decides whether it can do them.
"""

from oslo_log import log as logging

from nova.compute import rpcapi as compute_rpcapi
from nova import context as nova_context
from nova import exception
from nova import objects
from nova import servicegroup

LOG = logging.getLogger(__name__)


def _cells(context):
    return [cell for cell in objects.CellMappingList.get_all(context) if not cell.is_cell0()]


def _from_every_cell(context, what, read):
    """``read(cell_context)`` of every cell that answers, concatenated; a cell that
    does not answer is logged and its ``what`` left out."""
    found = []
    for cell in _cells(context):
        try:
            with nova_context.target_cell(context, cell) as cctxt:
                found.extend(read(cctxt))
        except Exception:
            LOG.warning('Cell %s did not answer; its %s are left out', cell.uuid, what,
                        exc_info=True)
    return found


class HostAPI(object):

    def __init__(self):
        self.servicegroup_api = servicegroup.API()

    @property
    def rpcapi(self):
        # Made per request: the API's controllers outlive an RPC transport re-init.
        return compute_rpcapi.ComputeAPI()

    def service_get_all(self, context, disabled=None):
        """Services of every cell that answers (a silent cell is logged and skipped)."""
        return _from_every_cell(context, 'services', lambda cctxt: objects.ServiceList.get_all(
            cctxt, disabled=disabled))

    def task_log_get_all(self, context, task_name, period_beginning, period_ending):
        """Task logs of one task and period, from every cell that answers."""
        return _from_every_cell(context, 'task logs', lambda cctxt: objects.TaskLogList.get_all(
            cctxt, task_name, period_beginning, period_ending))

    @staticmethod
    def _cell_of(context, host_name):
        try:
            return objects.HostMapping.get_by_host(context, host_name).cell_mapping
        except exception.HostMappingNotFound:
            raise exception.ComputeHostNotFound(host=host_name)

    def host_resources(self, context, host_name):
        """(first compute node of the host, its instances); ComputeHostNotFound otherwise."""
        cell = self._cell_of(context, host_name)
        with nova_context.target_cell(context, cell) as cctxt:
            nodes = objects.ComputeNodeList.get_all_by_host(cctxt, host_name)
            if not nodes:
                raise exception.ComputeHostNotFound(host=host_name)
            instances = objects.InstanceList.get_by_host(cctxt, host_name)
        return nodes[0], instances

    def _up_compute(self, context, host_name):
        """The cell context of a running compute host: 404 if unknown, 400 if down."""
        cell = self._cell_of(context, host_name)
        with nova_context.target_cell(context, cell) as cctxt:
            try:
                service = objects.Service.get_by_compute_host(cctxt, host_name)
            except exception.NotFound:
                raise exception.ComputeHostNotFound(host=host_name)
        if not self.servicegroup_api.service_is_up(service):
            raise exception.ComputeServiceUnavailable(host=host_name)
        return cell

    def get_host_uptime(self, context, host_name):
        """The host's ``uptime`` output, asked of its nova-compute."""
        return self.rpcapi.get_host_uptime(context, host_name)

    def set_host_enabled(self, context, host_name, enabled):
        cell = self._up_compute(context, host_name)
        with nova_context.target_cell(context, cell) as cctxt:
            return self.rpcapi.set_host_enabled(cctxt, host_name, enabled)

    def set_host_maintenance(self, context, host_name, mode):
        cell = self._up_compute(context, host_name)
        with nova_context.target_cell(context, cell) as cctxt:
            return self.rpcapi.host_maintenance_mode(cctxt, host_name, mode)

    def host_power_action(self, context, host_name, action):
        cell = self._up_compute(context, host_name)
        with nova_context.target_cell(context, cell) as cctxt:
            return self.rpcapi.host_power_action(cctxt, host_name, action)
