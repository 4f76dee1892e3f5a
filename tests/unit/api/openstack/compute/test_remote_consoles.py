"""Remote consoles and console auth tokens through the paste app.

The server lives in a real SQLite cell database. The unit tier has no
nova-compute to answer the compute RPC call, so the three console calls of
the compute RPC API are routed to the real ConsoleOperations mixin with the
fake driver, in this process: tokens are really recorded (hashed) in the
cell database and the API's lookup reads them back.
"""

import hashlib

import oslo_messaging as messaging
import pytest
from oslo_utils import uuidutils

import nova.conf
from nova.compute import console
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import vm_states
from nova import context as nova_context
from nova import objects
from nova.virt import fake
from tests.fixtures.console_urls import token_of

CONF = nova.conf.CONF


class _Compute(console.ConsoleOperations):
    """The console half of nova-compute, called directly instead of over RPC."""

    def __init__(self):
        self.host = 'host1'
        self.driver = fake.FakeDriver(None)
        self.calls = []

    def rpc(self, method):
        def call(rpcapi, ctxt, instance, console_type):
            self.calls.append((method, console_type))
            try:
                return getattr(self, method)(ctxt, console_type, instance)
            except messaging.ExpectedException as wrapped:
                raise wrapped.exc_info[1]
        return call


@pytest.fixture
def compute(monkeypatch):
    stand_in = _Compute()
    for method in ('get_vnc_console', 'get_spice_console', 'get_serial_console'):
        monkeypatch.setattr(compute_rpcapi.ComputeAPI, method, stand_in.rpc(method))
    return stand_in


@pytest.fixture
def server(active_server, compute):
    compute.driver.instances[active_server.uuid] = fake.FakeInstance(
        active_server.uuid, active_server.name, fake.POWER_RUNNING)
    CONF.set_override('enabled', True, group='spice')
    CONF.set_override('enabled', True, group='serial_console')
    yield active_server
    CONF.clear_override('enabled', group='spice')
    CONF.clear_override('enabled', group='serial_console')


def _create(client, server, protocol, console_type, version='2.6'):
    return client.post('/servers/%s/remote-consoles' % server.uuid,
                       {'remote_console': {'protocol': protocol, 'type': console_type}},
                       version=version)


def _stored_hashes(cell1):
    ctxt = nova_context.get_admin_context()
    from nova.db.main import engine, models
    import sqlalchemy as sa
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        @engine.reader
        def rows(context):
            return [tuple(r) for r in context.session.execute(sa.select(
                models.ConsoleAuthToken.token_hash, models.ConsoleAuthToken.console_type))]
        return rows(cctxt)


def test_vnc_console_url_is_novnc_path_form_and_token_stored_hashed(user, server, cell1):
    resp = _create(user, server, 'vnc', 'novnc')
    assert resp.status_int == 200, resp.body
    body = resp.json_body_or_none['remote_console']
    assert (body['protocol'], body['type']) == ('vnc', 'novnc')
    base = CONF.vnc.novncproxy_base_url
    assert body['url'].startswith(base + '?path=%3Ftoken%3D')
    token = token_of(body['url'])
    assert body['url'] == '%s?path=%%3Ftoken%%3D%s' % (base, token)
    assert _stored_hashes(cell1) == [(hashlib.sha256(token.encode()).hexdigest(), 'novnc')]


@pytest.mark.parametrize('protocol,console_type,option', [
    ('spice', 'spice-html5', ('spice', 'html5proxy_base_url')),
    ('serial', 'serial', ('serial_console', 'base_url')),
])
def test_spice_and_serial_urls_carry_the_token(user, server, protocol, console_type, option):
    resp = _create(user, server, protocol, console_type)
    assert resp.status_int == 200, resp.body
    url = resp.json_body_or_none['remote_console']['url']
    base = getattr(getattr(CONF, option[0]), option[1])
    assert url == '%s?token=%s' % (base, token_of(url))


def test_spice_direct_needs_299(user, server, max_version):
    assert _create(user, server, 'spice', 'spice-direct', version='2.98').status_int == 400
    resp = _create(user, server, 'spice', 'spice-direct', version='2.99')
    assert resp.status_int == 200, resp.body
    url = resp.json_body_or_none['remote_console']['url']
    assert url.startswith(CONF.spice.spice_direct_proxy_base_url + '?token=')


@pytest.mark.parametrize('protocol,console_type', [
    ('vnc', 'spice-html5'), ('spice', 'novnc'), ('serial', 'novnc'), ('vnc', 'serial'),
    ('vnc', 'xvpvnc'),
])
def test_wrong_protocol_type_combination_is_400(user, server, protocol, console_type):
    resp = _create(user, server, protocol, console_type)
    assert resp.status_int == 400, resp.body
    assert 'badRequest' in resp.json_body_or_none


@pytest.mark.parametrize('body', [
    {}, {'remote_console': {}}, {'remote_console': {'protocol': 'vnc'}},
    {'remote_console': {'protocol': 'ssh', 'type': 'novnc'}},
    {'remote_console': {'protocol': 'vnc', 'type': 'novnc', 'extra': 1}},
    {'remote_console': {'protocol': 'mks', 'type': 'webmks'}},  # 2.8+
])
def test_bad_bodies_are_400(user, server, body):
    resp = user.post('/servers/%s/remote-consoles' % server.uuid, body, version='2.6')
    assert resp.status_int == 400, resp.body


def test_rdp_and_disabled_mks_are_400(user, server, compute):
    assert _create(user, server, 'rdp', 'rdp-html5').status_int == 400
    resp = _create(user, server, 'mks', 'webmks', version='2.8')
    assert resp.status_int == 400
    assert 'webmks' in resp.json_body_or_none['badRequest']['message']
    assert compute.calls == []


@pytest.mark.parametrize('protocol,console_type,group', [
    ('vnc', 'novnc', 'vnc'), ('spice', 'spice-html5', 'spice'),
    ('serial', 'serial', 'serial_console')])
def test_disabled_console_type_is_400_unavailable(user, server, protocol, console_type,
                                                  group):
    CONF.set_override('enabled', False, group=group)
    try:
        resp = _create(user, server, protocol, console_type)
    finally:
        CONF.clear_override('enabled', group=group)
    assert resp.status_int == 400
    assert resp.json_body_or_none['badRequest']['message'] == (
        'Unavailable console type %s.' % console_type)


def test_driver_without_consoles_is_501(user, server, compute, monkeypatch):
    def unsupported(context, instance):
        raise NotImplementedError()
    monkeypatch.setattr(compute.driver, 'get_vnc_console', unsupported)
    resp = _create(user, server, 'vnc', 'novnc')
    assert resp.status_int == 501
    assert 'notImplemented' in resp.json_body_or_none


def test_unknown_server_404_and_other_project_404(user, server, paste_app):
    resp = user.post('/servers/%s/remote-consoles' % uuidutils.generate_uuid(),
                     {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}}, version='2.6')
    assert resp.status_int == 404
    from tests.unit.api.conftest import Client
    other = Client(paste_app, 'other:otherproject')
    assert _create(other, server, 'vnc', 'novnc').status_int == 404


def test_server_without_host_or_being_deleted_is_409(user, server, cell1, compute):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server.uuid)
        instance.task_state = 'deleting'
        instance.save()
    resp = _create(user, server, 'vnc', 'novnc')
    assert resp.status_int == 409
    assert resp.json_body_or_none['conflictingRequest']['message'] == (
        "Cannot 'create' instance %s while it is in task_state deleting" % server.uuid)
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server.uuid)
        instance.task_state = None
        instance.host = None
        instance.save()
    resp = _create(user, server, 'vnc', 'novnc')
    assert resp.status_int == 409
    assert 'is not ready' in resp.json_body_or_none['conflictingRequest']['message']
    assert compute.calls == []


def test_guest_still_building_is_409(user, server, cell1, compute):
    compute.driver.instances.clear()
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server.uuid)
        instance.vm_state = vm_states.BUILDING
        instance.save()
    assert _create(user, server, 'vnc', 'novnc').status_int == 409


def test_console_create_is_a_26_resource(user, server):
    assert _create(user, server, 'vnc', 'novnc', version='2.5').status_int == 404


@pytest.mark.parametrize('action,console_type,prefix', [
    ('os-getVNCConsole', 'novnc', 'novncproxy_base_url'),
    ('os-getSPICEConsole', 'spice-html5', 'html5proxy_base_url'),
    ('os-getSerialConsole', 'serial', 'base_url'),
])
def test_legacy_actions_before_26(user, server, action, console_type, prefix):
    path = '/servers/%s/action' % server.uuid
    resp = user.post(path, {action: {'type': console_type}}, version='2.1')
    assert resp.status_int == 200, resp.body
    body = resp.json_body_or_none
    assert list(body) == ['console']
    assert body['console']['type'] == console_type
    assert token_of(body['console']['url'])
    assert user.post(path, {action: {'type': console_type}}, version='2.6').status_int == 404
    assert user.post(path, {action: {}}, version='2.1').status_int == 400
    assert user.post(path, {action: {'type': 'bogus'}}, version='2.1').status_int == 400


def test_legacy_rdp_action_is_400(user, server):
    resp = user.post('/servers/%s/action' % server.uuid,
                     {'os-getRDPConsole': {'type': 'rdp-html5'}}, version='2.1')
    assert resp.status_int == 400


# --- os-console-auth-tokens ---------------------------------------------------------

def test_admin_looks_up_a_token(user, admin, server):
    token = token_of(_create(user, server, 'vnc', 'novnc').json_body_or_none[
        'remote_console']['url'])
    resp = admin.get('/os-console-auth-tokens/%s' % token, version='2.31')
    assert resp.status_int == 200, resp.body
    host, port = fake.FakeDriver.vnc_console
    assert resp.json_body_or_none == {'console': {
        'instance_uuid': server.uuid, 'host': host, 'port': port,
        'internal_access_path': 'FAKE'}}
    # Before 2.31 only RDP tokens could be read.
    assert admin.get('/os-console-auth-tokens/%s' % token, version='2.30').status_int == 401
    # Policy: administrators only.
    assert user.get('/os-console-auth-tokens/%s' % token, version='2.31').status_int == 403


def test_token_lookup_shows_tls_port_from_299(user, admin, server, max_version):
    url = _create(user, server, 'spice', 'spice-html5').json_body_or_none[
        'remote_console']['url']
    token = token_of(url)
    console_31 = admin.get('/os-console-auth-tokens/%s' % token,
                           version='2.31').json_body_or_none['console']
    assert 'tls_port' not in console_31
    console_99 = admin.get('/os-console-auth-tokens/%s' % token,
                           version='2.99').json_body_or_none['console']
    assert console_99['tls_port'] == fake.FakeDriver.spice_console[2]
    assert console_99['port'] == fake.FakeDriver.spice_console[1]


@pytest.mark.parametrize('token', [
    'not-a-token', '2b5e1c1a-58c4-4d8f-9a7e-0f6d3c2b1a00', '%E2%82%AC', 'x' * 300])
def test_unknown_tokens_are_404(admin, server, token):
    resp = admin.get('/os-console-auth-tokens/%s' % token, version='2.31')
    assert resp.status_int == 404
    assert 'itemNotFound' in resp.json_body_or_none


def test_expired_token_is_404_and_cleaned_by_the_periodic_task(user, admin, server, cell1,
                                                              compute):
    CONF.set_override('token_ttl', 0, group='consoleauth')
    try:
        url = _create(user, server, 'vnc', 'novnc').json_body_or_none['remote_console']['url']
    finally:
        CONF.clear_override('token_ttl', group='consoleauth')
    fresh = _create(user, server, 'vnc', 'novnc').json_body_or_none['remote_console']['url']
    # A token with a TTL of 0 expires the second it is made.
    assert admin.get('/os-console-auth-tokens/%s' % token_of(url),
                     version='2.31').status_int == 404
    assert len(_stored_hashes(cell1)) == 2
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        compute._cleanup_expired_console_auth_tokens(cctxt)
    assert _stored_hashes(cell1) == [
        (hashlib.sha256(token_of(fresh).encode()).hexdigest(), 'novnc')]
    assert admin.get('/os-console-auth-tokens/%s' % token_of(fresh),
                     version='2.31').status_int == 200


# --- /servers/{id}/consoles: removed upstream ---------------------------------------

@pytest.mark.parametrize('method,suffix', [
    ('GET', ''), ('POST', ''), ('GET', '/1'), ('DELETE', '/1')])
def test_xenapi_consoles_resource_is_gone(user, server, method, suffix):
    resp = user.request(method, '/servers/%s/consoles%s' % (server.uuid, suffix))
    assert resp.status_int == 410
    # Upstream has no fault name for 410: the generic one.
    assert resp.json_body_or_none['computeFault']['code'] == 410


# --- the compute host cannot answer ------------------------------------------------

def test_compute_down_is_409_without_asking_it(user, server, compute):
    ctxt = nova_context.get_admin_context()
    service = objects.Service.get_by_compute_host(ctxt, 'host1')
    service.forced_down = True
    service.save()
    resp = _create(user, server, 'vnc', 'novnc')
    assert resp.status_int == 409
    assert 'host1' in resp.json_body_or_none['conflictingRequest']['message']
    assert compute.calls == []


def test_compute_pinned_below_64_is_unavailable(server):
    from nova import exception
    CONF.set_override('compute', '6.3', group='upgrade_levels')
    try:
        rpcapi = compute_rpcapi.ComputeAPI()
        with pytest.raises(exception.ComputeServiceUnavailable):
            rpcapi._console_call(nova_context.get_admin_context(), server,
                                 'get_vnc_console', 'novnc')
    finally:
        CONF.clear_override('compute', group='upgrade_levels')
