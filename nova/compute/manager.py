"""nova-compute's manager: owns one host's hypervisor through a virt driver.

It reaches the database only through objects (whose remotable methods run in
conductor) and Placement through the report client.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

import nova.conf
from nova.compute import resource_tracker
from nova import context as nova_context
from nova import exception
from nova import manager
from nova.scheduler.client import report
from nova.virt import driver as virt_driver

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class ComputeVirtAPI(object):
    """What drivers may ask of the compute manager (kept tiny on purpose)."""

    def __init__(self, compute):
        self._compute = compute


class ComputeManager(manager.Manager):
    target = messaging.Target(version='6.0')

    def __init__(self, compute_driver=None, *args, **kwargs):
        super().__init__(service_name='compute', *args, **kwargs)
        self.virtapi = ComputeVirtAPI(self)
        self.driver = virt_driver.load_compute_driver(self.virtapi, compute_driver)
        self.reportclient = report.SchedulerReportClient()
        self.rt = resource_tracker.ResourceTracker(self.host, self.driver, self.reportclient)
        self.service_ref = None

    def init_host(self, service_ref=None):
        self.driver.init_host(host=self.host)

    def pre_start_hook(self, service_ref=None):
        """Record the node(s) and report them to Placement before taking requests."""
        self.service_ref = service_ref
        self.update_available_resource(nova_context.get_admin_context(), startup=True)

    def cleanup_host(self):
        self.driver.cleanup_host(host=self.host)

    def ping(self, context, arg):
        return {'service': 'compute', 'host': self.host, 'arg': arg}

    @manager.periodic_task_decorator(spacing=CONF.update_resources_interval,
                                     run_immediately=True)
    def update_available_resource(self, context, startup=False):
        if self.service_ref is None:
            return
        for nodename in self.driver.get_available_nodes(refresh=True):
            try:
                self.rt.update_available_resource(context, nodename, self.service_ref.id,
                                                  startup=startup)
            except exception.InvalidNodeConfiguration:
                raise
            except messaging.MessagingTimeout as exc:
                LOG.warning('Conductor did not answer while updating node %s: %s',
                            nodename, exc)
            except Exception:
                LOG.exception('Error updating resources for node %s.', nodename)

    def get_compute_nodes(self):
        return dict(self.rt.compute_nodes)


