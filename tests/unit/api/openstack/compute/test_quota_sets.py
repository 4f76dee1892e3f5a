"""os-quota-sets, os-quota-class-sets and the quota engine over real API/cell databases."""

import pytest

import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects
from nova import quota
from tests.unit.api.conftest import sample

CONF = nova.conf.CONF


def _keys(name):
    body = sample(name)
    return sorted(body.get('quota_set') or body['quota_class_set'])


@pytest.mark.parametrize('version,folder', [('2.1', ''), ('2.36', 'v2.36/'),
                                            ('2.57', 'v2.57/')])
def test_quota_set_shapes_follow_the_microversion(admin, cell1, max_version, version, folder):
    shown = admin.get('/os-quota-sets/p1', version=version).json_body_or_none['quota_set']
    assert sorted(shown) == _keys('os-quota-sets/%squotas-show-get-resp.json' % folder)
    assert shown['instances'] == CONF.quota.instances and shown['id'] == 'p1'
    detail = admin.get('/os-quota-sets/p1/detail', version=version).json_body_or_none
    assert sorted(detail['quota_set']) == _keys(
        'os-quota-sets/%squotas-show-detail-get-resp.json' % folder)
    assert detail['quota_set']['cores'] == {'limit': 20, 'in_use': 0, 'reserved': 0}
    defaults = admin.get('/os-quota-sets/p1/defaults', version=version).json_body_or_none
    assert sorted(defaults['quota_set']) == _keys(
        'os-quota-sets/%squotas-show-defaults-get-resp.json' % folder)
    updated = admin.put('/os-quota-sets/p1', {'quota_set': {'cores': 45}}, version=version)
    assert updated.status_int == 200, updated.body
    assert sorted(updated.json_body_or_none['quota_set']) == _keys(
        'os-quota-sets/%squotas-update-post-resp.json' % folder)


def test_quota_set_update_user_force_and_delete(admin, cell1):
    assert admin.put('/os-quota-sets/p1', {'quota_set': {'instances': 45, 'cores': '30'}}
                     ).json_body_or_none['quota_set']['instances'] == 45
    assert admin.get('/os-quota-sets/p1').json_body_or_none['quota_set']['cores'] == 30
    # a user's limit may not exceed the project's
    assert admin.put('/os-quota-sets/p1?user_id=u1',
                     {'quota_set': {'instances': 50}}).status_int == 400
    res = admin.put('/os-quota-sets/p1?user_id=u1', {'quota_set': {'instances': 9}})
    assert res.json_body_or_none['quota_set']['instances'] == 9
    assert admin.get('/os-quota-sets/p1?user_id=u1').json_body_or_none[
        'quota_set']['instances'] == 9
    assert admin.get('/os-quota-sets/p1').json_body_or_none['quota_set']['instances'] == 45
    forced = admin.put('/os-quota-sets/p1?user_id=u1',
                       {'quota_set': {'force': 'True', 'instances': 50}})
    assert forced.json_body_or_none['quota_set']['instances'] == 50
    assert admin.delete('/os-quota-sets/p1?user_id=u1').status_int == 202
    assert admin.get('/os-quota-sets/p1?user_id=u1').json_body_or_none[
        'quota_set']['instances'] == 45
    assert admin.delete('/os-quota-sets/p1').status_int == 202
    assert admin.delete('/os-quota-sets/p1').status_int == 202
    assert admin.get('/os-quota-sets/p1').json_body_or_none['quota_set']['instances'] == 10


def test_limit_below_usage_needs_force(admin, user, cell1):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        for index in range(3):
            objects.Instance(context=cctxt, uuid='f000000%d-0000-0000-0000-000000000001' % index,
                             project_id='demoproject', user_id='demo', vcpus=2,
                             memory_mb=512, vm_state='active').create()
    detail = user.get('/os-quota-sets/demoproject/detail').json_body_or_none['quota_set']
    assert detail['instances']['in_use'] == 3 and detail['cores']['in_use'] == 6
    assert detail['ram']['in_use'] == 1536
    res = admin.put('/os-quota-sets/demoproject', {'quota_set': {'instances': 2}})
    assert res.status_int == 400
    assert 'must be greater than or equal to already used' in res.json_body_or_none[
        'badRequest']['message']
    assert admin.put('/os-quota-sets/demoproject',
                     {'quota_set': {'instances': 2, 'force': True}}).status_int == 200
    absolute = user.get('/limits').json_body_or_none['limits']['absolute']
    assert absolute['maxTotalInstances'] == 2 and absolute['totalInstancesUsed'] == 3
    assert absolute['totalCoresUsed'] == 6


@pytest.mark.parametrize('method,path,body,version', [
    ('PUT', '/os-quota-sets/p1', {'quota_set': {'instances': -2}}, None),
    ('PUT', '/os-quota-sets/p1', {'quota_set': {'instances': 'ten'}}, None),
    ('PUT', '/os-quota-sets/p1', {'quota_set': {'instances': 0x80000000}}, None),
    ('PUT', '/os-quota-sets/p1', {'quota_set': {'unknown': 1}}, None),
    ('PUT', '/os-quota-sets/p1', {'quota_set': {'force': 'maybe'}}, None),
    ('PUT', '/os-quota-sets/p1', {'quota_set': {'floating_ips': 1}}, '2.36'),
    ('PUT', '/os-quota-sets/p1', {'quota_set': {'injected_files': 1}}, '2.57'),
    ('PUT', '/os-quota-sets/p1', {}, None),
    ('PUT', '/os-quota-sets/p1', {'quota_set': 5}, None),
    ('GET', '/os-quota-sets/p1?foo=bar', None, '2.75'),
    ('PUT', '/os-quota-class-sets/c1', {'quota_class_set': {'server_groups': 1}}, '2.49'),
    ('PUT', '/os-quota-class-sets/c1', {'quota_class_set': {'networks': 1}}, '2.50'),
    ('PUT', '/os-quota-class-sets/c1', {'quota_class_set': {'cores': -5}}, None),
    ('PUT', '/os-quota-class-sets/' + 'x' * 256, {'quota_class_set': {'cores': 5}}, None),
])
def test_quota_bad_input_is_400(admin, cell1, max_version, method, path, body, version):
    res = admin.request(method, path, body, version=version)
    assert res.status_int == 400, res.body
    assert res.json_body_or_none['badRequest']['code'] == 400


def test_quota_policies(user, cell1):
    assert user.get('/os-quota-sets/demoproject').status_int == 200
    assert user.get('/os-quota-sets/otherproject').status_int == 403
    assert user.get('/os-quota-sets/otherproject/defaults').status_int == 200
    assert user.put('/os-quota-sets/demoproject',
                    {'quota_set': {'instances': 1}}).status_int == 403
    assert user.delete('/os-quota-sets/demoproject').status_int == 403
    assert user.get('/os-quota-class-sets/default').status_int == 403


@pytest.mark.parametrize('version,folder', [('2.1', ''), ('2.50', 'v2.50/'),
                                            ('2.57', 'v2.57/')])
def test_quota_class_sets(admin, cell1, max_version, version, folder):
    shown = admin.get('/os-quota-class-sets/default', version=version).json_body_or_none
    assert sorted(shown['quota_class_set']) == _keys(
        'os-quota-class-sets/%squota-classes-show-get-resp.json' % folder)
    res = admin.put('/os-quota-class-sets/default',
                    {'quota_class_set': {'instances': 50, 'cores': 50}}, version=version)
    assert res.status_int == 200, res.body
    assert sorted(res.json_body_or_none['quota_class_set']) == _keys(
        'os-quota-class-sets/%squota-classes-update-post-resp.json' % folder)
    # the default class feeds every project's defaults and limits
    assert admin.get('/os-quota-sets/any/defaults').json_body_or_none[
        'quota_set']['instances'] == 50
    assert admin.get('/os-quota-sets/any').json_body_or_none['quota_set']['cores'] == 50


class _Flavor(object):
    vcpus = 2
    memory_mb = 512


def test_engine_counts_build_requests_and_users(cell1):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        objects.Instance(context=cctxt, uuid='f0000000-0000-0000-0000-000000000002',
                         project_id='p', user_id='u1', vcpus=2, memory_mb=512,
                         vm_state='active').create()
    assert quota.allowed_instances(ctxt, 'p', _Flavor, 1, 20) == 9
    objects.Quotas.create_limit(ctxt, 'p', 'instances', 2, user_id='u2')
    assert quota.allowed_instances(ctxt, 'p', _Flavor, 1, 20, user_id='u2') == 2
    assert quota.allowed_instances(ctxt, 'p', _Flavor, 1, 20, user_id='u1') == 9
    objects.Quotas.create_limit(ctxt, 'p', 'cores', 3)
    with pytest.raises(exception.TooManyInstances) as error:
        quota.allowed_instances(ctxt, 'p', _Flavor, 1, 1)
    assert 'Quota exceeded for cores' in str(error.value)
    quota.recheck_instances(ctxt, 'p', _Flavor)  # 2 of 3 cores: not over
    objects.Quotas.update_limit(ctxt, 'p', 'cores', 1)
    with pytest.raises(exception.TooManyInstances):
        quota.recheck_instances(ctxt, 'p', _Flavor)


def test_noop_driver_and_per_request_limits(cell1, monkeypatch):
    ctxt = nova_context.get_admin_context()
    with pytest.raises(exception.MetadataLimitExceeded):
        quota.check_metadata_items(ctxt, 'p', 129)
    quota.check_metadata_items(ctxt, 'p', 128)
    with pytest.raises(exception.OnsetFileLimitExceeded):
        quota.check_injected_files(ctxt, 'p', [('/a', b'')] * 6)
    with pytest.raises(exception.OnsetFilePathLimitExceeded):
        quota.check_injected_files(ctxt, 'p', [('/' + 'a' * 255, b'')])
    with pytest.raises(exception.OnsetFileContentLimitExceeded):
        quota.check_injected_files(ctxt, 'p', [('/a', b'x' * 10241)])
    objects.Quotas.create_limit(ctxt, 'p', 'key_pairs', 0, user_id='u')
    with pytest.raises(exception.KeypairLimitExceeded):
        quota.check_key_pairs(ctxt, 'p', 'u')
    objects.Quotas.create_limit(ctxt, 'p', 'server_groups', 0)
    with pytest.raises(exception.OverQuota):
        quota.check_server_groups(ctxt, 'p', 'u')
    with pytest.raises(exception.OverQuota):
        quota.check_server_group_members(ctxt, 'p', 10)
    CONF.set_override('driver', 'nova.quota.NoopQuotaDriver', group='quota')
    try:
        assert quota.project_limits(ctxt, 'p')['key_pairs'] == -1
        quota.check_key_pairs(ctxt, 'p', 'u')
        quota.check_metadata_items(ctxt, 'p', 10000)
        assert quota.allowed_instances(ctxt, 'p', _Flavor, 1, 500) == 500
    finally:
        CONF.clear_override('driver', group='quota')


def test_a_server_being_scheduled_counts_once(cell1):
    """Build request and cell instance of one server, as conductor briefly has both."""
    ctxt = nova_context.get_admin_context()
    flavor = objects.Flavor(context=ctxt, flavorid='9', name='q', memory_mb=256, vcpus=3,
                            root_gb=1, ephemeral_gb=0, swap=0, is_public=True)
    flavor.create()
    uuids = ['f0000000-0000-0000-0000-00000000000a', 'f0000000-0000-0000-0000-00000000000b']
    for server_uuid in uuids:
        pending = objects.Instance(ctxt, uuid=server_uuid, project_id='p', user_id='u',
                                   vcpus=3, memory_mb=256, vm_state='building', flavor=flavor,
                                   metadata={}, system_metadata={}, info_cache=None)
        objects.BuildRequest(ctxt, instance_uuid=server_uuid, project_id='p',
                             instance=pending).create()
    assert quota.project_usage(ctxt, 'p', include_server_groups=False) == {
        'instances': 2, 'cores': 6, 'ram': 512}
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        objects.Instance(context=cctxt, uuid=uuids[0], project_id='p', user_id='u', vcpus=3,
                         memory_mb=256, vm_state='building').create()
    assert quota.project_usage(ctxt, 'p', include_server_groups=False) == {
        'instances': 2, 'cores': 6, 'ram': 512}
    assert quota.project_usage(ctxt, 'p', include_server_groups=False, user_id='other') == {
        'instances': 0, 'cores': 0, 'ram': 0}


def test_quota_class_network_values_are_kept_before_2_50(admin, cell1, max_version):
    # tempest's test_update_default_quotas sets every shown resource to its
    # value + 100 at 2.1 and expects the answer and a later show to carry them.
    shown = admin.get('/os-quota-class-sets/default').json_body_or_none['quota_class_set']
    assert shown['fixed_ips'] == -1
    res = admin.put('/os-quota-class-sets/default',
                    {'quota_class_set': {'fixed_ips': 99, 'security_groups': 7}})
    assert res.json_body_or_none['quota_class_set']['fixed_ips'] == 99
    shown = admin.get('/os-quota-class-sets/default').json_body_or_none['quota_class_set']
    assert (shown['fixed_ips'], shown['security_groups'], shown['floating_ips']) == (99, 7, -1)
    # they limit nothing, and 2.50 no longer shows them
    assert 'fixed_ips' not in admin.get('/os-quota-class-sets/default', version='2.50') \
        .json_body_or_none['quota_class_set']
