"""The clients of nova-conductor: the object indirection calls of the base API, the
build and move casts of compute_task at their versions, moves refused as
ComputeServiceUnavailable under a conductor pin that predates them, a synchronous
live migration waiting up to long_rpc_timeout."""

import pytest
from oslo_utils import versionutils

import nova.conf
from nova.conductor import rpcapi
from nova import context as nova_context
from nova import exception

CONF = nova.conf.CONF


class _Client(object):
    """Stands in for the prepared oslo.messaging client (records, honours a cap)."""

    def __init__(self, cap=None):
        self.cap = cap
        self.sent = []
        self._prepared = {}

    def can_send_version(self, version):
        return self.cap is None or versionutils.is_compatible(version, self.cap)

    def prepare(self, version=None, **kwargs):
        assert version is None or self.can_send_version(version)
        self._prepared = dict(kwargs, version=version)
        return self

    def cast(self, ctxt, method, **kwargs):
        self.sent.append(('cast', method, self._prepared))

    def call(self, ctxt, method, **kwargs):
        self.sent.append(('call', method, self._prepared))
        return 'answer'


@pytest.fixture
def task(fake_rpc):
    api = rpcapi.ComputeTaskAPI()
    api.client = _Client()
    return api


def _ctxt():
    return nova_context.get_admin_context()


@pytest.mark.parametrize('method, args, version', [
    ('schedule_and_build_instances', ([], [], None, None, None, None, None), None),
    ('build_instances', (['i'], None, {}, None, None, None, None, None), None),
    ('resize_instance', ('i', 'flavor'), '1.1'),
    ('rebuild_instance', ('i', 'old', 'new', None, None), '1.2'),
    ('unshelve_instance', ('i',), '1.2'),
    ('evacuate_instance', ('i', 'migration'), '1.3'),
    ('live_migrate_instance', ('i', 'dst', False, False), '1.4'),
])
def test_each_task_is_a_cast_at_its_version(task, method, args, version):
    getattr(task, method)(_ctxt(), *args)
    assert task.client.sent == [('cast', method, {'version': version})]


@pytest.mark.parametrize('method, args, cap', [
    ('resize_instance', ('i', 'flavor'), '1.0'),
    ('evacuate_instance', ('i', 'migration'), '1.2'),
    ('live_migrate_instance', ('i', 'dst', False, False), '1.3'),
])
def test_a_pin_before_a_move_refuses_it(task, method, args, cap):
    task.client.cap = cap
    with pytest.raises(exception.ComputeServiceUnavailable):
        getattr(task, method)(_ctxt(), *args)
    assert task.client.sent == []


def test_a_synchronous_live_migration_waits_for_conductors_checks(task):
    task.live_migrate_instance(_ctxt(), 'i', 'dst', False, False, async_=False)
    assert task.client.sent == [('call', 'live_migrate_instance',
                                 {'version': '1.4', 'timeout': CONF.long_rpc_timeout})]


def test_object_indirection_calls(fake_rpc):
    api = rpcapi.ConductorAPI()
    api.client = _Client()
    ctxt = _ctxt()
    assert api.object_action(ctxt, 'obj', 'save', (), {}) == 'answer'
    api.object_class_action_versions(ctxt, 'Instance', 'get_by_uuid', {}, (), {})
    api.object_backport_versions(ctxt, {}, {'Instance': '2.0'})
    api.ping(ctxt, timeout=5)
    assert [(kind, method) for kind, method, _ in api.client.sent] == [
        ('call', 'object_action'), ('call', 'object_class_action_versions'),
        ('call', 'object_backport_versions'), ('call', 'ping')]
    assert api.client.sent[-1][2] == {'version': None, 'timeout': 5}


def test_both_clients_follow_the_conductor_pin(fake_rpc, pin):
    pin('conductor', '1.3')
    assert rpcapi.ComputeTaskAPI().client.version_cap == '1.3'
    assert rpcapi.ConductorAPI().client.version_cap == '1.3'
