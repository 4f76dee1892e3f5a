"""Deprecated resources old clients still call, against upstream's samples by shape.

``/extensions``, ``/os-hosts`` (below 2.43) and ``/os-instance_usage_audit_log``
over the seeded cloud plus what they read: host1 mapped to its cell, a
conductor and a scheduler (the internal zone), and task logs of the last
completed audit period for host1 and a second compute.  os-hosts' host
requests make real compute RPC calls that a host1 endpoint answers over the
fake virt driver (tests/unit/api/host_rpc.py).
"""

from oslo_utils import timeutils
import pytest

from nova.api.openstack.compute import instance_usage_audit_log as audit_log
from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import Client
from tests.unit.api import host_rpc
from tests.unit.api import shapes
from tests.unit.api.shapes import Case

FOLDERS = ('extension-info', 'os-hosts', 'os-instance-usage-audit-log')


def add_services(cell):
    """A conductor, a scheduler and a second compute (host2) in ``cell``."""
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        for host, binary, topic in (('ctl1', 'nova-conductor', 'conductor'),
                                    ('ctl1', 'nova-scheduler', 'scheduler'),
                                    ('host2', 'nova-compute', 'compute')):
            objects.Service(context=cctxt, host=host, binary=binary, topic=topic,
                            last_seen_up=timeutils.utcnow()).create()


def map_host(cell, host='host1'):
    ctxt = nova_context.get_admin_context()
    objects.HostMapping(context=ctxt, host=host, cell_mapping=cell).create()


def audit_host(cell, host, done, instances, errors, before=None):
    """A task log of the last completed audit period before ``before`` for ``host``."""
    beginning, ending = audit_log.last_completed_period(before)
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        entry = objects.TaskLog(cctxt, task_name=audit_log.TASK_NAME, host=host,
                                period_beginning=beginning, period_ending=ending,
                                task_items=instances, message='started')
        entry.begin_task()
        if done:
            entry.errors = errors
            entry.message = 'audited %d instances on %s' % (instances, host)
            entry.end_task()


@pytest.fixture
def cloud(paste_app, cell1, max_version, seeded_ids):
    add_services(cell1)
    map_host(cell1)
    audit_host(cell1, 'host1', True, 2, 1)
    audit_host(cell1, 'host2', True, 1, 0)
    with host_rpc.serving():
        yield Client(paste_app), seeded_ids


CASES = (
    Case('extension-info/extensions-list-resp.json', 'GET', '/extensions'),
    Case('extension-info/extensions-get-resp.json', 'GET', '/extensions/os-agents'),
    Case('os-hosts/hosts-list-resp.json', 'GET', '/os-hosts'),
    Case('os-hosts/host-get-resp.json', 'GET', '/os-hosts/host1'),
    Case('os-hosts/host-put-maintenance-resp.json', 'PUT', '/os-hosts/host1',
         'os-hosts/host-put-maintenance-req.json'),
    Case('os-instance-usage-audit-log/inst-usage-audit-log-index-get-resp.json', 'GET',
         '/os-instance_usage_audit_log'),
    Case('os-instance-usage-audit-log/inst-usage-audit-log-show-get-resp.json', 'GET',
         '/os-instance_usage_audit_log/%s' % timeutils.utcnow().strftime('%Y-%m-%d%%20%H:%M:%S')),
)

# os-hosts names its power-action answers without '-resp'; they are cases too.
POWER_CASES = tuple(
    Case('os-hosts/host-get-%s.json' % action, 'GET', '/os-hosts/host1/%s' % action)
    for action in ('reboot', 'shutdown', 'startup'))

# The v2.0-compatible list is what /v2 clients get (test below), not a microversion.
WAIVED = {
    'extension-info/extensions-list-resp-v21-compatible.json':
        'the /v2 (legacy) answer; checked by test_legacy_v2_list_adds_the_vif_extension',
}


@pytest.mark.parametrize('case', CASES + POWER_CASES, ids=lambda case: case.sample)
def test_response_matches_sample(cloud, case):
    client, ids = cloud
    shapes.assert_matches(client, case, ids)


def test_legacy_v2_list_adds_the_vif_extension(cloud):
    client, _ids = cloud
    name = 'extension-info/extensions-list-resp-v21-compatible.json'
    res = client.get('/v2/extensions')
    assert res.status_int == 200, res.body
    got = res.json_body_or_none
    assert shapes.diff(shapes.load(name), got) == []
    assert [e['alias'] for e in got['extensions']] == [
        e['alias'] for e in shapes.load(name)['extensions']]


def test_every_response_sample_is_checked():
    assert shapes.unclaimed(FOLDERS, CASES, WAIVED) == []
