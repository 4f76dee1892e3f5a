"""nova.quota: limits layered config -> class -> project -> user over real SQLite
databases, and the enforcement decisions (how many servers fit, which resource is
over, per-request limits). Usage counting itself is in tests/unit/api/test_quota_placement.py."""

import types

import pytest

import nova.conf
from nova import exception
from nova import objects
from nova import quota

CONF = nova.conf.CONF
FLAVOR = types.SimpleNamespace(vcpus=2, memory_mb=1024)


@pytest.fixture
def usage(monkeypatch):
    """What the project (key None) and its users use, as project_usage reports it."""
    used = {None: dict.fromkeys(quota.COUNTED, 0)}

    def project_usage(context, project_id, include_server_groups=True, user_id=None):
        return dict(used.get(user_id, used[None]))
    monkeypatch.setattr(quota, 'project_usage', project_usage)
    return used


def test_limits_layer_config_class_project_user(ctxt):
    assert quota.config_limits()['instances'] == CONF.quota.instances
    assert quota.config_limits()['injected_file_path_bytes'] == \
        CONF.quota.injected_file_path_length
    objects.Quotas.create_class(ctxt, 'default', 'instances', 7)
    objects.Quotas.create_class(ctxt, 'default', 'not_a_resource', 1)
    assert quota.default_limits(ctxt)['instances'] == 7
    assert 'not_a_resource' not in quota.default_limits(ctxt)
    objects.Quotas.create_limit(ctxt, 'p1', 'instances', 5)
    objects.Quotas.create_limit(ctxt, 'p1', 'cores', 3, user_id='u1')
    project = quota.project_limits(ctxt, 'p1')
    assert project['instances'] == 5 and project['cores'] == CONF.quota.cores
    user = quota.user_limits(ctxt, 'p1', 'u1')
    assert user['cores'] == 3
    assert quota.project_limits(ctxt, 'p2')['instances'] == 7


def test_the_noop_driver_limits_nothing(ctxt):
    CONF.set_override('driver', 'nova.quota.NoopQuotaDriver', group='quota')
    try:
        assert quota.is_noop()
        assert set(quota.project_limits(ctxt, 'p1').values()) == {-1}
        assert quota.allowed_instances(ctxt, 'p1', FLAVOR, 1, 50) == 50
    finally:
        CONF.clear_override('driver', group='quota')
    assert quota.driver_name() == 'DbQuotaDriver' and not quota.is_noop()


def test_headroom_and_overs():
    limits = {'instances': 10, 'cores': 8, 'ram': -1}
    used = {'instances': 2, 'cores': 4, 'ram': 10 ** 6}
    wanted = {'instances': 1, 'cores': 2, 'ram': 1024}
    assert quota._headroom(limits, used, wanted) == 2      # cores: 4 left, 2 each
    assert quota._over(limits, used, wanted, 3) == ['cores']
    assert quota._headroom({'instances': -1, 'cores': -1, 'ram': -1}, used, wanted) is None
    assert quota._headroom({'instances': 1, 'cores': 1, 'ram': 1},
                           {'instances': 5, 'cores': 5, 'ram': 5}, wanted) == 0


def test_allowed_instances_fits_what_it_can_and_refuses_below_min(ctxt, usage):
    objects.Quotas.create_limit(ctxt, 'p1', 'instances', 4)
    usage[None].update(instances=1, cores=2, ram=1024)
    assert quota.allowed_instances(ctxt, 'p1', FLAVOR, 1, 10) == 3
    with pytest.raises(exception.TooManyInstances) as err:
        quota.allowed_instances(ctxt, 'p1', FLAVOR, 4, 10)
    assert err.value.kwargs['overs'] == 'instances'
    assert (err.value.kwargs['req'], err.value.kwargs['used'],
            err.value.kwargs['allowed']) == (4, 1, 4)


def test_a_users_own_limits_apply_too(ctxt, usage):
    objects.Quotas.create_limit(ctxt, 'p1', 'cores', 4, user_id='u1')
    usage['u1'] = dict(usage[None], cores=2)
    assert quota.allowed_instances(ctxt, 'p1', FLAVOR, 1, 10, user_id='u1') == 1
    with pytest.raises(exception.TooManyInstances) as err:
        quota.allowed_instances(ctxt, 'p1', FLAVOR, 2, 10, user_id='u1')
    assert err.value.kwargs['overs'] == 'cores'


def test_recheck_counts_the_callers_records_already(ctxt, usage):
    objects.Quotas.create_limit(ctxt, 'p1', 'instances', 2)
    usage[None].update(instances=2, cores=4, ram=2048)
    quota.recheck_instances(ctxt, 'p1', FLAVOR)
    usage[None].update(instances=3)
    with pytest.raises(exception.TooManyInstances) as err:
        quota.recheck_instances(ctxt, 'p1', FLAVOR)
    assert err.value.kwargs['used'] == 2
    CONF.set_override('recheck_quota', False, group='quota')
    try:
        quota.recheck_instances(ctxt, 'p1', FLAVOR)
    finally:
        CONF.clear_override('recheck_quota', group='quota')


def test_per_request_limits(ctxt):
    objects.Quotas.create_limit(ctxt, 'p1', 'metadata_items', 2)
    objects.Quotas.create_limit(ctxt, 'p1', 'injected_files', 1)
    objects.Quotas.create_limit(ctxt, 'p1', 'injected_file_path_bytes', 5)
    objects.Quotas.create_limit(ctxt, 'p1', 'injected_file_content_bytes', 3)
    objects.Quotas.create_limit(ctxt, 'p1', 'server_group_members', 2)
    quota.check_metadata_items(ctxt, 'p1', 2)
    with pytest.raises(exception.MetadataLimitExceeded):
        quota.check_metadata_items(ctxt, 'p1', 3)
    quota.check_injected_files(ctxt, 'p1', [('/a', b'xyz')])
    with pytest.raises(exception.OnsetFileLimitExceeded):
        quota.check_injected_files(ctxt, 'p1', [('/a', b''), ('/b', b'')])
    with pytest.raises(exception.OnsetFilePathLimitExceeded):
        quota.check_injected_files(ctxt, 'p1', [('/long/path', b'')])
    with pytest.raises(exception.OnsetFileContentLimitExceeded):
        quota.check_injected_files(ctxt, 'p1', [('/a', b'four')])
    quota.check_server_group_members(ctxt, 'p1', 1)
    with pytest.raises(exception.OverQuota):
        quota.check_server_group_members(ctxt, 'p1', 2)


def test_key_pairs_counted_per_user(ctxt):
    objects.Quotas.create_limit(ctxt, 'p1', 'key_pairs', 1, user_id='u1')
    quota.check_key_pairs(ctxt, 'p1', 'u1')
    objects.KeyPair(context=ctxt, user_id='u1', name='k1', type='ssh', public_key='ssh-rsa A',
                    fingerprint='aa').create()
    with pytest.raises(exception.KeypairLimitExceeded):
        quota.check_key_pairs(ctxt, 'p1', 'u1')
    quota.check_key_pairs(ctxt, 'p1', 'u2')


def test_server_groups_for_the_project_and_the_user(ctxt, usage):
    objects.Quotas.create_limit(ctxt, 'p1', 'server_groups', 3)
    objects.Quotas.create_limit(ctxt, 'p1', 'server_groups', 1, user_id='u1')
    usage[None]['server_groups'] = 2
    usage['u1'] = dict(usage[None], server_groups=0)
    quota.check_server_groups(ctxt, 'p1', 'u1')
    with pytest.raises(exception.OverQuota):
        quota.check_server_groups(ctxt, 'p1', 'u1', delta=2)
    usage[None]['server_groups'] = 3
    with pytest.raises(exception.OverQuota):
        quota.check_server_groups(ctxt, 'p1', 'u1')


def test_a_resize_counts_only_what_grows(ctxt, usage):
    small = types.SimpleNamespace(vcpus=1, memory_mb=512)
    objects.Quotas.create_limit(ctxt, 'p1', 'cores', 4)
    usage[None].update(instances=2, cores=3, ram=1024)
    quota.check_resize(ctxt, 'p1', FLAVOR, small)       # shrinking always fits
    quota.check_resize(ctxt, 'p1', small, FLAVOR)       # one more core: 4 of 4
    usage[None].update(cores=4)
    with pytest.raises(exception.TooManyInstances) as err:
        quota.check_resize(ctxt, 'p1', small, FLAVOR)
    assert (err.value.kwargs['overs'], err.value.kwargs['req'],
            err.value.kwargs['used'], err.value.kwargs['allowed']) == ('cores', 1, 4, 4)
