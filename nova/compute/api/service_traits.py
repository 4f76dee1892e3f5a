"""Keep the COMPUTE_STATUS_DISABLED trait of a compute's providers in step with the service.

Upstream asks the compute over RPC to update its own providers; here the API
sets the trait directly in Placement when an operator enables or disables a
nova-compute service, which has the same effect on scheduling (the scheduler
forbids the trait) without a running compute. Failures are logged, never
raised: the service record, the source of truth, is already saved.
"""

import os_traits
from oslo_log import log as logging

from nova import context as nova_context
from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)
TRAIT = os_traits.COMPUTE_STATUS_DISABLED


def sync_disabled_trait(context, cell, service, reportclient=None):
    """Add (service disabled) or remove (enabled) the trait on every node of the host."""
    if service.binary != 'nova-compute':
        return
    if reportclient is None:
        from nova.scheduler.client import report
        reportclient = report.SchedulerReportClient()
    with nova_context.target_cell(context, cell) as cctxt:
        try:
            nodes = objects.ComputeNodeList.get_all_by_host(cctxt, service.host)
        except exception.ComputeHostNotFound:
            nodes = []
    for node in nodes:
        try:
            reportclient.change_provider_trait(context, node.uuid, TRAIT,
                                               bool(service.disabled))
        except Exception:
            LOG.warning('Could not %s trait %s on provider %s of host %s',
                        'set' if service.disabled else 'clear', TRAIT, node.uuid,
                        service.host, exc_info=True)
