"""The report client's frees never fail the operation that asks for them."""

from nova import context as nova_context
from nova.scheduler.client import report


def test_freeing_without_a_configured_placement_answers_false():
    # No [placement] credentials here: keystoneauth cannot find the endpoint.
    client = report.SchedulerReportClient()
    ctxt = nova_context.get_admin_context()
    assert client.delete_allocation_for_instance(
        ctxt, '4f1b7a52-52c5-4e5e-9d3c-3a4a1a0e3c11') is False
