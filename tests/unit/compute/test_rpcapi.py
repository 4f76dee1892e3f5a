"""The client of nova-compute: which host each message goes to, at which version, cast
or call; a host (or an [upgrade_levels] compute pin) older than a family's version
refuses it as ComputeServiceUnavailable, or drops external events; 'auto' follows the
oldest nova-compute in the cells."""

import oslo_messaging as messaging
import pytest
from oslo_utils import versionutils

import nova.conf
from nova.compute import rpcapi as compute_rpcapi
from nova import context
from nova import exception
from nova import objects
from nova.objects import service as service_obj
from nova import rpc

CONF = nova.conf.CONF


class _Client(object):
    """Stands in for the prepared oslo.messaging client: records where each message
    goes, honours a version cap, and can time out."""

    def __init__(self, cap=None):
        self.cap = cap
        self.sent = []
        self.timeout = False
        self._target = None

    def can_send_version(self, version):
        return self.cap is None or versionutils.is_compatible(version, self.cap)

    def prepare(self, server=None, version=None, **kwargs):
        assert self.can_send_version(version), 'a %s message past the cap' % version
        self._target = (server, version)
        return self

    def cast(self, ctxt, method, **kwargs):
        self.sent.append(('cast', method) + self._target)

    def call(self, ctxt, method, **kwargs):
        if self.timeout:
            raise messaging.MessagingTimeout()
        self.sent.append(('call', method) + self._target)
        return 'answer'


@pytest.fixture
def client(fake_rpc, monkeypatch):
    made = _Client()
    monkeypatch.setattr(rpc, 'get_cell_client', lambda ctxt, client: made)
    return made


def _instance():
    return objects.Instance(uuid='0a000000-0000-0000-0000-000000000001', host='src')


def _migration():
    return objects.Migration(source_compute='src', dest_compute='dst')


# (method, arguments after the context, cast or call, the host it goes to, version)
MESSAGES = [
    ('terminate_instance', lambda: (_instance(), []), 'cast', 'src', '6.0'),
    ('reboot_instance', lambda: (_instance(), None, 'HARD'), 'cast', 'src', '6.1'),
    ('get_console_output', lambda: (_instance(), 10), 'call', 'src', '6.1'),
    ('get_host_uptime', lambda: ('h2',), 'call', 'h2', '6.3'),
    ('get_vnc_console', lambda: (_instance(), 'novnc'), 'call', 'src', '6.4'),
    ('get_instance_diagnostics', lambda: (_instance(),), 'call', 'src', '6.5'),
    ('inject_network_info', lambda: (_instance(),), 'cast', 'src', '6.5'),
    ('set_host_enabled', lambda: ('h2', False), 'call', 'h2', '6.6'),
    ('prep_resize', lambda: (_instance(), None, _migration(), None, [], 'n'), 'cast', 'dst',
     '6.7'),
    ('resize_instance', lambda: (_instance(), _migration(), None), 'cast', 'src', '6.7'),
    ('revert_resize', lambda: (_instance(), _migration()), 'cast', 'dst', '6.7'),
    ('finish_revert_resize', lambda: (_instance(), _migration()), 'cast', 'src', '6.7'),
    ('attach_volume', lambda: (_instance(), None), 'cast', 'src', '6.8'),
    ('rebuild_instance', lambda: (_instance(), None, [], 'i', 'i', False, 'other'), 'cast',
     'other', '6.9'),
    ('unshelve_instance', lambda: (_instance(), 'dst'), 'cast', 'dst', '6.9'),
    ('evacuate_instance', lambda: (_instance(), _migration(), 'n'), 'cast', 'dst', '6.10'),
]


@pytest.mark.parametrize('method, args, kind, host, version', MESSAGES,
                         ids=[m[0] for m in MESSAGES])
def test_each_message_goes_to_its_host_at_its_version(client, method, args, kind, host,
                                                      version):
    getattr(compute_rpcapi.ComputeAPI(), method)(context.get_admin_context(), *args())
    assert client.sent == [(kind, method, host, version)]


@pytest.mark.parametrize('method, args, kind, host, version',
                         [m for m in MESSAGES if m[4] not in ('6.0', '6.1')],
                         ids=[m[0] for m in MESSAGES if m[4] not in ('6.0', '6.1')])
def test_a_host_older_than_the_family_is_unavailable(client, method, args, kind, host,
                                                     version):
    client.cap = '6.%d' % (int(version.split('.')[1]) - 1)
    with pytest.raises(exception.ComputeServiceUnavailable) as info:
        getattr(compute_rpcapi.ComputeAPI(), method)(context.get_admin_context(), *args())
    assert host in str(info.value) and client.sent == []


def test_a_host_that_does_not_answer_is_unavailable(client):
    client.timeout = True
    with pytest.raises(exception.ComputeServiceUnavailable):
        compute_rpcapi.ComputeAPI().get_serial_console(context.get_admin_context(),
                                                       _instance(), 'serial')


def test_stop_is_a_cast_unless_the_caller_waits(client):
    api, ctxt = compute_rpcapi.ComputeAPI(), context.get_admin_context()
    api.stop_instance(ctxt, _instance())
    assert api.stop_instance(ctxt, _instance(), do_cast=False) == 'answer'
    assert [m[0] for m in client.sent] == ['cast', 'call']


def test_external_events_to_a_host_too_old_are_dropped(client):
    api, ctxt = compute_rpcapi.ComputeAPI(), context.get_admin_context()
    client.cap = '6.1'
    api.external_instance_event(ctxt, [_instance()], ['event'])
    assert client.sent == []
    client.cap = None
    api.external_instance_event(ctxt, [_instance()], ['event'], host='elsewhere')
    assert client.sent == [('cast', 'external_instance_event', 'elsewhere', '6.2')]


def test_the_pin_caps_the_client(fake_rpc, pin):
    pin('compute', '6.4')
    api = compute_rpcapi.ComputeAPI()
    assert api.version_cap == '6.4'
    with pytest.raises(exception.ComputeServiceUnavailable):
        api.get_instance_diagnostics(context.get_admin_context(), _instance())



def test_compute_auto_follows_the_oldest_compute_service(fake_rpc, pin, ctxt):
    objects.CellMapping(ctxt, uuid=objects.CellMapping.CELL0_UUID, name='cell0',
                        transport_url='none:///', database_connection='sqlite://').create()
    objects.CellMapping(ctxt, uuid='11111111-1111-1111-1111-111111111111', name='cell1',
                        transport_url='fake:/',
                        database_connection=CONF.database.connection).create()
    objects.Service(ctxt, host='old-host', binary='nova-compute', topic='compute',
                    version=1).create()
    pin('compute', 'auto')
    try:
        client = compute_rpcapi.ComputeAPI()
        expected = service_obj.SERVICE_VERSION_HISTORY[1]['compute_rpc']
        assert client.version_cap == expected
    finally:
        context.reset_cell_cache()


def test_compute_auto_without_computes_leaves_the_cap_open(fake_rpc, pin, ctxt):
    pin('compute', 'auto')
    assert compute_rpcapi.ComputeAPI().version_cap is None
