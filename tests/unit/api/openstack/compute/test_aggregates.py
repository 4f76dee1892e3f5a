"""os-aggregates and os-availability-zone over real API/cell databases (no Placement:
the mirror's failures are logged and do not fail the API call, as upstream)."""

import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_services import compute  # noqa: F401


@pytest.fixture
def no_placement(monkeypatch):
    """Placement is not running in the unit tier: record what would be mirrored."""
    from nova.scheduler.client import report
    calls = []
    monkeypatch.setattr(report.SchedulerReportClient, 'aggregate_add_host',
                        lambda self, ctx, agg, rp: calls.append(('add', agg, rp)))
    monkeypatch.setattr(report.SchedulerReportClient, 'aggregate_remove_host',
                        lambda self, ctx, agg, rp: calls.append(('remove', agg, rp)))
    return calls


def _create(admin, name='agg1', zone=None, version=None):
    body = {'aggregate': {'name': name}}
    if zone is not None:
        body['aggregate']['availability_zone'] = zone
    return admin.post('/os-aggregates', body, version=version)


def test_aggregate_crud_and_shapes(admin, cell1, max_version):
    res = _create(admin, zone='london', version='2.41')
    assert res.status_int == 200, res.body
    created = res.json_body_or_none['aggregate']
    assert sorted(created) == sorted(sample('os-aggregates/v2.41/aggregate-post-resp.json')
                                     ['aggregate'])
    agg_id = created['id']
    shown = admin.get('/os-aggregates/%s' % agg_id, version='2.81').json_body_or_none
    assert sorted(shown['aggregate']) == sorted(
        sample('os-aggregates/v2.81/aggregates-get-resp.json')['aggregate'])
    assert shown['aggregate']['metadata'] == {'availability_zone': 'london'}
    old = admin.get('/os-aggregates/%s' % agg_id).json_body_or_none['aggregate']
    assert 'uuid' not in old
    assert _create(admin).status_int == 409
    res = admin.put('/os-aggregates/%s' % agg_id,
                    {'aggregate': {'name': 'newname', 'availability_zone': 'nova2'}})
    assert res.status_int == 200
    assert res.json_body_or_none['aggregate']['availability_zone'] == 'nova2'
    res = admin.post('/os-aggregates/%s/action' % agg_id,
                     {'set_metadata': {'metadata': {'key': 'value', 'absent': None}}})
    assert res.json_body_or_none['aggregate']['metadata'] == {
        'availability_zone': 'nova2', 'key': 'value'}
    res = admin.post('/os-aggregates/%s/action' % agg_id,
                     {'set_metadata': {'metadata': {'key': None}}})
    assert res.json_body_or_none['aggregate']['metadata'] == {'availability_zone': 'nova2'}
    listed = admin.get('/os-aggregates').json_body_or_none['aggregates']
    assert [a['name'] for a in listed] == ['newname']
    assert admin.delete('/os-aggregates/%s' % agg_id).status_int == 200
    assert admin.get('/os-aggregates/%s' % agg_id).status_int == 404
    assert admin.delete('/os-aggregates/%s' % agg_id).status_int == 404


@pytest.mark.parametrize('method,path,body', [
    ('POST', '/os-aggregates', {}),
    ('POST', '/os-aggregates', {'aggregate': {}}),
    ('POST', '/os-aggregates', {'aggregate': {'name': ''}}),
    ('POST', '/os-aggregates', {'aggregate': {'name': 'x' * 256}}),
    ('POST', '/os-aggregates', {'aggregate': {'name': 'a', 'availability_zone': 'a:b'}}),
    ('POST', '/os-aggregates', {'aggregate': {'name': 'a', 'extra': 1}}),
    ('POST', '/os-aggregates', {'aggregate': {'name': 'a', 'availability_zone': 'internal'}}),
    ('PUT', '/os-aggregates/1', {'aggregate': {}}),
    ('PUT', '/os-aggregates/abc', {'aggregate': {'name': 'b'}}),
    ('GET', '/os-aggregates/abc', None),
    ('DELETE', '/os-aggregates/abc', None),
    ('POST', '/os-aggregates/1/action', {'add_host': {}}),
    ('POST', '/os-aggregates/1/action', {'add_host': {'host': 'bad host!'}}),
    ('POST', '/os-aggregates/1/action', {'remove_host': {'host': ''}}),
    ('POST', '/os-aggregates/1/action', {'set_metadata': {'metadata': {'k': 1}}}),
    ('POST', '/os-aggregates/1/action', {'set_metadata': {}}),
    ('POST', '/os-aggregates/1/images', {'cache': []}),
    ('POST', '/os-aggregates/1/images', {'cache': [{'id': 'not-a-uuid'}]}),
])
def test_aggregate_bad_input_is_400(admin, cell1, max_version, method, path, body):
    assert _create(admin, name='exists').status_int == 200
    res = admin.request(method, path, body, version='2.81')
    assert res.status_int == 400, res.body
    assert res.json_body_or_none['badRequest']['code'] == 400


def test_aggregate_missing_is_404(admin, cell1, max_version):
    assert _create(admin, name='exists').status_int == 200
    assert admin.post('/os-aggregates/1/action', {'unknown': {}}).status_int == 404
    assert admin.put('/os-aggregates/99', {'aggregate': {'name': 'b'}}).status_int == 404
    # A negative id is an integer that names nothing, as upstream (tempest checks it).
    assert admin.get('/os-aggregates/-1').status_int == 404
    assert admin.delete('/os-aggregates/-1').status_int == 404
    assert admin.post('/os-aggregates/99/action',
                      {'add_host': {'host': 'host1'}}).status_int == 404
    assert admin.post('/os-aggregates/99/images', {'cache': [
        {'id': '70a599e0-31e7-49b7-b260-868f441e862b'}]}, version='2.81').status_int == 404
    assert admin.post('/os-aggregates/99/images', {'cache': [
        {'id': '70a599e0-31e7-49b7-b260-868f441e862b'}]}, version='2.80').status_int == 404


def test_aggregate_hosts_zones_and_mirror(admin, compute, no_placement, max_version):  # noqa: F811
    _service, node = compute
    agg = _create(admin, name='a1', zone='london', version='2.41').json_body_or_none['aggregate']
    other = _create(admin, name='a2', zone='paris').json_body_or_none['aggregate']
    plain = _create(admin, name='a3').json_body_or_none['aggregate']
    action = '/os-aggregates/%s/action'
    assert admin.post(action % agg['id'], {'add_host': {'host': 'nohost'}}).status_int == 404
    res = admin.post(action % agg['id'], {'add_host': {'host': 'host1'}}, version='2.41')
    assert res.status_int == 200, res.body
    assert res.json_body_or_none['aggregate']['hosts'] == ['host1']
    assert no_placement == [('add', agg['uuid'], node.uuid)]
    # already a member; another zone for the same host
    assert admin.post(action % agg['id'], {'add_host': {'host': 'host1'}}).status_int == 409
    assert admin.post(action % other['id'], {'add_host': {'host': 'host1'}}).status_int == 409
    # a zone-less aggregate takes it; renaming the zone of the other one to clash is 400
    assert admin.post(action % plain['id'], {'add_host': {'host': 'host1'}}).status_int == 200
    assert admin.post(action % plain['id'], {'set_metadata': {'metadata': {
        'availability_zone': 'paris'}}}).status_int == 400
    assert admin.put('/os-aggregates/%s' % plain['id'], {'aggregate': {
        'availability_zone': 'paris'}}).status_int == 400
    services = admin.get('/os-services?binary=nova-compute').json_body_or_none['services']
    assert services[0]['zone'] == 'london'
    zones = admin.get('/os-availability-zone').json_body_or_none['availabilityZoneInfo']
    assert zones == [{'zoneName': 'london', 'zoneState': {'available': True}, 'hosts': None}]
    detail = admin.get('/os-availability-zone/detail').json_body_or_none['availabilityZoneInfo']
    by_name = {z['zoneName']: z for z in detail}
    assert set(by_name) == {'london', 'internal'}
    assert by_name['london']['hosts']['host1']['nova-compute']['available'] is True
    assert by_name['internal']['hosts']['ctl']['nova-scheduler']['active'] is True
    # a non-empty aggregate cannot be deleted
    assert admin.delete('/os-aggregates/%s' % agg['id']).status_int == 400
    assert admin.post(action % agg['id'], {'remove_host': {'host': 'host1'}}).status_int == 200
    assert no_placement[-1] == ('remove', agg['uuid'], node.uuid)
    assert admin.post(action % agg['id'], {'remove_host': {'host': 'host1'}}).status_int == 404
    assert admin.delete('/os-aggregates/%s' % agg['id']).status_int == 200


def test_zone_change_refused_when_host_has_instances(admin, compute, cell1, no_placement):  # noqa: F811,E501
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        objects.Instance(context=cctxt, uuid='f0000000-0000-0000-0000-000000000001',
                         host='host1', node='host1.example', project_id='p',
                         user_id='u', vm_state='active').create()
    agg = _create(admin, name='a1', zone='london').json_body_or_none['aggregate']
    res = admin.post('/os-aggregates/%s/action' % agg['id'], {'add_host': {'host': 'host1'}})
    assert res.status_int == 409
    plain = _create(admin, name='a2').json_body_or_none['aggregate']
    assert admin.post('/os-aggregates/%s/action' % plain['id'],
                      {'add_host': {'host': 'host1'}}).status_int == 200
    assert admin.put('/os-aggregates/%s' % plain['id'], {'aggregate': {
        'availability_zone': 'paris'}}).status_int == 400


def test_aggregates_and_zone_detail_need_admin(user, cell1):
    assert user.get('/os-aggregates').status_int == 403
    assert _create(user).status_int == 403
    assert user.get('/os-availability-zone/detail').status_int == 403
    assert user.get('/os-availability-zone').status_int == 200
