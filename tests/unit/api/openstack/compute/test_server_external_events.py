"""``/os-server-external-events``: events from other services reach the servers' computes."""

import uuid

import pytest

from nova.compute import rpcapi as compute_rpcapi
from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.api.openstack.compute.test_servers import cloud  # noqa: F401
from tests.unit.api.stored_servers import stored_server


@pytest.fixture
def casts(monkeypatch):
    """Record what the API casts to compute (no nova-compute runs in unit tests)."""
    sent = []

    def _record(self, ctxt, instances, events, host=None):
        sent.append((host, sorted(i.uuid for i in instances),
                     [(e.instance_uuid, e.name, e.tag) for e in events]))
    monkeypatch.setattr(compute_rpcapi.ComputeAPI, 'external_instance_event', _record)
    return sent


def test_external_events(admin, cell1, cloud, casts):  # noqa: F811
    on_host1 = stored_server(cell1)
    on_host2 = stored_server(cell1, host='host2')
    no_host = stored_server(cell1, host=None)
    req = sample('os-server-external-events/event-create-req.json')
    req['events'][0].update(server_uuid=on_host1.uuid, name='network-changed')
    res = admin.post('/os-server-external-events', req)
    assert res.status_int == 200, res.body
    expected = sample('os-server-external-events/event-create-resp.json')['events'][0]
    event = res.json_body_or_none['events'][0]
    assert sorted(event) == sorted(expected)
    assert event['code'] == 200 and event['status'] == 'completed'
    assert casts == [('host1', [on_host1.uuid], [(on_host1.uuid, 'network-changed', 'foo')])]

    del casts[:]
    missing = str(uuid.uuid4())
    events = [
        {'name': 'network-vif-plugged', 'server_uuid': on_host1.uuid, 'tag': 'p1'},
        {'name': 'network-vif-plugged', 'server_uuid': on_host2.uuid, 'tag': 'p2'},
        {'name': 'network-vif-deleted', 'server_uuid': missing},
        {'name': 'network-changed', 'server_uuid': no_host.uuid},
        {'name': 'power-update', 'server_uuid': on_host1.uuid, 'tag': 'SIDEWAYS'},
        {'name': 'power-update', 'server_uuid': on_host2.uuid, 'tag': 'POWER_OFF'},
    ]
    res = admin.post('/os-server-external-events', {'events': events}, version='2.76')
    assert res.status_int == 207, res.body
    codes = [(e['code'], e['status']) for e in res.json_body_or_none['events']]
    assert codes == [(200, 'completed'), (200, 'completed'), (404, 'failed'),
                     (422, 'failed'), (400, 'failed'), (200, 'completed')]
    assert sorted(casts) == [
        ('host1', [on_host1.uuid], [(on_host1.uuid, 'network-vif-plugged', 'p1')]),
        ('host2', [on_host2.uuid], [(on_host2.uuid, 'network-vif-plugged', 'p2'),
                                    (on_host2.uuid, 'power-update', 'POWER_OFF')])]

    # Nothing deliverable at all: 404.
    msg = _error(admin.post('/os-server-external-events', {'events': [
        {'name': 'network-changed', 'server_uuid': missing}]}), 404)
    assert msg == 'No instances found for any event'


@pytest.mark.parametrize('name,version', [('volume-extended', '2.51'),
                                          ('power-update', '2.76'),
                                          ('accelerator-request-bound', '2.82'),
                                          ('volume-reimaged', '2.93')])
def test_external_event_names_per_version(admin, cell1, cloud, casts, max_version,  # noqa: F811
                                          name, version):
    instance = stored_server(cell1)
    event = {'name': name, 'server_uuid': instance.uuid, 'tag': 'POWER_ON'}
    major, minor = version.split('.')
    before = '%s.%d' % (major, int(minor) - 1)
    _error(admin.post('/os-server-external-events', {'events': [event]}, version=before),
           400)
    res = admin.post('/os-server-external-events', {'events': [event]}, version=version)
    assert res.status_int == 200, res.body


@pytest.mark.parametrize('body', [
    {}, {'events': []}, {'events': 'x'}, {'events': [{}]},
    {'events': [{'name': 'network-changed'}]},
    {'events': [{'name': 'network-changed', 'server_uuid': 'nope'}]},
    {'events': [{'name': 'bogus', 'server_uuid': str(uuid.uuid4())}]},
    {'events': [{'name': 'network-changed', 'server_uuid': str(uuid.uuid4()),
                 'status': 'done'}]},
    {'events': [{'name': 'network-changed', 'server_uuid': str(uuid.uuid4()),
                 'tag': 'x' * 256}]},
    {'events': [{'name': 'network-changed', 'server_uuid': str(uuid.uuid4()),
                 'extra': 1}]},
])
def test_external_events_bad_input(admin, cloud, body):  # noqa: F811
    _error(admin.post('/os-server-external-events', body), 400)


def test_external_events_malformed_json(admin, cloud):  # noqa: F811
    assert _error(admin.post('/os-server-external-events', raw=b'{"events": [{'), 400) == \
        'Malformed request body'
    _error(admin.post('/os-server-external-events', raw=b'[]'), 400)


def test_external_events_need_admin(user, cloud):  # noqa: F811
    _error(user.post('/os-server-external-events', {'events': [
        {'name': 'network-changed', 'server_uuid': str(uuid.uuid4())}]}), 403)
