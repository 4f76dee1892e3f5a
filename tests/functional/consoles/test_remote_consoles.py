"""Remote consoles over HTTP with every service in this process: API (paste
app, noauth2), conductor, scheduler and one fake compute over a private
RabbitMQ vhost, real Placement, real Glance, SQLite cells.

The console URL comes from the compute host over a real RPC call; the token
it carries is recorded hashed in the cell database, answers the admin's
lookup until it expires or its server is deleted.
"""

import hashlib

import pytest
import sqlalchemy as sa

import nova.conf
from tests.fixtures import cloud
from tests.fixtures.console_urls import token_of
from tests.fixtures.waiting import wait_for
from tests.functional.actions import test_server_actions as actions
from tests.functional.image.test_glance_client import glance_url  # noqa: F401

CONF = nova.conf.CONF


@pytest.fixture(scope='module')
def env(tmp_path_factory, glance_url):  # noqa: F811
    extra = ('\n[vnc]\nnovncproxy_base_url = http://proxy.example.com:6080/vnc_lite.html\n'
             '[spice]\nenabled = true\n'
             '[serial_console]\nenabled = true\n')
    with cloud.running_cloud(tmp_path_factory.mktemp('consolescloud'), glance_url=glance_url,
                             hosts=(actions.HOST,), extra=extra) as env:
        env.update(compute=env['services'][-1], glance=glance_url)
        yield env


def _console(client, server_id, protocol='vnc', console_type='novnc', version='2.6'):
    resp = client.post('/servers/%s/remote-consoles' % server_id,
                       {'remote_console': {'protocol': protocol, 'type': console_type}},
                       version=version)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['remote_console']['url']


def _lookup(env, token):
    return env['admin'].get('/os-console-auth-tokens/%s' % token, version='2.31')


def _rows(env, instance_uuid):
    """The token rows of one server in its cell database, as stored."""
    from nova import context
    from nova.db.main import engine, models

    @engine.reader
    def rows(ctxt):
        table = models.ConsoleAuthToken
        return [row._asdict() for row in ctxt.session.execute(
            sa.select(table.__table__).where(table.instance_uuid == instance_uuid))]

    with context.target_cell(env['ctxt'], env['cell1']) as cctxt:
        return rows(cctxt)


def test_console_urls_tokens_stored_hashed_and_looked_up(env):
    client = env['client']
    server_id = actions._boot(env, 'vnc')
    try:
        url = _console(client, server_id)
        token = token_of(url)
        assert url == ('http://proxy.example.com:6080/vnc_lite.html?path=%%3Ftoken%%3D%s'
                       % token)
        rows = _rows(env, server_id)
        assert len(rows) == 1
        assert rows[0]['token_hash'] == hashlib.sha256(token.encode()).hexdigest()
        assert token not in repr(rows)
        resp = _lookup(env, token)
        assert resp.status_int == 200, resp.body
        fake_host, fake_port = env['compute'].manager.driver.vnc_console
        assert resp.json_body_or_none == {'console': {
            'instance_uuid': server_id, 'host': fake_host, 'port': fake_port,
            'internal_access_path': 'FAKE'}}
        # A project member may not look tokens up.
        assert client.get('/os-console-auth-tokens/%s' % token,
                          version='2.31').status_int == 403

        spice = _console(client, server_id, 'spice', 'spice-html5')
        assert spice.startswith(CONF.spice.html5proxy_base_url + '?token=')
        serial = _console(client, server_id, 'serial', 'serial')
        assert serial.startswith(CONF.serial_console.base_url + '?token=')
        legacy = client.post('/servers/%s/action' % server_id,
                             {'os-getVNCConsole': {'type': 'novnc'}}, version='2.5')
        assert legacy.status_int == 200, legacy.body
        assert _lookup(env, token_of(legacy.json_body_or_none['console']['url'])
                       ).status_int == 200
        assert len(_rows(env, server_id)) == 4
    finally:
        actions._gone(env, server_id)
    # Deleting the server took its tokens with it.
    assert _rows(env, server_id) == []
    assert _lookup(env, token).status_int == 404


def test_token_expires_after_token_ttl(env):
    client = env['client']
    server_id = actions._boot(env, 'ttl')
    CONF.set_override('token_ttl', 1, group='consoleauth')
    try:
        token = token_of(_console(client, server_id))
        assert len(_rows(env, server_id)) == 1
        # Valid now, refused once its second has passed.
        wait_for(lambda: _lookup(env, token).status_int == 404, timeout=30,
                 what='token expired')
        from nova import context, objects
        with context.target_cell(env['ctxt'], env['cell1']) as cctxt:
            env['compute'].manager._cleanup_expired_console_auth_tokens(cctxt)
            assert _rows(env, server_id) == []
            assert objects.Instance.get_by_uuid(cctxt, server_id).vm_state == 'active'
    finally:
        CONF.clear_override('token_ttl', group='consoleauth')
        actions._gone(env, server_id)


def test_disabled_and_unsupported_consoles(env, monkeypatch):
    client = env['client']
    server_id = actions._boot(env, 'errors')
    try:
        CONF.set_override('enabled', False, group='vnc')
        try:
            resp = client.post('/servers/%s/remote-consoles' % server_id,
                               {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
                               version='2.6')
        finally:
            CONF.clear_override('enabled', group='vnc')
        assert resp.status_int == 400
        assert resp.json_body_or_none['badRequest']['message'] == (
            'Unavailable console type novnc.')

        def unsupported(context, instance):
            raise NotImplementedError()
        monkeypatch.setattr(env['compute'].manager.driver, 'get_serial_console',
                            unsupported)
        resp = client.post('/servers/%s/remote-consoles' % server_id,
                           {'remote_console': {'protocol': 'serial', 'type': 'serial'}},
                           version='2.6')
        assert resp.status_int == 501, resp.body
        assert _rows(env, server_id) == []
    finally:
        actions._gone(env, server_id)
