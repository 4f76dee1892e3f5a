"""The instance usage audit in an in-process cloud (API, conductor, scheduler,
one fake compute, real Placement, Glance and RabbitMQ): once the audit is on,
nova-compute's periodic task writes the task log of the last completed
period, /os-instance_usage_audit_log shows the host done with the instances
that ran in that period, and instance.exists reaches a listener on
``versioned_notifications``.

Servers booted now did not run in a period that is already over, so two of
them are given launch (and one a termination) times inside it, straight in
the cell database, before the audit is switched on.
"""

import datetime

import pytest
import sqlalchemy as sa

from nova import audit_period
from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import glance_url  # noqa: F401
from tests.functional.notifications import test_versioned_notifications as versioned

HOST = 'audit-compute'
EXTRA = '\n[DEFAULT]\nsync_power_state_interval = 1\n' + versioned.EXTRA


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    collector = versioned._Collector()
    with cloud.running_cloud(
            tmp_path_factory.mktemp('auditcloud'), glance_url=glance_url, hosts=(HOST,),
            extra=EXTRA,
            before_services=lambda conf: versioned._listening(conf, collector)) as env:
        env['notifications'] = collector
        try:
            yield env
        finally:
            env['conf'].clear_override('instance_usage_audit')


def _wait_active(client, server_id):
    def active():
        resp = client.get('/servers/%s' % server_id)
        return resp.status_int == 200 and resp.json_body_or_none['server']['status'] == 'ACTIVE'
    wait_for(active, what='server %s ACTIVE' % server_id)


def _wait_gone(client, server_id):
    wait_for(lambda: client.get('/servers/%s' % server_id).status_int == 404,
             what='server %s deleted' % server_id)


def _set_times(conf, server_id, **times):
    engine = sa.create_engine(conf.database.connection)
    try:
        with engine.begin() as connection:
            instances = sa.Table('instances', sa.MetaData(), autoload_with=connection)
            result = connection.execute(sa.update(instances).where(
                instances.c.uuid == server_id).values(**times))
            assert result.rowcount == 1
    finally:
        engine.dispose()


def _audit_log(admin):
    resp = admin.get('/os-instance_usage_audit_log')
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['instance_usage_audit_logs']


def test_usage_audit_logs_the_period_and_sends_instance_exists(cloud_env):
    client, admin, conf = cloud_env['client'], cloud_env['admin'], cloud_env['conf']
    servers = {}
    for name in ('ran-all-period', 'deleted-in-period', 'booted-now'):
        resp = client.post('/servers', {'server': {
            'name': name, 'imageRef': cloud_env['image'], 'flavorRef': '1'}})
        assert resp.status_int == 202, resp.body
        servers[name] = resp.json_body_or_none['server']['id']
    for server_id in servers.values():
        _wait_active(client, server_id)
    assert client.delete('/servers/%s' % servers['deleted-in-period']).status_int == 204
    _wait_gone(client, servers['deleted-in-period'])

    begin, end = audit_period.last_completed()
    _set_times(conf, servers['ran-all-period'], launched_at=begin - datetime.timedelta(days=3))
    _set_times(conf, servers['deleted-in-period'], launched_at=begin + datetime.timedelta(
        minutes=10), terminated_at=begin + datetime.timedelta(minutes=20))

    before = _audit_log(admin)
    assert (before['num_hosts'], before['num_hosts_done'], before['hosts_not_run']) == (
        1, 0, [HOST])

    conf.set_override('instance_usage_audit', True)
    compute = cloud_env['services'][-1].manager
    compute.set_periodic_spacing('_instance_usage_audit', 1)

    log = wait_for(lambda: (lambda got: got['num_hosts_done'] == 1 and got)(_audit_log(admin)),
                   timeout=60, what='the usage audit of %s' % HOST)
    assert log['period_beginning'] == str(begin) and log['period_ending'] == str(end)
    assert log['overall_status'] == 'ALL hosts done. 0 errors.'
    assert (log['total_instances'], log['total_errors'], log['hosts_not_run']) == (2, 0, [])
    entry = log['log'][HOST]
    assert (entry['state'], entry['instances'], entry['errors']) == ('DONE', 2, 0)
    assert entry['message'].startswith(
        'Instance usage audit ran for host %s, 2 instances in ' % HOST)

    collector = cloud_env['notifications']
    wanted = {servers['ran-all-period'], servers['deleted-in-period']}

    def exists_sent():
        sent = [n for n in collector.received if n['event_type'] == 'instance.exists']
        return {n['payload']['nova_object.data']['uuid'] for n in sent} >= wanted and sent
    sent = wait_for(exists_sent, what='instance.exists of the audited servers')
    assert {n['payload']['nova_object.data']['uuid'] for n in sent} == wanted
    for notification in sent:
        assert notification['publisher_id'] == 'nova-compute:%s' % HOST
        payload = notification['payload']
        assert (payload['nova_object.name'], payload['nova_object.version']) == (
            'InstanceExistsPayload', '2.1')
        period = payload['nova_object.data']['audit_period']['nova_object.data']
        assert period == {
            'audit_period_beginning': begin.strftime('%Y-%m-%dT%H:%M:%SZ'),
            'audit_period_ending': end.strftime('%Y-%m-%dT%H:%M:%SZ')}

    # Once per period: later runs find the task log and send nothing more. oslo
    # notes a run's time as it starts it, so after two new marks one has finished.
    count = len(sent)
    for _ in range(2):
        mark = compute._periodic_last_run['_instance_usage_audit']
        wait_for(lambda: compute._periodic_last_run['_instance_usage_audit'] != mark,
                 what='another run of the usage audit')
    assert len([n for n in collector.received if n['event_type'] == 'instance.exists']) == count
    assert _audit_log(admin)['log'][HOST]['instances'] == 2
