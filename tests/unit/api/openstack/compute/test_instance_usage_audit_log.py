"""``/os-instance_usage_audit_log``: counts and periods of the usage audit."""

import urllib.parse

from tests.unit.api.legacy_cloud import _as
from tests.unit.api.legacy_cloud import _fault
from tests.unit.api.legacy_cloud import cloud  # noqa: F401
from tests.unit.api import test_sample_shapes_legacy as legacy


def test_audit_log_counts(cloud, cell1):  # noqa: F811
    client, _ids = cloud
    legacy.audit_host(cell1, 'host1', True, 3, 1)
    legacy.audit_host(cell1, 'host2', False, 2, 0)
    log = _as(client, 'admin', 'GET', '/os-instance_usage_audit_log').json_body_or_none[
        'instance_usage_audit_logs']
    assert (log['num_hosts'], log['num_hosts_done'], log['num_hosts_running'],
            log['num_hosts_not_run']) == (2, 1, 1, 0)
    assert (log['total_instances'], log['total_errors']) == (5, 1)
    assert log['overall_status'] == '1 of 2 hosts done. 1 errors.'
    assert log['log']['host2']['state'] == 'RUNNING'


def test_audit_log_of_an_earlier_period_and_no_audit(cloud):  # noqa: F811
    client, _ids = cloud
    path = '/os-instance_usage_audit_log/' + urllib.parse.quote('2012-07-05 10:00:00')
    log = _as(client, 'admin', 'GET', path).json_body_or_none['instance_usage_audit_log']
    assert (log['period_beginning'], log['period_ending']) == (
        '2012-06-01 00:00:00', '2012-07-01 00:00:00')
    assert log['hosts_not_run'] == ['host1', 'host2'] and log['log'] == {}
    assert log['overall_status'] == '0 of 2 hosts done. 0 errors.'
    with_fraction = path.replace('00%3A00', '00%3A00.5')
    assert _as(client, 'admin', 'GET', with_fraction).status_int == 200


def test_audit_log_refusals(cloud):  # noqa: F811
    client, _ids = cloud
    _fault(_as(client, 'admin', 'GET', '/os-instance_usage_audit_log/yesterday'), 400)
    for path in ('/os-instance_usage_audit_log',
                 '/os-instance_usage_audit_log/2012-07-05%2010:00:00'):
        _fault(_as(client, 'member', 'GET', path), 403)
